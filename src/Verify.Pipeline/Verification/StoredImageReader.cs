using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;

namespace Verify.Pipeline.Verification;

/// <summary>The decrypted images of a stored submission: the document's front (and back, when one was sent) and the selfie frames in order.</summary>
public sealed record StoredImages(byte[] Front, byte[]? Back, IReadOnlyList<byte[]> SelfieFrames)
{
    // Images: never printed.
    public override string ToString() => $"StoredImages {{ Back = {Back is not null}, SelfieFrames = {SelfieFrames.Count} }}";
}

/// <summary>Reads a verification's stored images back from the encrypted blob store.</summary>
public sealed class StoredImageReader(EncryptedBlobStore blobs)
{
    /// <summary>The images, or null when any of them expired or vanished (or none of a kind the pipeline needs was stored).</summary>
    public async Task<StoredImages?> ReadAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stored = await db.Blobs.AsNoTracking().Where(b => b.VerificationId == verificationId)
            .OrderBy(b => b.Sequence).Select(b => new { b.Id, b.Kind }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var front = stored.FirstOrDefault(i => i.Kind == BlobKind.DocumentFront);
        var back = stored.FirstOrDefault(i => i.Kind == BlobKind.DocumentBack);
        byte[]? frontBytes = front is null ? null : await blobs.ReadAsync(db, front.Id, cancellationToken).ConfigureAwait(false);
        byte[]? backBytes = back is null ? null : await blobs.ReadAsync(db, back.Id, cancellationToken).ConfigureAwait(false);
        var frames = new List<byte[]?>();
        foreach (var frame in stored.Where(i => i.Kind == BlobKind.Selfie))
        {
            frames.Add(await blobs.ReadAsync(db, frame.Id, cancellationToken).ConfigureAwait(false));
        }

        if (frontBytes is null || frames.Count == 0 || frames.Any(b => b is null) || (back is not null && backBytes is null))
        {
            return null;
        }

        return new StoredImages(frontBytes, backBytes, [.. frames.OfType<byte[]>()]);
    }
}
