using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Storage;

namespace Verify.Pipeline.Verification;

/// <summary>
/// Decides a stored submission exactly once, in the order of the flow: reads its images
/// (<see cref="StoredImageReader"/>), runs the <see cref="VerificationStages"/>, commits the decision as the
/// <see cref="DecisionSafeguards"/> leave it in one transaction (<see cref="DecisionCommitter"/>) and then settles the
/// images (<see cref="EvidenceDisposal"/>).
/// </summary>
public sealed partial class VerificationProcessor(
    IDbContextFactory<VerifyDbContext> databases,
    StoredImageReader images,
    VerificationStages stages,
    DecisionCommitter committer,
    EvidenceDisposal evidence,
    VerificationAbandonment abandonment,
    IOptions<MessagingOptions> messaging,
    PipelineTelemetry telemetry,
    TimeProvider time,
    ILogger<VerificationProcessor> logger)
{
    /// <summary>Processes the verification, carrying on where an earlier attempt of the same command left it.</summary>
    public Task<ProcessOutcome> ProcessAsync(Guid verificationId, CancellationToken cancellationToken = default) =>
        ProcessAsync(verificationId, resume: true, cancellationToken);

    /// <param name="verificationId">The verification.</param>
    /// <param name="resume">This command's own retry or redelivery: carry on with a verification in processing. A first
    /// delivery (a duplicate, a re-sent command) leaves one in processing alone while its lease holds.</param>
    /// <param name="cancellationToken">Cancels the work (the consumer's timeout).</param>
    public async Task<ProcessOutcome> ProcessAsync(Guid verificationId, bool resume, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("verify.pipeline");
        activity?.SetTag("verify.verification_id", verificationId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (verification, undecided) = await LoadUndecidedAsync(db, verificationId, cancellationToken).ConfigureAwait(false);
        if (verification is null)
        {
            return undecided;
        }

        var now = Now;
        if (!resume && verification.State == VerificationState.Processing && verification.LeaseExpiresAt >= now)
        {
            LogInProgressElsewhere(logger, verificationId);
            return ProcessOutcome.InProgressElsewhere;
        }

        // The lease covers every attempt and pause of this command; the save is conditional on the state and lease seen.
        verification.State = VerificationState.Processing;
        verification.LeaseExpiresAt = now + messaging.Value.ProcessingLease;
        verification.UpdatedAt = now;
        if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            return await ReloadOutcomeAsync(db, verification.Id, resume, cancellationToken).ConfigureAwait(false);
        }

        var consent = await db.Consents.AsNoTracking().FirstAsync(c => c.Id == verification.ConsentId, cancellationToken).ConfigureAwait(false);
        var run = await images.ReadAsync(db, verification.Id, cancellationToken).ConfigureAwait(false) is { } submitted
            ? stages.Run(submitted.Document, submitted.SelfieFrames, verification.LivenessChallenge, cancellationToken)
            : stages.NotRun(DecisionReasons.ImagesUnavailable);
        if (await committer.CommitAsync(db, verification, run, consent.TemplateStorage, cancellationToken).ConfigureAwait(false) is not { } recorded)
        {
            return await ReloadOutcomeAsync(db, verification.Id, resume, cancellationToken).ConfigureAwait(false);
        }

        telemetry.RecordStages(recorded.Result.TimingsMs, recorded.Result.Models);
        await AfterDecisionAsync(db, verification, recorded.Decision, activity, cancellationToken).ConfigureAwait(false);
        return ProcessOutcome.Decided;
    }

    /// <summary>Gives up on a verification that failed on every attempt (<see cref="VerificationAbandonment"/>); a decided one stays as it is.</summary>
    public Task<ProcessOutcome> GiveUpAsync(Guid verificationId, CancellationToken cancellationToken = default) =>
        abandonment.GiveUpAsync(verificationId, leaseExpiredBy: null, cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The verification, tracked, when it still waits for a decision; otherwise null and why: gone, or decided (a
    /// redelivery after the commit: the clean-up a crash may have cut short is finished).
    /// </summary>
    private async Task<(VerificationRecord? Verification, ProcessOutcome Outcome)> LoadUndecidedAsync(VerifyDbContext db, Guid verificationId,
        CancellationToken cancellationToken)
    {
        var verification = await db.Verifications.FirstOrDefaultAsync(v => v.Id == verificationId, cancellationToken).ConfigureAwait(false);
        if (verification is null)
        {
            LogNotFound(logger, verificationId);
            return (null, ProcessOutcome.NotFound);
        }

        if (VerificationStatuses.IsFinal(verification.State))
        {
            await evidence.SettleAsync(db, verification, cancellationToken).ConfigureAwait(false);
            LogAlreadyDecided(logger, verificationId);
            return (null, ProcessOutcome.AlreadyDecided);
        }

        return (verification, ProcessOutcome.Decided);
    }

    /// <summary>Once the decision has committed: the images go (or wait for review), and the outcome is counted and logged.</summary>
    private async Task AfterDecisionAsync(VerifyDbContext db, VerificationRecord verification, Decision decision,
        System.Diagnostics.Activity? activity, CancellationToken cancellationToken)
    {
        await evidence.SettleAsync(db, verification, cancellationToken).ConfigureAwait(false);
        telemetry.RecordDecision(activity, decision.State);
        LogDecided(logger, verification.Id, decision.State.ToString(), string.Join(",", decision.Reasons));
    }

    private async Task<ProcessOutcome> ReloadOutcomeAsync(VerifyDbContext db, Guid verificationId, bool resume, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var current = await db.Verifications.AsNoTracking().FirstOrDefaultAsync(v => v.Id == verificationId, cancellationToken).ConfigureAwait(false);
        if (current is not null && VerificationStatuses.IsFinal(current.State))
        {
            LogAlreadyDecided(logger, verificationId);
            return ProcessOutcome.AlreadyDecided;
        }

        // Another worker moved it to processing first, or the re-driver queued it again: look again from there.
        return current is null ? ProcessOutcome.NotFound : await ProcessAsync(verificationId, resume, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} not found (deleted with its subject's biometrics?)")]
    private static partial void LogNotFound(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} was already decided; nothing changed")]
    private static partial void LogAlreadyDecided(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} is being processed under another delivery's lease; this copy is skipped")]
    private static partial void LogInProgressElsewhere(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} decided: {State} ({Reasons})")]
    private static partial void LogDecided(ILogger logger, Guid verificationId, string state, string reasons);
}
