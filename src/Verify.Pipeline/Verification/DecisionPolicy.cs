using Microsoft.Extensions.Options;
using Verify.Data.Entities;
using Verify.Documents.Checks;
using Verify.Documents.Reading;
using Verify.Pipeline.Faces;

namespace Verify.Pipeline.Verification;

/// <summary>What the stages found, as the decision policy needs it (no images, no document text).</summary>
public sealed record VerificationSignals
{
    public required DocumentReadStatus DocumentStatus { get; init; }

    public IReadOnlyList<DocumentFinding> DocumentFindings { get; init; } = [];

    public bool PortraitFound { get; init; }

    public required FaceAnalysisOutcome SelfieOutcome { get; init; }

    /// <summary>Faces in the selfie at least <see cref="DecisionPolicyOptions.SecondFaceRelativeSize"/> of the main one.</summary>
    public int SelfieProminentFaces { get; init; }

    /// <summary>Portrait against selfie; null when either face is missing.</summary>
    public double? MatchScore { get; init; }

    public required double MatchThreshold { get; init; }

    public bool LivenessEvaluated { get; init; }

    /// <summary>Why the selfie is not a live capture (<c>FrameFailures</c> codes: spoof, static, different_people, challenge_not_met).</summary>
    public IReadOnlyList<string> LivenessFailures { get; init; } = [];

    /// <summary>Why the selfie's capture is too poor to rely on (<c>QualityFailures</c> codes: blur, face_too_small, ...).</summary>
    public IReadOnlyList<string> SelfieQualityFailures { get; init; } = [];

    /// <summary>Signs that the document photo is itself a screen or a copy (document_screen_suspected, ...).</summary>
    public IReadOnlyList<string> DocumentCaptureSignals { get; init; } = [];
}

/// <summary>A decision: the final state and every reason that led to it, rejections first.</summary>
public sealed record Decision(VerificationState State, IReadOnlyList<string> Reasons);

/// <summary>Turns the signals of a verification into verified, rejected or needs review, with machine-readable reasons.</summary>
public sealed class DecisionPolicy(IOptions<DecisionPolicyOptions> options)
{
    /// <summary>A second face at least this large relative to the selfie's main one counts (see <see cref="DecisionPolicyOptions"/>).</summary>
    public double SecondFaceRelativeSize => options.Value.SecondFaceRelativeSize;

    public Decision Decide(VerificationSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var policy = options.Value;
        var reject = new List<string>();
        var review = new List<string>();

        switch (signals.DocumentStatus)
        {
            case DocumentReadStatus.ImageUnreadable:
                reject.Add(DecisionReasons.DocumentUnreadable);
                break;
            case DocumentReadStatus.NoMrz or DocumentReadStatus.MrzUnreadable:
                (policy.RejectUnreadableMrz ? reject : review).Add(DecisionReasons.MrzUnreadable);
                break;
            case DocumentReadStatus.BarcodeUnreadable:
                (policy.RejectUnreadableMrz ? reject : review).Add(DecisionReasons.BarcodeUnreadable);
                break;
            case DocumentReadStatus.ChipUnreadable:
                reject.Add(DecisionReasons.ChipDataInvalid);
                break;
        }

        foreach (var finding in signals.DocumentFindings)
        {
            string reason = finding.Code switch
            {
                "check_digit_failed" => DecisionReasons.MrzChecksumFailed,
                "document_expired" => DecisionReasons.DocumentExpired,
                "under_minimum_age" => DecisionReasons.Underage,
                _ when DecisionReasons.IsChipReason(finding.Code) => finding.Code,
                _ when finding.Severity == FindingSeverity.Reject => DecisionReasons.DocumentInvalid,
                _ => finding.Code,
            };
            AddOnce(finding.Severity == FindingSeverity.Reject ? reject : review, reason);
        }

        // An image or chip that could not be read has no portrait to look for: one reason, not two.
        if (signals.DocumentStatus is not (DocumentReadStatus.ImageUnreadable or DocumentReadStatus.ChipUnreadable) && !signals.PortraitFound)
        {
            reject.Add(DecisionReasons.NoFaceOnDocument);
        }

        switch (signals.SelfieOutcome)
        {
            case FaceAnalysisOutcome.Unreadable:
                reject.Add(DecisionReasons.SelfieUnreadable);
                break;
            case FaceAnalysisOutcome.NoFace:
                reject.Add(DecisionReasons.NoFaceInSelfie);
                break;
            case FaceAnalysisOutcome.Analysed when signals.SelfieProminentFaces > 1:
                reject.Add(DecisionReasons.MultipleFacesInSelfie);
                break;
        }

        if (signals.MatchScore is { } score && score < signals.MatchThreshold)
        {
            bool nearMiss = policy.FaceMatchReviewBand > 0 && score >= signals.MatchThreshold - policy.FaceMatchReviewBand;
            if (nearMiss)
            {
                review.Add(DecisionReasons.FaceMatchUncertain);
            }
            else
            {
                reject.Add(DecisionReasons.FaceMismatch);
            }
        }

        // Never verify without a match score: if nothing above explains its absence, a person looks.
        if (signals.MatchScore is null && reject.Count == 0)
        {
            review.Add(DecisionReasons.FaceMatchNotEvaluated);
        }

        foreach (string failure in signals.LivenessFailures)
        {
            (policy.LivenessFailure == PolicyAction.Reject ? reject : review).Add(DecisionReasons.LivenessFailed(failure));
        }

        foreach (string failure in signals.SelfieQualityFailures)
        {
            (policy.LowQuality == PolicyAction.Reject ? reject : review).Add(DecisionReasons.LowQuality(failure));
        }

        // A document photographed off a screen or copied may still be genuine: a person looks.
        foreach (string signal in signals.DocumentCaptureSignals)
        {
            AddOnce(review, signal);
        }

        if (policy.RequireLiveness && !signals.LivenessEvaluated)
        {
            review.Add(DecisionReasons.LivenessNotEvaluated);
        }

        var state = reject.Count > 0 ? VerificationState.Rejected : review.Count > 0 ? VerificationState.NeedsReview : VerificationState.Verified;
        return new Decision(state, [.. reject, .. review]);
    }

    private static void AddOnce(List<string> reasons, string reason)
    {
        if (!reasons.Contains(reason))
        {
            reasons.Add(reason);
        }
    }
}
