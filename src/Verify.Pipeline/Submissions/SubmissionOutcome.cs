using Verify.Data.Entities;

namespace Verify.Pipeline.Submissions;

/// <summary>Why a submission was not accepted (the API answers each with its own problem type).</summary>
public enum SubmissionRefusal
{
    /// <summary>The Idempotency-Key belongs to a submission with other content.</summary>
    IdempotencyKeyReused,

    /// <summary>The liveness challenge was never issued, or was issued to another client.</summary>
    ChallengeUnknown,

    /// <summary>The liveness challenge already answered a submission.</summary>
    ChallengeUsed,

    /// <summary>The liveness challenge's lifetime is over.</summary>
    ChallengeExpired,
}

/// <summary>What became of a submission: accepted (new, or the earlier one with the same Idempotency-Key), or refused.</summary>
public abstract record SubmissionOutcome;

/// <summary>The verification that holds the submission and its state; <paramref name="Replayed"/> when an earlier request created it.</summary>
public sealed record SubmissionAccepted(Guid VerificationId, VerificationState State, bool Replayed) : SubmissionOutcome;

/// <summary>Nothing was stored, for <paramref name="Reason"/>.</summary>
public sealed record SubmissionRefused(SubmissionRefusal Reason) : SubmissionOutcome;
