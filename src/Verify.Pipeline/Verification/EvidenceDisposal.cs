using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Retention;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What happens to a decided verification's images: kept (encrypted) for the review window when a reviewer will look,
/// deleted at once otherwise, and the deletion noted on the verification. When the subject withdrew consent, whatever
/// the decision stored goes too: images, templates, fingerprint, review case, and the badge is revoked. Decisions and
/// approvals commit under the subject's lock (<see cref="SubjectLock"/>) and re-check the consent there, so
/// for them this finds nothing biometric left to undo; it stays for what commits without that lock (giving up after
/// every attempt failed keeps a case and its images for review) and as a second line behind the lock, at the cost of
/// one indexed read per decision. Safe to repeat: a redelivery after a crash finishes what was cut short.
/// </summary>
public sealed class EvidenceDisposal(EncryptedBlobStore blobs, TimeProvider time)
{
    /// <summary>Adds the portrait the pipeline compared to a case going to review (the caller saves), so a reviewer sees that crop.</summary>
    public Task AddReviewPortraitAsync(VerifyDbContext db, VerificationRecord verification, byte[] portrait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.DocumentPortrait, portrait, cancellationToken);
    }

    public async Task SettleAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verification);
        if (await db.Consents.AnyAsync(c => c.Id == verification.ConsentId && c.WithdrawnAt != null, cancellationToken).ConfigureAwait(false))
        {
            await UndoAfterWithdrawalAsync(db, verification, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (verification.State == VerificationState.NeedsReview)
        {
            await blobs.KeepForReviewAsync(db, verification.Id, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await blobs.DeleteForVerificationAsync(db, verification.Id, cancellationToken).ConfigureAwait(false) > 0 || verification.ImagesDeletedAt is null)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.Verifications.Where(v => v.Id == verification.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(v => v.ImagesDeletedAt, now), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The erasure already answered, or is running: nothing of this decision may stay. The verification itself stays as
    /// the record of what was decided, as the erasure leaves the others.
    /// </summary>
    private async Task UndoAfterWithdrawalAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await blobs.DeleteForVerificationAsync(db, verification.Id, cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.FaceTemplates.Where(t => t.VerificationId == verification.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.DocumentFingerprints.Where(f => f.VerificationId == verification.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.ReviewCases.Where(c => c.Id == verification.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Verifications.Where(v => v.Id == verification.Id && v.ImagesDeletedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.ImagesDeletedAt, now), cancellationToken).ConfigureAwait(false);
        if (verification.State == VerificationState.Verified)
        {
            // The erasure may have looked before this badge was granted: revoke it (once more is harmless to a consumer).
            Outbox.Add(db, new BadgeRevoked(verification.ClientId, verification.SubjectId, SubjectEraser.ConsentWithdrawn, new DateTimeOffset(now)), now);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
