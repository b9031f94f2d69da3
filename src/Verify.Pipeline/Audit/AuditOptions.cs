using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Audit;

/// <summary>How often unsealed audit rows are chained, and how long a row may wait unsealed before the check reports it.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An unsealed row older than this means the sealer is not running, or a row was slipped in behind its back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan UnsealedGrace { get; set; } = TimeSpan.FromMinutes(10);
}
