using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Liveness;

/// <summary>Passive liveness, the multi-frame checks and liveness challenges.</summary>
public sealed class LivenessOptions
{
    public const string SectionName = "Liveness";

    /// <summary>Run passive liveness on the selfie (the threshold is models/liveness.json's).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an issued challenge may be used.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The head must turn (or tilt up) at least this far from the most frontal frame, in the instructed direction.
    /// Pose from five landmarks is good to roughly ±10°, so less than this would pass on estimation noise alone.
    /// </summary>
    [Range(5, 60)]
    public double ChallengeMinDegrees { get; set; } = 15;

    /// <summary>
    /// Frames whose landmarks move less than this (a fraction of the eye distance, after removing a shift, scale and
    /// rotation of the whole picture) count as showing no head motion.
    /// </summary>
    [Range(0, 1)]
    public double StaticLandmarkMotion { get; set; } = 0.02;

    /// <summary>
    /// Frames whose aligned faces differ by less than this mean grey level (0..255) count as showing no change of
    /// appearance. Frames are static when both their landmarks and their appearance stay still.
    /// </summary>
    [Range(0, 255)]
    public double StaticAppearanceChange { get; set; } = 2.5;
}
