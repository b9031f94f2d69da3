using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Retention;

/// <summary>How often the purge job runs and how long sent outbox messages are kept.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Sent outbox messages are deleted after this long (they hold ids and codes, kept for tracing deliveries).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SentMessageRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An image file with no index row this old is a failed upload, and is deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);
}
