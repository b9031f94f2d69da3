using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;

namespace Verify.Pipeline.Retention;

/// <summary>What deleting a subject's biometrics removed.</summary>
public sealed record ErasureReport(int Templates, int Fingerprints, int Images, bool BadgeRevoked);

/// <summary>
/// Deletes everything biometric about a subject (consent withdrawn): face templates, document fingerprints and stored
/// images (its verifications', and those of impersonation reports naming it as the claimed subject); marks the consents
/// withdrawn and revokes the badge (BadgeRevoked through the outbox) when there was one. The verifications and reports
/// stay as the record of what was decided, holding codes and scores only. The audit keeps its rows (the chain must not
/// break) but forgets the subject: their subject ids and salts go, and the digests link to nobody.
/// </summary>
public sealed class SubjectEraser(EncryptedBlobStore blobs, TimeProvider time)
{
    public const string ConsentWithdrawn = "consent_withdrawn";

    /// <param name="db">The verification store.</param>
    /// <param name="subjectId">The subject whose biometrics go.</param>
    /// <param name="caller">The API key that asked, for the audit trail.</param>
    /// <param name="clientId">Only what this client's verifications left behind; null (admins) for everything of the subject.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<ErasureReport> EraseAsync(VerifyDbContext db, string subjectId, ApiCaller caller, string? clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow().UtcDateTime;
        // All in one transaction that first takes the subject's lock in every client it covers (SubjectLock): a decision
        // or an approval that committed before is seen here and erased; one that commits after waits for this commit,
        // then sees the consent withdrawn and stores nothing. Admins cover every client that has the subject; two
        // erasures take the rows in one order.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        List<string> clients = clientId is not null
            ? [clientId]
            : await db.Consents.Where(c => c.SubjectId == subjectId).Select(c => c.ClientId).Distinct().OrderBy(c => c)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (string client in clients)
        {
            await SubjectLock.TakeAsync(db, client, subjectId, SubjectLockHolder.Erasure, cancellationToken).ConfigureAwait(false);
        }

        // One client withdrawing never touches what another client verified under the same subject id.
        var verifications = db.Verifications.Where(v => v.SubjectId == subjectId && clients.Contains(v.ClientId));
        var ids = await verifications.Select(v => v.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        // Impersonation reports naming the subject as the claimed person: their images were filed under the subject,
        // compared with its template and most likely show it, so they go too (the reports keep their codes and scores).
        var reports = db.ImpersonationReports.Where(r => r.ClaimedSubjectId == subjectId && (clientId == null || r.ClientId == clientId));
        var reportIds = await reports.Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);

        // The consents are withdrawn under the lock: a commit waiting for it re-checks them once this commits. The
        // images' content goes first of what they hold (a rollback leaves index rows without content, never the reverse).
        await db.Consents.Where(c => c.SubjectId == subjectId && clients.Contains(c.ClientId) && c.WithdrawnAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.WithdrawnAt, now), cancellationToken).ConfigureAwait(false);
        int images = await blobs.DeleteForVerificationsAsync(db, [.. ids, .. reportIds], cancellationToken).ConfigureAwait(false);

        int templates = await db.FaceTemplates.Where(t => t.SubjectId == subjectId && ids.Contains(t.VerificationId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        int fingerprints = await db.DocumentFingerprints.Where(f => f.SubjectId == subjectId && ids.Contains(f.VerificationId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        // The subject's cases leave the queue, with what they held for approving and the reviewers' notes.
        await db.ReviewCases.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await verifications.Where(v => v.ImagesDeletedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.ImagesDeletedAt, now), cancellationToken).ConfigureAwait(false);
        await reports.Where(r => r.ImagesDeletedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ImagesDeletedAt, now), cancellationToken).ConfigureAwait(false);
        // The reports' cases stay for the reported account, but a reviewer's note about the subject goes.
        await db.ReviewCases.Where(c => reportIds.Contains(c.Id) && c.Note != null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Note, (string?)null), cancellationToken).ConfigureAwait(false);
        // Read last: a reviewer's approval that committed while this ran is seen, and revoked.
        // One revocation per client that had a badge (an admin's erasure spans clients), each naming its own client.
        var badgeClients = await verifications.Where(v => v.State == VerificationState.Verified).Select(v => v.ClientId).Distinct()
            .OrderBy(c => c).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (string badgeClient in badgeClients)
        {
            Outbox.Add(db, new BadgeRevoked(badgeClient, subjectId, ConsentWithdrawn, new DateTimeOffset(now)), now);
        }

        db.AuditEvents.Add(new AuditEvent { At = now, Actor = caller.KeyId, ClientId = caller.ClientId, Action = "biometrics.deleted", SubjectId = subjectId });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        // This erasure's own row included; another client's rows about the same subject id are not this erasure's to touch.
        await db.AuditEvents
            .Where(a => a.SubjectId == subjectId
                && (clientId == null || a.ClientId == clientId || (a.VerificationId != null && ids.Contains(a.VerificationId.Value))))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.SubjectId, (string?)null).SetProperty(a => a.SubjectSalt, (byte[]?)null), cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ErasureReport(templates, fingerprints, images, badgeClients.Count > 0);
    }
}
