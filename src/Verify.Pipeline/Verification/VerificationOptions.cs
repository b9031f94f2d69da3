using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Verification;

/// <summary>Retention of what a verification leaves behind, and how long a badge lasts.</summary>
public sealed class VerificationOptions
{
    public const string SectionName = "Verification";

    /// <summary>A consented face template is deleted this long after it was last used (default three years).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan TemplateRetention { get; set; } = TimeSpan.FromDays(3 * 365);

    /// <summary>A badge lapses after this long, or when the document expires if that comes first.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan BadgeValidity { get; set; } = TimeSpan.FromDays(365);
}
