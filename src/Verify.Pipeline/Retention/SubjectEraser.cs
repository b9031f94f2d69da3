using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;

namespace Verify.Pipeline.Retention;

/// <summary>What deleting a subject's biometrics removed.</summary>
public sealed record ErasureReport(int Templates, int Fingerprints, int Images, bool BadgeRevoked);

/// <summary>
/// Deletes everything biometric about a subject (consent withdrawn): face templates, document fingerprints and stored
/// images; marks the consents withdrawn and revokes the badge (BadgeRevoked through the outbox) when there was one. The
/// verifications stay as the record of what was decided, holding codes and scores only.
/// </summary>
public sealed class SubjectEraser(EncryptedBlobStore blobs, TimeProvider time)
{
    public const string ConsentWithdrawn = "consent_withdrawn";

    public async Task<ErasureReport> EraseAsync(VerifyDbContext db, string subjectId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow().UtcDateTime;
        // Images first (their content lives outside the transaction), then the rows and the event in one transaction.
        int images = await blobs.DeleteForSubjectAsync(db, subjectId, cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        bool hadBadge = await db.Verifications.AnyAsync(v => v.SubjectId == subjectId && v.State == VerificationState.Verified, cancellationToken).ConfigureAwait(false);
        int templates = await db.FaceTemplates.Where(t => t.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        int fingerprints = await db.DocumentFingerprints.Where(f => f.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Consents.Where(c => c.SubjectId == subjectId && c.WithdrawnAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.WithdrawnAt, now), cancellationToken).ConfigureAwait(false);
        await db.Verifications.Where(v => v.SubjectId == subjectId && v.ImagesDeletedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.ImagesDeletedAt, now), cancellationToken).ConfigureAwait(false);
        if (hadBadge)
        {
            Outbox.Add(db, new BadgeRevoked(subjectId, ConsentWithdrawn, new DateTimeOffset(now)), now);
        }

        db.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = "biometrics.deleted", SubjectId = subjectId });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ErasureReport(templates, fingerprints, images, hadBadge);
    }
}
