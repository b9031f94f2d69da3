using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Storage;

namespace Verify.Pipeline.Verification;

/// <summary>
/// Ends a verification that processing could not finish: to review as <c>processing_failed</c> with its review case
/// (rejected as <c>consent_withdrawn</c> when consent went meanwhile: <see cref="DecisionSafeguards.GiveUpAsync"/>),
/// unless it is decided already. It needs no model, so the three places that give up end a verification alike: the
/// worker's consumer after its last retry, the API's re-driver after the last re-drive and the API's fault consumer
/// for a command that reached the error queue.
/// </summary>
public sealed partial class VerificationAbandonment(
    IDbContextFactory<VerifyDbContext> databases,
    EvidenceDisposal evidence,
    IOptions<MessagingOptions> messaging,
    PipelineTelemetry telemetry,
    TimeProvider time,
    ILogger<VerificationAbandonment> logger)
{
    /// <param name="verificationId">The verification to end.</param>
    /// <param name="leaseExpiredBy">When given (by anyone but the worker holding it), a verification still leased past this
    /// time is left alone: processing under a worker's lease, or queued under its queued lease (never leased: its
    /// acceptance plus the queued lease), whose command's retries or delivery are still to come. The lease is checked
    /// again when the decision is saved, so a worker that takes it over wins.</param>
    /// <param name="cancellationToken">Cancels the database work.</param>
    public async Task<ProcessOutcome> GiveUpAsync(Guid verificationId, DateTime? leaseExpiredBy, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("verify.give_up");
        activity?.SetTag("verify.verification_id", verificationId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var verification = await db.Verifications.FirstOrDefaultAsync(v => v.Id == verificationId, cancellationToken).ConfigureAwait(false);
        if (verification is null)
        {
            return ProcessOutcome.NotFound;
        }

        if (VerificationStatuses.IsFinal(verification.State))
        {
            // Decided (a redelivered copy succeeded): that decision stands; the clean-up a crash may have cut short is finished.
            await evidence.SettleAsync(db, verification, cancellationToken).ConfigureAwait(false);
            LogAlreadyDecided(logger, verificationId);
            return ProcessOutcome.AlreadyDecided;
        }

        if (leaseExpiredBy is { } by && messaging.Value.LeaseEnd(verification.LeaseExpiresAt, verification.CreatedAt) >= by)
        {
            return ProcessOutcome.InProgressElsewhere;
        }

        // Under the subject's lock, as every decision: the consent is checked after an erasure that committed first, and an
        // erasure that comes later waits for this commit and then deletes the case it opens.
        Decision decision;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await SubjectLock.TakeAsync(db, verification.ClientId, verification.SubjectId, SubjectLockHolder.Decision, cancellationToken).ConfigureAwait(false);
            decision = await DecisionSafeguards.GiveUpAsync(db, verification, cancellationToken).ConfigureAwait(false);
            DecisionRecorder.Record(db, verification, decision, resultJson: null, time.GetUtcNow().UtcDateTime);
            if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
            {
                // Decided, re-driven or taken over meanwhile: whoever changed it goes on (the transaction rolls back).
                LogChangedMeanwhile(logger, verificationId);
                return ProcessOutcome.InProgressElsewhere;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }


        await evidence.SettleAsync(db, verification, cancellationToken).ConfigureAwait(false);
        telemetry.RecordDecision(activity, decision.State);
        LogGivenUp(logger, verificationId, decision.State.ToString(), string.Join(",", decision.Reasons));
        return ProcessOutcome.Decided;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} was already decided; not given up on")]
    private static partial void LogAlreadyDecided(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} changed while being given up on; left to whoever changed it")]
    private static partial void LogChangedMeanwhile(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} given up on: {State} ({Reasons})")]
    private static partial void LogGivenUp(ILogger logger, Guid verificationId, string state, string reasons);
}
