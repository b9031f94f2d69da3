using Verify.Evaluation;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.EndToEnd;

/// <summary>
/// One case of `verify evaluate-e2e` after its decision: what it was, the decision, and the figures behind it (face
/// match and liveness scores and the thresholds they were held to, the selfie's face size, the time of each stage, and the CPU time a case took in process), to
/// explain the decisions. Codes and numbers only.
/// </summary>
internal sealed record EndToEndCaseResult(
    EndToEndCaseKind Kind,
    EndToEndDocumentType DocumentType,
    string? Variant,
    CaseDecision Decision,
    double? FaceMatchScore,
    double? FaceMatchThreshold,
    double? LivenessScore,
    double? LivenessThreshold,
    int? SelfieFaceSize,
    IReadOnlyDictionary<string, double>? StageMilliseconds = null,
    double? CpuMilliseconds = null,
    IReadOnlyDictionary<string, double>? StageCpuMilliseconds = null)
{
    /// <summary>A case that got no decision: the submission was refused (<paramref name="why"/>, e.g. http_429) or failed.</summary>
    public static EndToEndCaseResult Undecided(EndToEndCase submitted, string why, double milliseconds) => new(
        submitted.Kind, submitted.DocumentType, submitted.Variant,
        new CaseDecision(submitted.Kind.ToName(), submitted.Expected, submitted.Kind.IsAttack(), CaseOutcome.NoDecision, [why], milliseconds),
        null, null, null, null, null);
}
