using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Retention;

/// <summary>How often the purge job runs, and how long the service's own records that name a subject are kept.</summary>
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

    /// <summary>
    /// Delivered and failed webhook deliveries are deleted after this long: their bodies hold subject ids, and the log is
    /// kept only to trace and replay deliveries. Pending ones are never deleted.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan WebhookDeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Liveness challenges, used or not, are deleted this long after they expire: an expired challenge is refused
    /// anyway, and the verification keeps the instruction it answered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ChallengeRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Audit rows older than this forget their subject: the subject id and its salt are cleared, as an erasure does, so
    /// the chain stays intact (it covers the salted digest) while the row keeps who acted, what and when.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan AuditSubjectRetention { get; set; } = TimeSpan.FromDays(730);

    /// <summary>A client's daily byte counters (the daily quota's) are deleted this long after their day.</summary>
    [Range(typeof(TimeSpan), "2.00:00:00", "3650.00:00:00")]
    public TimeSpan ClientUsageRetention { get; set; } = TimeSpan.FromDays(31);
}
