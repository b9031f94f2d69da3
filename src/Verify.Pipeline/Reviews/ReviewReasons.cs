using Verify.Data.Entities;

namespace Verify.Pipeline.Reviews;

/// <summary>
/// The reason codes a reviewer decides with, per kind of case and verdict (docs/api.md). A rejected verification
/// carries its code as <c>review:{code}</c>, so a client tells a person's decision from the pipeline's.
/// </summary>
public static class ReviewReasons
{
    public const string Prefix = "review:";

    /// <summary>Approving a verification: the evidence holds up, or the signal that sent it to review was a false alarm.</summary>
    public static readonly IReadOnlyList<string> ApproveVerification = ["identity_confirmed", "false_alarm"];

    public static readonly IReadOnlyList<string> RejectVerification =
        ["document_fraudulent", "document_unreadable", "face_mismatch", "presentation_attack", "duplicate_identity", "other"];

    /// <summary>Upholding an impersonation report: the reported account impersonates the claimed subject.</summary>
    public static readonly IReadOnlyList<string> UpholdReport = ["impersonation_confirmed"];

    /// <summary>Dismissing an impersonation report.</summary>
    public static readonly IReadOnlyList<string> DismissReport = ["false_alarm", "not_the_subject", "other"];

    /// <summary>The codes allowed for <paramref name="approve"/> on a case of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<string> For(ReviewCaseKind kind, bool approve) => kind switch
    {
        ReviewCaseKind.Verification => approve ? ApproveVerification : RejectVerification,
        _ => approve ? UpholdReport : DismissReport,
    };
}
