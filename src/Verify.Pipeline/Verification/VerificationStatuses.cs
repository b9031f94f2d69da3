using Verify.Contracts;
using Verify.Data.Entities;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What the pipeline does with the one word for each state (<see cref="VerificationStateWords"/>): the database stores
/// it, the API answers with it, the webhooks send it, the audit records <c>verification.{word}</c> and the telemetry
/// counts by it. The bus carries the final states as <see cref="VerificationStatus"/>, whose webhook form is the same word.
/// </summary>
public static class VerificationStatuses
{
    /// <summary>The audit action of an accepted submission.</summary>
    public const string SubmittedAction = "verification.submitted";

    /// <summary>Whether the state is a decision (no worker changes it any more).</summary>
    public static bool IsFinal(VerificationState state) =>
        state is VerificationState.Verified or VerificationState.Rejected or VerificationState.NeedsReview;

    /// <summary>The event's status for a decided state.</summary>
    public static VerificationStatus ToContract(VerificationState state) => state switch
    {
        VerificationState.Verified => VerificationStatus.Verified,
        VerificationState.Rejected => VerificationStatus.Rejected,
        VerificationState.NeedsReview => VerificationStatus.NeedsReview,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Only a decision is published."),
    };

    /// <summary>The audit action that records a decision: <c>verification.verified</c>, <c>.rejected</c> or <c>.needs_review</c>.</summary>
    public static string DecisionAction(VerificationState state) => $"verification.{VerificationStateWords.Of(state)}";
}
