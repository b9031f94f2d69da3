using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Verification;

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
    /// Send a case to review when liveness was not evaluated. Off until the liveness stage lands: the result then
    /// reports liveness as not_evaluated and the decision rests on the document and the face match.
    /// </summary>
    public bool RequireLiveness { get; set; }

    /// <summary>A second face at least this large relative to the selfie's main face makes the selfie ambiguous.</summary>
    [Range(0.05, 1)]
    public double SecondFaceRelativeSize { get; set; } = 0.4;
}
