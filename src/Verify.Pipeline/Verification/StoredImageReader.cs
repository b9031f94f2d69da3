using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Documents.Reading;

namespace Verify.Pipeline.Verification;

/// <summary>
/// The decrypted evidence of a stored submission: the document (its front and back photos, its chip's data groups, as
/// sent) and the selfie frames in order.
/// </summary>
public sealed record StoredImages(DocumentEvidence Document, IReadOnlyList<byte[]> SelfieFrames)
{
    // Images: never printed.
    public override string ToString() => $"StoredImages {{ {Document}, SelfieFrames = {SelfieFrames.Count} }}";
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
        // Each kind stored is read back; one that was stored but is gone now (expired, erased) makes the whole set unusable.
        var read = new Dictionary<BlobKind, byte[]?>();
        foreach (var kind in new[] { BlobKind.DocumentFront, BlobKind.DocumentBack, BlobKind.ChipDg1, BlobKind.ChipDg2, BlobKind.ChipSod })
        {
            if (stored.FirstOrDefault(i => i.Kind == kind) is { } blob)
            {
                read[kind] = await blobs.ReadAsync(db, blob.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        var frames = new List<byte[]?>();
        foreach (var frame in stored.Where(i => i.Kind == BlobKind.Selfie))
        {
            frames.Add(await blobs.ReadAsync(db, frame.Id, cancellationToken).ConfigureAwait(false));
        }

        byte[]? Part(BlobKind kind) => read.GetValueOrDefault(kind);
        var chip = Part(BlobKind.ChipDg1) is { } dg1 && Part(BlobKind.ChipDg2) is { } dg2 && Part(BlobKind.ChipSod) is { } sod ? new ChipEvidence(dg1, dg2, sod) : null;
        bool complete = read.Values.All(b => b is not null) && (chip is not null || Part(BlobKind.DocumentFront) is not null)
            && (chip is null) == !read.ContainsKey(BlobKind.ChipDg1);
        if (!complete || frames.Count == 0 || frames.Any(b => b is null))
        {
            return null;
        }

        return new StoredImages(new DocumentEvidence(Part(BlobKind.DocumentFront), Part(BlobKind.DocumentBack), chip), [.. frames.OfType<byte[]>()]);
    }
}
