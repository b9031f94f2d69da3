using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Pipeline.Messaging;

namespace Verify.Pipeline.Verification;

/// <summary>
/// Writes a decision into the caller's unit of work (the caller saves): the verification's state, reasons and result,
/// the completion event and the audit event; for a verified one also the face templates (only with the subject's
/// consent to template storage), the document fingerprint and the badge event.
/// </summary>
public sealed class DecisionRecorder(PayloadProtector protector, DocumentFingerprinter fingerprinter, IOptions<VerificationOptions> options)
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
        if (decision.State == VerificationState.Verified)
        {
            if (templateStorage)
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

            Outbox.Add(db, new IdentityVerified(verification.Id, verification.SubjectId, run.AssuranceLevel,
                new DateTimeOffset(now), new DateTimeOffset(BadgeExpiry(now, run.DocumentExpiry))), now);
        }

        Record(db, verification, decision, JsonSerializer.Serialize(run.Result, VerificationResult.Json), now);
    }

    /// <summary>Records the decision itself, its completion event and its audit event; nothing biometric.</summary>
    public static void Record(VerifyDbContext db, VerificationRecord verification, Decision decision, string? resultJson, DateTime now)
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
            At = now, Actor = Actor, ClientId = verification.ClientId, Action = VerificationStatuses.DecisionAction(decision.State),
            SubjectId = verification.SubjectId, VerificationId = verification.Id,
        });
    }

    /// <summary>The badge lasts <see cref="VerificationOptions.BadgeValidity"/>, or until the document expires if that comes first.</summary>
    private DateTime BadgeExpiry(DateTime now, DateOnly? documentExpiry)
    {
        var expiry = now + options.Value.BadgeValidity;
        return documentExpiry?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) is { } document && document < expiry ? document : expiry;
    }

    private void AddTemplates(VerifyDbContext db, VerificationRecord verification, IReadOnlyList<ModelEmbedding> embeddings, DateTime now)
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
                ExpiresAt = now + options.Value.TemplateRetention,
            };
            template.Ciphertext = protector.Protect(MemoryMarshal.AsBytes(embedding.Vector.AsSpan()), FaceTemplates.Purpose(template.Id));
            db.FaceTemplates.Add(template);
        }
    }
}
