using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What happens to a decided verification's images: kept (encrypted) for the review window when a reviewer will look,
/// deleted at once otherwise, and the deletion noted on the verification. Safe to repeat: a redelivery after a crash
/// finishes what was cut short.
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
        ArgumentNullException.ThrowIfNull(verification);
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
}
