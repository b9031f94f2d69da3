using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Liveness;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Submissions;

/// <summary>
/// Accepts a checked submission: answers a retry with the same Idempotency-Key as the first request was answered, claims
/// the liveness challenge, and in one transaction records the consent, the verification (queued), the encrypted images,
/// the <see cref="VerifyIdentity"/> command (outbox) and the audit event. Knows nothing of HTTP.
/// </summary>
public sealed class SubmissionIntake(IDbContextFactory<VerifyDbContext> databases, EncryptedBlobStore blobs, PipelineTelemetry telemetry, TimeProvider time)
{
    /// <param name="caller">The API key submitting: its client owns the verification, its id is the audit's actor.</param>
    /// <param name="idempotencyKey">The request's Idempotency-Key, if it sent one.</param>
    /// <param name="submission">The checked submission.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<SubmissionOutcome> SubmitAsync(ApiCaller caller, string? idempotencyKey, Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(submission);
        string clientId = caller.ClientId;
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (idempotencyKey is not null
            && await ReplayAsync(db, clientId, idempotencyKey, submission.RequestHash, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            return replay;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = submission.SubjectId, ClientId = clientId, BiometricProcessing = true,
            TemplateStorage = submission.TemplateStorage, PolicyVersion = submission.PolicyVersion, GrantedAt = now,
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = clientId, SubjectId = submission.SubjectId, IdempotencyKey = idempotencyKey,
            RequestHash = submission.RequestHash, ConsentId = consent.Id, State = VerificationState.Queued, CreatedAt = now, UpdatedAt = now,
        };
        if (submission.ChallengeNonce is { } nonce)
        {
            var (instruction, refused) = await ClaimChallengeAsync(db, clientId, nonce, verification.Id, now, cancellationToken).ConfigureAwait(false);
            if (refused is { } reason)
            {
                return new SubmissionRefused(reason);
            }

            verification.LivenessChallenge = instruction;
        }

        // One transaction: the consent, the verification, the image index and the command commit together or not at all.
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        foreach (var image in submission.Images)
        {
            await blobs.AddAsync(db, submission.SubjectId, verification.Id, image.Kind, image.Bytes, cancellationToken, image.Sequence).ConfigureAwait(false);
        }

        Outbox.Add(db, new VerifyIdentity(verification.Id), now);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = caller.KeyId, ClientId = clientId, Action = VerificationStatuses.SubmittedAction, SubjectId = submission.SubjectId,
            VerificationId = verification.Id,
        });
        try
        {
            if (await IdempotentRequests.SaveAsync(db, databases, idempotencyKey,
                again => ReplayAsync(again, clientId, idempotencyKey!, submission.RequestHash, cancellationToken), cancellationToken).ConfigureAwait(false) is { } raced)
            {
                return raced;
            }
        }
        catch (DbUpdateConcurrencyException) when (submission.ChallengeNonce is not null)
        {
            // Another submission claimed the same challenge first.
            return new SubmissionRefused(SubmissionRefusal.ChallengeUsed);
        }

        telemetry.Submissions.Add(1);
        return new SubmissionAccepted(verification.Id, VerificationState.Queued, Replayed: false);
    }

    /// <summary>The answer to a retry: the earlier verification with this key, or a refusal when its content differs; null for a new key.</summary>
    private static Task<SubmissionOutcome?> ReplayAsync(VerifyDbContext db, string clientId, string key, byte[] requestHash,
        CancellationToken cancellationToken) =>
        IdempotentRequests.ReplayAsync(
            db.Verifications.AsNoTracking().Where(v => v.ClientId == clientId && v.IdempotencyKey == key)
                .Select(v => new EarlierRequest<VerificationState>(v.Id, v.State, v.RequestHash)),
            requestHash, (id, state) => (SubmissionOutcome)new SubmissionAccepted(id, state, Replayed: true),
            new SubmissionRefused(SubmissionRefusal.IdempotencyKeyReused), cancellationToken);

    /// <summary>
    /// Claims the challenge for the verification in <paramref name="db"/>'s unit of work and returns its instruction, or
    /// says why not. The claim commits with the submission; two submissions racing for one nonce cannot both commit
    /// (checked on update).
    /// </summary>
    private static async Task<(string? Instruction, SubmissionRefusal? Refusal)> ClaimChallengeAsync(VerifyDbContext db, string clientId, string nonce, Guid verificationId,
        DateTime now, CancellationToken cancellationToken)
    {
        byte[] hash = LivenessChallenges.Hash(nonce);
        var challenge = await db.LivenessChallenges.FirstOrDefaultAsync(c => c.NonceHash == hash, cancellationToken).ConfigureAwait(false);
        if (challenge is null || challenge.ClientId != clientId)
        {
            return (null, SubmissionRefusal.ChallengeUnknown);
        }

        if (challenge.UsedAt is not null)
        {
            return (null, SubmissionRefusal.ChallengeUsed);
        }

        if (challenge.ExpiresAt <= now)
        {
            return (null, SubmissionRefusal.ChallengeExpired);
        }

        challenge.UsedAt = now;
        challenge.VerificationId = verificationId;
        return (challenge.Instruction, null);
    }
}
