using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Pipeline.Messaging;

namespace Verify.Pipeline.Verification;

/// <summary>What approving a review case needs from the pipeline's run, kept on the case until a reviewer decides.</summary>
/// <param name="AssuranceLevel">The assurance level the checks reached.</param>
/// <param name="BadgeExpiresAt">When a badge granted for this run lapses.</param>
/// <param name="FingerprintKeyId">The document fingerprint's key id, with <paramref name="Fingerprint"/>.</param>
/// <param name="Fingerprint">The document fingerprint, when the document had one.</param>
public sealed record ReviewHold(string AssuranceLevel, DateTime BadgeExpiresAt, string? FingerprintKeyId, byte[]? Fingerprint);

/// <summary>
/// Writes a decision into the caller's unit of work (the caller saves): the verification's state, reasons and result,
/// the completion event and the audit event; for a verified one also the face templates (only with the subject's
/// consent to template storage), the document fingerprint and the badge event; for one sent to review the open case,
/// with the templates held back and what approving it would need.
/// </summary>
public sealed class DecisionRecorder(PayloadProtector protector, DocumentFingerprinter fingerprinter, IOptions<VerificationOptions> options,
    IOptions<BlobStoreOptions> blobOptions)
{
    /// <summary>The audit actor of decisions the pipeline made.</summary>
    public const string Actor = "worker";

    /// <summary>Records what the stages (and the safeguards after them) decided, with what a verified decision keeps.</summary>
    public void Record(VerifyDbContext db, VerificationRecord verification, Decision decision, StageRun run, bool templateStorage, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(run);
        ReviewHold? hold = null;
        if (decision.State == VerificationState.Verified)
        {
            if (templateStorage)
            {
                AddTemplates(db, verification, run.SelfieEmbeddings, now, heldUntil: null);
            }

            if (run.Fingerprint is { } value && !run.FingerprintOnFile)
            {
                db.DocumentFingerprints.Add(new DocumentFingerprint
                {
                    Id = Guid.NewGuid(), ClientId = verification.ClientId, SubjectId = verification.SubjectId, VerificationId = verification.Id,
                    KeyId = fingerprinter.KeyId, Value = value, CreatedAt = now,
                });
            }

            Outbox.Add(db, new IdentityVerified(verification.Id, verification.ClientId, verification.SubjectId, run.AssuranceLevel,
                new DateTimeOffset(now), new DateTimeOffset(BadgeExpiry(now, run.DocumentExpiry))), now);
        }
        else if (decision.State == VerificationState.NeedsReview && run.SelfieEmbeddings.Count > 0)
        {
            // The stages finished: a reviewer may approve, and approving must keep what an automatic verified decision
            // keeps. The templates wait, never compared with anything, until the reviewer decides or the window closes.
            if (templateStorage)
            {
                AddTemplates(db, verification, run.SelfieEmbeddings, now, heldUntil: now + blobOptions.Value.ReviewWindow);
            }

            hold = new ReviewHold(run.AssuranceLevel, BadgeExpiry(now, run.DocumentExpiry), run.Fingerprint is null ? null : fingerprinter.KeyId, run.Fingerprint);
        }

        Record(db, verification, decision, JsonSerializer.Serialize(run.Result, VerificationResult.Json), now, Actor, hold);
    }

    /// <summary>
    /// Records the decision itself, its completion event and its audit event by <paramref name="actor"/>, and for a
    /// decision to review the open case (approvable only with a <paramref name="hold"/>); nothing biometric.
    /// </summary>
    public static void Record(VerifyDbContext db, VerificationRecord verification, Decision decision, string? resultJson, DateTime now,
        string actor = Actor, ReviewHold? hold = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(decision);
        verification.State = decision.State;
        verification.Reasons = [.. decision.Reasons];
        verification.ResultJson = resultJson;
        verification.CompletedAt = now;
        verification.UpdatedAt = now;
        Outbox.Add(db, new VerificationCompleted(verification.Id, verification.ClientId, verification.SubjectId,
            VerificationStatuses.ToContract(decision.State), verification.Reasons, new DateTimeOffset(now)), now);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = actor, ClientId = verification.ClientId, Action = VerificationStatuses.DecisionAction(decision.State),
            SubjectId = verification.SubjectId, VerificationId = verification.Id,
        });
        if (decision.State == VerificationState.NeedsReview)
        {
            db.ReviewCases.Add(new ReviewCase
            {
                Id = verification.Id, Kind = ReviewCaseKind.Verification, ClientId = verification.ClientId, SubjectId = verification.SubjectId,
                Reasons = [.. decision.Reasons], OpenedAt = now, AssuranceLevel = hold?.AssuranceLevel, BadgeExpiresAt = hold?.BadgeExpiresAt,
                FingerprintKeyId = hold?.FingerprintKeyId, Fingerprint = hold?.Fingerprint,
            });
        }
    }

    /// <summary>The badge lasts <see cref="VerificationOptions.BadgeValidity"/>, or until the document expires if that comes first.</summary>
    private DateTime BadgeExpiry(DateTime now, DateOnly? documentExpiry)
    {
        var expiry = now + options.Value.BadgeValidity;
        return documentExpiry?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) is { } document && document < expiry ? document : expiry;
    }

    private void AddTemplates(VerifyDbContext db, VerificationRecord verification, IReadOnlyList<ModelEmbedding> embeddings, DateTime now, DateTime? heldUntil)
    {
        foreach (var (modelId, embedding) in embeddings)
        {
            var template = new FaceTemplate
            {
                Id = Guid.NewGuid(),
                SubjectId = verification.SubjectId,
                VerificationId = verification.Id,
                ModelId = modelId,
                ModelVersion = embedding.ModelVersion,
                Ciphertext = [],
                CreatedAt = now,
                LastUsedAt = now,
                ExpiresAt = heldUntil ?? now + options.Value.TemplateRetention,
                HeldForReview = heldUntil is not null,
            };
            template.Ciphertext = protector.Protect(MemoryMarshal.AsBytes(embedding.Vector.AsSpan()), FaceTemplates.Purpose(template.Id));
            db.FaceTemplates.Add(template);
        }
    }
}
