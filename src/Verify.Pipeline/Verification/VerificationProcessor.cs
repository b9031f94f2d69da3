using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Inference.Faces;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;

namespace Verify.Pipeline.Verification;

/// <summary>What processing a verification came to.</summary>
public enum ProcessOutcome
{
    /// <summary>This call decided the verification.</summary>
    Decided,

    /// <summary>It was already decided (a redelivered message, or another worker won the race): nothing changed.</summary>
    AlreadyDecided,

    /// <summary>No such verification (deleted with the subject's biometrics).</summary>
    NotFound,
}

/// <summary>
/// Runs the pipeline on a stored submission and records the decision exactly once: reads the encrypted images, runs
/// the <see cref="VerificationStages"/> on them, checks the document against other subjects' verified ones, and in one
/// transaction stores the result, the consented template, the document fingerprint, the audit event and the outgoing
/// events (outbox). Afterwards the images go: at once after a final decision, at the end of the review window otherwise.
/// </summary>
public sealed partial class VerificationProcessor(
    IDbContextFactory<VerifyDbContext> databases,
    EncryptedBlobStore blobs,
    VerificationStages stages,
    FaceAnalyzer faces,
    PayloadProtector protector,
    DocumentFingerprinter fingerprinter,
    IOptions<VerificationOptions> options,
    PipelineTelemetry telemetry,
    TimeProvider time,
    ILogger<VerificationProcessor> logger)
{
    /// <summary>The reason given when the images expired or vanished before the pipeline ran.</summary>
    public const string ImagesUnavailable = "images_unavailable";

    /// <summary>The subject withdrew consent while the verification ran.</summary>
    public const string ConsentWithdrawn = "consent_withdrawn";

    /// <summary>A document already verified for another subject.</summary>
    public const string DocumentUsedByAnotherSubject = "document_used_by_another_subject";

    /// <summary>Processing failed on every attempt (a fault, not a finding about the person): a reviewer decides.</summary>
    public const string ProcessingFailed = "processing_failed";

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
            if (!await TrySaveAsync(db, cancellationToken).ConfigureAwait(false))
            {
                return await ReloadOutcomeAsync(db, verification, cancellationToken).ConfigureAwait(false);
            }
        }

        var consent = await db.Consents.AsNoTracking().FirstAsync(c => c.Id == verification.ConsentId, cancellationToken).ConfigureAwait(false);
        var run = await RunStagesAsync(db, verification, cancellationToken).ConfigureAwait(false);
        var decision = run.Decision;
        if (decision.State == VerificationState.Verified && run.Fingerprint is { } fingerprint
            && await db.DocumentFingerprints.AnyAsync(f => f.Value == fingerprint && f.KeyId == fingerprinter.KeyId && f.SubjectId != verification.SubjectId, cancellationToken).ConfigureAwait(false))
        {
            decision = new Decision(VerificationState.NeedsReview, [.. decision.Reasons, DocumentUsedByAnotherSubject]);
        }

        // The subject may have withdrawn consent while the stages ran: then nothing biometric is kept, and no badge.
        if (await db.Consents.AnyAsync(c => c.Id == consent.Id && c.WithdrawnAt != null, cancellationToken).ConfigureAwait(false))
        {
            decision = new Decision(VerificationState.Rejected, [ConsentWithdrawn]);
        }

        var now = Now;
        if (decision.State == VerificationState.Verified)
        {
            if (consent.TemplateStorage)
            {
                AddTemplates(db, verification, run.SelfieEmbeddings, now);
            }

            if (run.Fingerprint is { } value)
            {
                db.DocumentFingerprints.Add(new DocumentFingerprint
                {
                    Id = Guid.NewGuid(), SubjectId = verification.SubjectId, VerificationId = verification.Id,
                    KeyId = fingerprinter.KeyId, Value = value, CreatedAt = now,
                });
            }

            var badgeExpiry = now + options.Value.BadgeValidity;
            if (run.DocumentExpiry is { } expiry && expiry.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) < badgeExpiry)
            {
                badgeExpiry = expiry.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            }

            Outbox.Add(db, new IdentityVerified(verification.Id, verification.SubjectId, run.AssuranceLevel,
                new DateTimeOffset(now), new DateTimeOffset(badgeExpiry)), now);
        }

        RecordDecision(db, verification, decision, JsonSerializer.Serialize(run.Result, VerificationResult.Json), now);
        if (!await TrySaveAsync(db, cancellationToken).ConfigureAwait(false))
        {
            return await ReloadOutcomeAsync(db, verification, cancellationToken).ConfigureAwait(false);
        }

        telemetry.RecordStages(run.Result.TimingsMs, run.Result.Models);
        await AfterDecisionAsync(db, verification, decision, activity, cancellationToken).ConfigureAwait(false);
        return ProcessOutcome.Decided;
    }

    /// <summary>
    /// Gives up on a verification that failed on every attempt: it goes to review with <see cref="ProcessingFailed"/>
    /// (its images kept for the review window), and the client hears of it like any other decision. Nothing
    /// biometric is kept and no badge is granted. When the subject withdrew consent meanwhile, it is rejected with
    /// <see cref="ConsentWithdrawn"/> instead and its images go. A verification already decided is left as it is.
    /// </summary>
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

        // A subject who withdrew consent meanwhile is not sent to a reviewer: rejected, and the images go.
        bool withdrawn = await db.Consents.AnyAsync(c => c.Id == verification.ConsentId && c.WithdrawnAt != null, cancellationToken).ConfigureAwait(false);
        var decision = withdrawn
            ? new Decision(VerificationState.Rejected, [ConsentWithdrawn])
            : new Decision(VerificationState.NeedsReview, [ProcessingFailed]);
        RecordDecision(db, verification, decision, resultJson: null, Now);
        if (!await TrySaveAsync(db, cancellationToken).ConfigureAwait(false))
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
    /// The verification, tracked, when it still waits for a decision; otherwise null and why: it is gone, or it was
    /// decided (a redelivery after the decision committed), and then the clean-up a crash may have cut short is finished.
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

        if (IsFinal(verification.State))
        {
            await DisposeImagesAsync(db, verification, cancellationToken).ConfigureAwait(false);
            LogAlreadyDecided(logger, verificationId);
            return (null, ProcessOutcome.AlreadyDecided);
        }

        return (verification, ProcessOutcome.Decided);
    }

    /// <summary>The decision itself, its completion event and its audit event, in the caller's unit of work.</summary>
    private static void RecordDecision(VerifyDbContext db, VerificationRecord verification, Decision decision, string? resultJson, DateTime now)
    {
        verification.State = decision.State;
        verification.Reasons = [.. decision.Reasons];
        verification.ResultJson = resultJson;
        verification.CompletedAt = now;
        verification.UpdatedAt = now;
        Outbox.Add(db, new VerificationCompleted(verification.Id, verification.ClientId, verification.SubjectId,
            ToStatus(decision.State), verification.Reasons, new DateTimeOffset(now)), now);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = "worker", Action = $"verification.{ToStatus(decision.State).ToString().ToLowerInvariant()}",
            SubjectId = verification.SubjectId, VerificationId = verification.Id,
        });
    }

    /// <summary>Once the decision has committed: the images go (or wait for review), and the outcome is counted and logged.</summary>
    private async Task AfterDecisionAsync(VerifyDbContext db, VerificationRecord verification, Decision decision,
        System.Diagnostics.Activity? activity, CancellationToken cancellationToken)
    {
        await DisposeImagesAsync(db, verification, cancellationToken).ConfigureAwait(false);
        string outcome = VerificationStateNames.Of(decision.State);
        telemetry.Verifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        activity?.SetTag("verify.outcome", outcome);
        LogDecided(logger, verification.Id, decision.State.ToString(), string.Join(",", decision.Reasons));
    }

    private static bool IsFinal(VerificationState state) =>
        state is VerificationState.Verified or VerificationState.Rejected or VerificationState.NeedsReview;

    private static VerificationStatus ToStatus(VerificationState state) => state switch
    {
        VerificationState.Verified => VerificationStatus.Verified,
        VerificationState.Rejected => VerificationStatus.Rejected,
        _ => VerificationStatus.NeedsReview,
    };

    private async Task<StageRun> RunStagesAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken)
    {
        var images = await db.Blobs.AsNoTracking().Where(b => b.VerificationId == verification.Id)
            .OrderBy(b => b.Sequence).Select(b => new { b.Id, b.Kind }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var front = images.FirstOrDefault(i => i.Kind == BlobKind.DocumentFront);
        var back = images.FirstOrDefault(i => i.Kind == BlobKind.DocumentBack);
        byte[]? frontBytes = front is null ? null : await blobs.ReadAsync(db, front.Id, cancellationToken).ConfigureAwait(false);
        byte[]? backBytes = back is null ? null : await blobs.ReadAsync(db, back.Id, cancellationToken).ConfigureAwait(false);
        var frameBytes = new List<byte[]?>();
        foreach (var frame in images.Where(i => i.Kind == BlobKind.Selfie))
        {
            frameBytes.Add(await blobs.ReadAsync(db, frame.Id, cancellationToken).ConfigureAwait(false));
        }

        if (frontBytes is null || frameBytes.Count == 0 || frameBytes.Any(b => b is null) || (back is not null && backBytes is null))
        {
            return stages.NotRun(ImagesUnavailable);
        }

        return stages.Run(frontBytes, backBytes, [.. frameBytes.OfType<byte[]>()], verification.LivenessChallenge, cancellationToken);
    }

    private void AddTemplates(VerifyDbContext db, VerificationRecord verification, IReadOnlyList<FaceEmbedding> embeddings, DateTime now)
    {
        var embedders = faces.Matcher.Embedders;
        for (int i = 0; i < embeddings.Count && i < embedders.Count; i++)
        {
            var template = new FaceTemplate
            {
                Id = Guid.NewGuid(),
                SubjectId = verification.SubjectId,
                VerificationId = verification.Id,
                ModelId = embedders[i].ModelId,
                ModelVersion = embeddings[i].ModelVersion,
                Ciphertext = [],
                CreatedAt = now,
                LastUsedAt = now,
                ExpiresAt = now + options.Value.TemplateRetention,
            };
            template.Ciphertext = protector.Protect(MemoryMarshal.AsBytes(embeddings[i].Vector.AsSpan()), FaceTemplates.Purpose(template.Id));
            db.FaceTemplates.Add(template);
        }
    }

    private async Task DisposeImagesAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken)
    {
        if (verification.State == VerificationState.NeedsReview)
        {
            await blobs.KeepForReviewAsync(db, verification.Id, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await blobs.DeleteForVerificationAsync(db, verification.Id, cancellationToken).ConfigureAwait(false) > 0 || verification.ImagesDeletedAt is null)
        {
            await db.Verifications.Where(v => v.Id == verification.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(v => v.ImagesDeletedAt, Now), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> TrySaveAsync(VerifyDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private async Task<ProcessOutcome> ReloadOutcomeAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var current = await db.Verifications.AsNoTracking().FirstOrDefaultAsync(v => v.Id == verification.Id, cancellationToken).ConfigureAwait(false);
        if (current is not null && IsFinal(current.State))
        {
            LogAlreadyDecided(logger, verification.Id);
            return ProcessOutcome.AlreadyDecided;
        }

        // Another worker moved it to processing first: carry on from there.
        return current is null ? ProcessOutcome.NotFound : await ProcessAsync(verification.Id, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} not found (deleted with its subject's biometrics?)")]
    private static partial void LogNotFound(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} was already decided; nothing changed")]
    private static partial void LogAlreadyDecided(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} decided: {State} ({Reasons})")]
    private static partial void LogDecided(ILogger logger, Guid verificationId, string state, string reasons);

}

/// <summary>What a granted badge rests on.</summary>
public static class AssuranceLevels
{
    /// <summary>A valid machine-readable document whose portrait matches the selfie; liveness not evaluated.</summary>
    public const string DocumentAndFace = "document_and_face";

    /// <summary>As <see cref="DocumentAndFace"/>, and the selfie passed passive liveness (and the frame checks, when frames were sent).</summary>
    public const string DocumentFaceAndLiveness = "document_face_liveness";

    /// <summary>As <see cref="DocumentFaceAndLiveness"/>, and the frames showed a single-use challenge's instruction.</summary>
    public const string DocumentFaceAndChallenge = "document_face_liveness_challenge";
}

/// <summary>Conventions for stored face templates.</summary>
public static class FaceTemplates
{
    /// <summary>The encryption purpose of a template: its own row id, so a ciphertext copied to another row does not open.</summary>
    public static string Purpose(Guid templateId) => $"template:{templateId:N}";
}

/// <summary>The API's and the telemetry's names for verification states.</summary>
public static class VerificationStateNames
{
    public static string Of(VerificationState state) => state switch
    {
        VerificationState.Queued => "queued",
        VerificationState.Processing => "processing",
        VerificationState.Verified => "verified",
        VerificationState.Rejected => "rejected",
        _ => "needs_review",
    };
}
