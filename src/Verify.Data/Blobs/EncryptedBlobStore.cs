using Microsoft.EntityFrameworkCore;
using Verify.Data.Entities;
using Verify.Data.Protection;

namespace Verify.Data.Blobs;

/// <summary>
/// Uploaded images, encrypted at rest (AES-GCM, the blob id as purpose) with a time to live. The index (owner, kind,
/// expiry) is a row in the database, added in the caller's unit of work so it commits with the verification; the
/// content goes to a local directory or to the row itself.
/// </summary>
public sealed class EncryptedBlobStore(BlobStoreOptions options, PayloadProtector protector, TimeProvider time)
{
    private const string FileExtension = ".blob";

    /// <summary>Encrypts and stores <paramref name="content"/>, and adds its index row to <paramref name="db"/> (the caller saves).</summary>
    public async Task<BlobRecord> AddAsync(VerifyDbContext db, string subjectId, Guid verificationId, BlobKind kind,
        ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default, int sequence = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow().UtcDateTime;
        var record = new BlobRecord
        {
            Id = Guid.NewGuid(),
            SubjectId = subjectId,
            VerificationId = verificationId,
            Kind = kind,
            Sequence = sequence,
            Length = content.Length,
            CreatedAt = now,
            ExpiresAt = now + options.TimeToLive,
        };
        var ciphertext = protector.Protect(content.Span, Purpose(record.Id));
        if (options.Store == BlobContentStore.Database)
        {
            record.Content = ciphertext;
        }
        else
        {
            await WriteFileAsync(record.Id, ciphertext, cancellationToken).ConfigureAwait(false);
        }

        db.Blobs.Add(record);
        return record;
    }

    /// <summary>The decrypted content, or null when the blob is gone or expired.</summary>
    public async Task<byte[]?> ReadAsync(VerifyDbContext db, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow().UtcDateTime;
        var record = await db.Blobs.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken).ConfigureAwait(false);
        if (record is null || record.ExpiresAt <= now)
        {
            return null;
        }

        byte[]? ciphertext = record.Content;
        if (ciphertext is null && options.Directory is not null)
        {
            string path = PathOf(id);
            if (!File.Exists(path))
            {
                return null;
            }

            ciphertext = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }

        return ciphertext is null ? null : protector.Unprotect(ciphertext, Purpose(id));
    }

    /// <summary>Keeps a case's images until the review window closes: extends, never shortens, and never revives an expired image.</summary>
    public async Task<int> KeepForReviewAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + options.ReviewWindow;
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
        var now = time.GetUtcNow().UtcDateTime;
        return DeleteAsync(db, db.Blobs.Where(b => b.ExpiresAt <= now), cancellationToken);
    }

    /// <summary>
    /// Deletes content files that have no index row and are older than <paramref name="grace"/>: the upload whose
    /// transaction failed after its file was written. Returns how many were deleted.
    /// </summary>
    public async Task<int> SweepOrphanFilesAsync(VerifyDbContext db, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (options.Directory is null || !System.IO.Directory.Exists(RootDirectory))
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - grace;
        var candidates = new List<(Guid Id, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(RootDirectory, "*" + FileExtension + "*"))
        {
            // A content file is {id}.blob; {id}.blob.tmp is a write that a crash interrupted.
            string name = Path.GetFileName(path);
            if (Guid.TryParseExact(name[..Math.Min(32, name.Length)], "N", out var id) && File.GetLastWriteTimeUtc(path) < cutoff)
            {
                candidates.Add((id, path));
            }
        }

        int deleted = 0;
        foreach (var chunk in candidates.Chunk(500))
        {
            var ids = chunk.Select(c => c.Id).ToList();
            var indexed = (await db.Blobs.Where(b => ids.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
            foreach (var (_, path) in chunk.Where(c => !indexed.Contains(c.Id) || c.Path.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                File.Delete(path);
                deleted++;
            }
        }

        return deleted;
    }

    private string RootDirectory => options.Directory ?? throw new InvalidOperationException($"{BlobStoreOptions.SectionName}:Directory is not set.");

    private string PathOf(Guid id) => Path.Combine(RootDirectory, id.ToString("N") + FileExtension);

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
        // never content without an index row that would escape every later deletion.
        // Files too when the store is now the database: content written before a change of store must go as well.
        if (options.Directory is not null && System.IO.Directory.Exists(RootDirectory))
        {
            foreach (var id in ids)
            {
                File.Delete(PathOf(id));
            }
        }

        int deleted = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            deleted += await db.Blobs.Where(b => chunk.Contains(b.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    private async Task WriteFileAsync(Guid id, byte[] ciphertext, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(RootDirectory);
        string path = PathOf(id), temporary = path + ".tmp";
        try
        {
            await using (var stream = OwnerOnlyFile.CreateNew(temporary, asynchronous: true))
            {
                await stream.WriteAsync(ciphertext, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
