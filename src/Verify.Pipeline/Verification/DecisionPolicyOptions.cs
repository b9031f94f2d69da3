using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Verification;

/// <summary>What a finding that is not plainly pass or fail leads to.</summary>
public enum PolicyAction
{
    Reject,
    Review,
}

/// <summary>What the decision policy does with the signals that are not plainly pass or fail.</summary>
public sealed class DecisionPolicyOptions
{
    public const string SectionName = "DecisionPolicy";

    /// <summary>A document whose MRZ cannot be found or read is rejected (the user retakes the photo) rather than reviewed.</summary>
    public bool RejectUnreadableMrz { get; set; } = true;

    /// <summary>
    /// Scores this far below the match threshold go to review instead of rejection; 0 (the default) rejects every score
    /// below the threshold. Set it from measured genuine and impostor score distributions, not by feel.
    /// </summary>
    [Range(0, 1)]
    public double FaceMatchReviewBand { get; set; }

    /// <summary>
    /// Send a case to review when passive liveness was not evaluated (Liveness:Enabled false). On by default: a badge
    /// without a liveness check rests on a photo that anyone holding the ID could have taken.
    /// </summary>
    public bool RequireLiveness { get; set; } = true;

    /// <summary>A selfie that fails liveness (spoof, static frames, two people, challenge not shown) is rejected, or reviewed.</summary>
    public PolicyAction LivenessFailure { get; set; } = PolicyAction.Reject;

    /// <summary>A selfie too poor to rely on (blur, tiny face, exposure, pose) is rejected so the user retakes it, or reviewed.</summary>
    public PolicyAction LowQuality { get; set; } = PolicyAction.Reject;

    /// <summary>A second face at least this large relative to the selfie's main face makes the selfie ambiguous.</summary>
    [Range(0.05, 1)]
    public double SecondFaceRelativeSize { get; set; } = 0.4;
}
