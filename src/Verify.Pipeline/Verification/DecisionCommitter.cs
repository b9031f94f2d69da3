using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Duplicates;

namespace Verify.Pipeline.Verification;

/// <summary>
/// Commits a decision: takes the subject's lock (<see cref="SubjectLock"/>, so an erasure and this commit never
/// interleave), lets the <see cref="DecisionSafeguards"/> look at the database, records what they leave
/// (<see cref="DecisionRecorder"/>) and saves it, all in one transaction. The document check and the fingerprint insert are
/// not atomic, so two verifications of one document for two subjects can both pass the check; the unique fingerprint
/// index then refuses the second save, and this looks again (now it sees the other subject's fingerprint) and records
/// what the safeguards say then. A case going to review also keeps the portrait the pipeline compared
/// (<see cref="EvidenceDisposal.AddReviewPortraitAsync"/>). Once committed, this process's template index learns the new
/// templates.
/// </summary>
public sealed partial class DecisionCommitter(
    DecisionSafeguards safeguards,
    DecisionRecorder recorder,
    EvidenceDisposal evidence,
    TemplateIndexSync templates,
    TimeProvider time,
    ILogger<DecisionCommitter> logger)
{
    /// <summary>Saves tried per decision: the second sees the fingerprint that beat the first; a third failure is a fault.</summary>
    private const int Attempts = 3;

    /// <summary>
    /// The run as recorded and committed, or null when another process decided the verification first (nothing of
    /// this one is saved then). <paramref name="verification"/> must be tracked by <paramref name="db"/>; it stays so.
    /// </summary>
    public async Task<StageRun?> CommitAsync(VerifyDbContext db, VerificationRecord verification, StageRun run, bool templateStorage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verification);
        for (int attempt = 1; ; attempt++)
        {
            // The subject's lock first: the safeguards' consent check below sees an erasure that committed before, and
            // an erasure that comes later waits for this commit and then finds (and erases) what it stored.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await SubjectLock.TakeAsync(db, verification.ClientId, verification.SubjectId, SubjectLockHolder.Decision, cancellationToken).ConfigureAwait(false);
            var recorded = await safeguards.ApplyAsync(db, verification, run, cancellationToken).ConfigureAwait(false);
            if (recorded.Decision.State == VerificationState.NeedsReview && recorded.PortraitImage is { } portrait)
            {
                await evidence.AddReviewPortraitAsync(db, verification, portrait, cancellationToken).ConfigureAwait(false);
            }

            recorder.Record(db, verification, recorded.Decision, recorded, templateStorage, time.GetUtcNow().UtcDateTime);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateConcurrencyException)
            {
                return null;
            }
            catch (DbUpdateException) when (attempt < Attempts && AddsFingerprint(recorded))
            {
                // Most likely the unique fingerprint index (whatever the provider calls it): start again from the
                // database as it is now. Anything else fails the same way again and goes to the caller's retries.
                LogRecheck(logger, verification.Id, attempt);
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                if (!await ResetAsync(db, verification, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                continue;
            }

            if (recorded.Decision.State == VerificationState.Verified && templateStorage)
            {
                await IndexAsync(db, verification.Id, cancellationToken).ConfigureAwait(false);
            }

            return recorded;
        }
    }

    private static bool AddsFingerprint(StageRun recorded) =>
        recorded.Decision.State == VerificationState.Verified && recorded.Fingerprint is not null && !recorded.FingerprintOnFile;

    /// <summary>Forgets the failed unit of work and reads the verification again; false when it has been decided meanwhile.</summary>
    private static async Task<bool> ResetAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Verifications.Attach(verification);
        await db.Entry(verification).ReloadAsync(cancellationToken).ConfigureAwait(false);
        return db.Entry(verification).State != EntityState.Detached && !VerificationStatuses.IsFinal(verification.State);
    }

    /// <summary>The committed templates join this process's index at once; other processes hear of them through IdentityVerified.</summary>
    private async Task IndexAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken)
    {
        try
        {
            await templates.AddVerificationAsync(db, verificationId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The decision stands; the event and the periodic catch-up bring the templates in later.
            LogIndexFailed(logger, exception, verificationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Verification {VerificationId}: saving its decision failed on attempt {Attempt} (another verification recorded the document first?); checking again")]
    private static partial void LogRecheck(ILogger logger, Guid verificationId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId}: its templates could not be added to the duplicate index now; the catch-up will")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception, Guid verificationId);
}
