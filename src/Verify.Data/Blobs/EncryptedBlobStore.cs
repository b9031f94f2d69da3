using Microsoft.EntityFrameworkCore;
using Verify.Data.Entities;
using Verify.Data.Protection;

namespace Verify.Data.Blobs;

/// <summary>
/// Uploaded images, encrypted at rest (AES-GCM, the blob id as purpose) with a time to live. The index (owner, kind,
/// expiry) is a row in the database, added in the caller's unit of work so it commits with the verification; the
/// content goes to the row itself or to a content store (a local directory or an S3-compatible bucket).
/// </summary>
public sealed class EncryptedBlobStore
{
    private readonly BlobStoreOptions _options;
    private readonly PayloadProtector _protector;
    private readonly TimeProvider _time;
    private readonly IBlobContentStore? _target;
    private readonly IReadOnlyList<IBlobContentStore> _stores;

    /// <param name="options">Time to live and review window.</param>
    /// <param name="protector">Encrypts and authenticates the content.</param>
    /// <param name="time">The clock that expiry is measured on.</param>
    /// <param name="target">Where new content goes; null: the blobs table.</param>
    /// <param name="stores">
    /// Every content store that may hold content, the target first: reads, deletions and the orphan sweep look in all
    /// of them, so content written before a change of store is still read and still deleted.
    /// </param>
    public EncryptedBlobStore(BlobStoreOptions options, PayloadProtector protector, TimeProvider time,
        IBlobContentStore? target, IReadOnlyList<IBlobContentStore> stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        if (target is not null && !stores.Contains(target))
        {
            throw new ArgumentException("The target store must be one of the stores.", nameof(stores));
        }

        _options = options;
        _protector = protector;
        _time = time;
        _target = target;
        _stores = target is null ? stores : [target, .. stores.Where(s => !ReferenceEquals(s, target))];
    }

    /// <summary>Encrypts and stores <paramref name="content"/>, and adds its index row to <paramref name="db"/> (the caller saves).</summary>
    public async Task<BlobRecord> AddAsync(VerifyDbContext db, string subjectId, Guid verificationId, BlobKind kind,
        ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default, int sequence = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = _time.GetUtcNow().UtcDateTime;
        var record = new BlobRecord
        {
            Id = Guid.NewGuid(),
            SubjectId = subjectId,
            VerificationId = verificationId,
            Kind = kind,
            Sequence = sequence,
            Length = content.Length,
            CreatedAt = now,
            ExpiresAt = now + _options.TimeToLive,
        };
        var ciphertext = _protector.Protect(content.Span, Purpose(record.Id));
        if (_target is null)
        {
            record.Content = ciphertext;
        }
        else
        {
            await _target.WriteAsync(record.Id, ciphertext, cancellationToken).ConfigureAwait(false);
        }

        db.Blobs.Add(record);
        return record;
    }

    /// <summary>The decrypted content, or null when the blob is gone or expired.</summary>
    public async Task<byte[]?> ReadAsync(VerifyDbContext db, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = _time.GetUtcNow().UtcDateTime;
        var record = await db.Blobs.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken).ConfigureAwait(false);
        if (record is null || record.ExpiresAt <= now)
        {
            return null;
        }

        // The row, else the stores in order (the target first): content from before a change of store is still found.
        byte[]? ciphertext = record.Content;
        for (int i = 0; ciphertext is null && i < _stores.Count; i++)
        {
            ciphertext = await _stores[i].ReadAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return ciphertext is null ? null : _protector.Unprotect(ciphertext, Purpose(id));
    }

    /// <summary>Keeps a case's images until the review window closes: extends, never shortens, and never revives an expired image.</summary>
    public async Task<int> KeepForReviewAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = _time.GetUtcNow().UtcDateTime;
        var until = now + _options.ReviewWindow;
        return await db.Blobs.Where(b => b.VerificationId == verificationId && b.ExpiresAt > now && b.ExpiresAt < until)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.ExpiresAt, until), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every image of a verification (after its final decision).</summary>
    public Task<int> DeleteForVerificationAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken = default) =>
        DeleteAsync(db, db.Blobs.Where(b => b.VerificationId == verificationId), cancellationToken);

    /// <summary>Deletes every image of these verifications at once.</summary>
    public Task<int> DeleteForVerificationsAsync(VerifyDbContext db, IReadOnlyCollection<Guid> verificationIds, CancellationToken cancellationToken = default) =>
        DeleteAsync(db, db.Blobs.Where(b => verificationIds.Contains(b.VerificationId)), cancellationToken);

    /// <summary>Deletes every image whose time to live has ended.</summary>
    public Task<int> PurgeExpiredAsync(VerifyDbContext db, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return DeleteAsync(db, db.Blobs.Where(b => b.ExpiresAt <= now), cancellationToken);
    }

    /// <summary>
    /// Deletes stored content that has no index row and is older than <paramref name="grace"/>: the upload whose
    /// transaction failed after its content was written, or a write a crash interrupted. Returns how many were deleted.
    /// </summary>
    public async Task<int> SweepOrphanContentAsync(VerifyDbContext db, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var cutoff = _time.GetUtcNow().UtcDateTime - grace;
        int deleted = 0;
        foreach (var store in _stores)
        {
            var candidates = new List<StoredBlobContent>();
            await foreach (var content in store.ListWrittenBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false))
            {
                candidates.Add(content);
            }

            foreach (var chunk in candidates.Chunk(500))
            {
                var ids = chunk.Select(c => c.Id).ToList();
                var indexed = (await db.Blobs.Where(b => ids.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
                var orphans = chunk.Where(c => c.Incomplete || !indexed.Contains(c.Id)).ToList();
                await store.DeleteAsync(orphans, cancellationToken).ConfigureAwait(false);
                deleted += orphans.Count;
            }
        }

        return deleted;
    }

    private static string Purpose(Guid id) => $"blob:{id:N}";

    private async Task<int> DeleteAsync(VerifyDbContext db, IQueryable<BlobRecord> blobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = await blobs.Select(b => b.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return 0;
        }

        // Content first: a crash between the two leaves an index row without content (harmless, purged again),
        // never content without an index row that would escape every later deletion. Every store, not only the
        // target: content written before a change of store must go as well.
        foreach (var store in _stores)
        {
            await store.DeleteAsync(ids, cancellationToken).ConfigureAwait(false);
        }

        int deleted = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            deleted += await db.Blobs.Where(b => chunk.Contains(b.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }
}
