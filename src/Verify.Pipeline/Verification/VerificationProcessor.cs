using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Storage;

namespace Verify.Pipeline.Verification;

/// <summary>
/// Decides a stored submission exactly once, in the order of the flow: reads its images
/// (<see cref="StoredImageReader"/>), runs the <see cref="VerificationStages"/>, lets the
/// <see cref="DecisionSafeguards"/> overturn what the database says they must, records the decision in one transaction
/// (<see cref="DecisionRecorder"/>) and then settles the images (<see cref="EvidenceDisposal"/>).
/// </summary>
public sealed partial class VerificationProcessor(
    IDbContextFactory<VerifyDbContext> databases,
    StoredImageReader images,
    VerificationStages stages,
    DecisionSafeguards safeguards,
    DecisionRecorder recorder,
    EvidenceDisposal evidence,
    PipelineTelemetry telemetry,
    TimeProvider time,
    ILogger<VerificationProcessor> logger)
{
    public async Task<ProcessOutcome> ProcessAsync(Guid verificationId, CancellationToken cancellationToken = default)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("verify.pipeline");
        activity?.SetTag("verify.verification_id", verificationId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (verification, undecided) = await LoadUndecidedAsync(db, verificationId, cancellationToken).ConfigureAwait(false);
        if (verification is null)
        {
            return undecided;
        }

        if (verification.State == VerificationState.Queued)
        {
            verification.State = VerificationState.Processing;
            verification.UpdatedAt = Now;
            if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
            {
                return await ReloadOutcomeAsync(db, verification.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        var consent = await db.Consents.AsNoTracking().FirstAsync(c => c.Id == verification.ConsentId, cancellationToken).ConfigureAwait(false);
        var run = await images.ReadAsync(db, verification.Id, cancellationToken).ConfigureAwait(false) is { } submitted
            ? stages.Run(submitted.Front, submitted.Back, submitted.SelfieFrames, verification.LivenessChallenge, cancellationToken)
            : stages.NotRun(DecisionReasons.ImagesUnavailable);
        var decision = await safeguards.ApplyAsync(db, verification, run.Decision, run.Fingerprint, cancellationToken).ConfigureAwait(false);
        if (decision.State == VerificationState.NeedsReview && run.PortraitImage is { } portrait)
        {
            await evidence.AddReviewPortraitAsync(db, verification, portrait, cancellationToken).ConfigureAwait(false);
        }

        recorder.Record(db, verification, decision, run, consent.TemplateStorage, Now);
        if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            return await ReloadOutcomeAsync(db, verification.Id, cancellationToken).ConfigureAwait(false);
        }

        telemetry.RecordStages(run.Result.TimingsMs, run.Result.Models);
        await AfterDecisionAsync(db, verification, decision, activity, cancellationToken).ConfigureAwait(false);
        return ProcessOutcome.Decided;
    }

    /// <summary>Gives up on a verification that failed on every attempt (<see cref="DecisionSafeguards.GiveUpAsync"/>); a decided one stays as it is.</summary>
    public async Task<ProcessOutcome> GiveUpAsync(Guid verificationId, CancellationToken cancellationToken = default)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("verify.give_up");
        activity?.SetTag("verify.verification_id", verificationId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (verification, undecided) = await LoadUndecidedAsync(db, verificationId, cancellationToken).ConfigureAwait(false);
        if (verification is null)
        {
            return undecided;
        }

        var decision = await DecisionSafeguards.GiveUpAsync(db, verification, cancellationToken).ConfigureAwait(false);
        DecisionRecorder.Record(db, verification, decision, resultJson: null, Now);
        if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            // Decided meanwhile (a redelivered copy succeeded): that decision stands.
            LogAlreadyDecided(logger, verificationId);
            return ProcessOutcome.AlreadyDecided;
        }

        await AfterDecisionAsync(db, verification, decision, activity, cancellationToken).ConfigureAwait(false);
        return ProcessOutcome.Decided;
    }

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

    private async Task<ProcessOutcome> ReloadOutcomeAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var current = await db.Verifications.AsNoTracking().FirstOrDefaultAsync(v => v.Id == verificationId, cancellationToken).ConfigureAwait(false);
        if (current is not null && VerificationStatuses.IsFinal(current.State))
        {
            LogAlreadyDecided(logger, verificationId);
            return ProcessOutcome.AlreadyDecided;
        }

        // Another worker moved it to processing first: carry on from there.
        return current is null ? ProcessOutcome.NotFound : await ProcessAsync(verificationId, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} not found (deleted with its subject's biometrics?)")]
    private static partial void LogNotFound(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} was already decided; nothing changed")]
    private static partial void LogAlreadyDecided(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} decided: {State} ({Reasons})")]
    private static partial void LogDecided(ILogger logger, Guid verificationId, string state, string reasons);
}
