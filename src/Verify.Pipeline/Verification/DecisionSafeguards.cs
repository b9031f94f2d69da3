using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Data.Protection;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What can still overturn the stages' decision, read from the database just before it is recorded: a document
/// already verified for another subject sends a verified case to review, and a consent withdrawn while the stages ran
/// rejects it (then nothing biometric is kept, and no badge).
/// </summary>
public sealed class DecisionSafeguards(DocumentFingerprinter fingerprinter)
{
    public async Task<Decision> ApplyAsync(VerifyDbContext db, VerificationRecord verification, Decision decision, byte[]? fingerprint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.State == VerificationState.Verified && fingerprint is not null
            && await db.DocumentFingerprints.AnyAsync(f => f.Value == fingerprint && f.KeyId == fingerprinter.KeyId && f.SubjectId != verification.SubjectId,
                cancellationToken).ConfigureAwait(false))
        {
            decision = new Decision(VerificationState.NeedsReview, [.. decision.Reasons, DecisionReasons.DocumentUsedByAnotherSubject]);
        }

        return await ConsentWithdrawnAsync(db, verification, cancellationToken).ConfigureAwait(false)
            ? new Decision(VerificationState.Rejected, [DecisionReasons.ConsentWithdrawn])
            : decision;
    }

    /// <summary>
    /// The decision for a verification that failed on every attempt: review with <see cref="DecisionReasons.ProcessingFailed"/>,
    /// or rejected with <see cref="DecisionReasons.ConsentWithdrawn"/> when the subject withdrew consent meanwhile
    /// (not sent to a reviewer, and its images go).
    /// </summary>
    public static async Task<Decision> GiveUpAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken) =>
        await ConsentWithdrawnAsync(db, verification, cancellationToken).ConfigureAwait(false)
            ? new Decision(VerificationState.Rejected, [DecisionReasons.ConsentWithdrawn])
            : new Decision(VerificationState.NeedsReview, [DecisionReasons.ProcessingFailed]);

    private static Task<bool> ConsentWithdrawnAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken) =>
        db.Consents.AnyAsync(c => c.Id == verification.ConsentId && c.WithdrawnAt != null, cancellationToken);
}
