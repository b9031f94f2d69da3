using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Reviews;

/// <summary>The review desk's settings (configuration section <c>Review</c>).</summary>
public sealed class ReviewOptions
{
    public const string SectionName = "Review";

    /// <summary>How long a claim holds a case for one reviewer; claiming again extends it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "08:00:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest side of an evidence image as a reviewer is shown it, in pixels.</summary>
    [Range(64, 4096)]
    public int MaxImageSide { get; set; } = 1024;
}
