namespace Verify.Data.Blobs;

/// <summary>One piece of stored content: its blob id, its key in the store, and whether it is a write a crash interrupted.</summary>
public readonly record struct StoredBlobContent(Guid Id, string Key, bool Incomplete);

/// <summary>
/// Where the encrypted content of uploaded images lives when it is not in the blobs table: a local directory or an
/// S3-compatible bucket. It only ever sees ciphertext; <see cref="EncryptedBlobStore"/> encrypts, keeps the index
/// rows and decides what to delete.
/// </summary>
public interface IBlobContentStore
{
    /// <summary>Stores the content of blob <paramref name="id"/>; a reader never sees half of it.</summary>
    Task WriteAsync(Guid id, byte[] ciphertext, CancellationToken cancellationToken);

    /// <summary>The content of blob <paramref name="id"/>, or null when there is none.</summary>
    Task<byte[]?> ReadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Deletes the content of these blobs; content already gone is no error.</summary>
    Task DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Deletes pieces found by <see cref="ListWrittenBeforeAsync"/>.</summary>
    Task DeleteAsync(IReadOnlyCollection<StoredBlobContent> contents, CancellationToken cancellationToken);

    /// <summary>Every piece of content last written before <paramref name="cutoffUtc"/> (for the orphan sweep).</summary>
    IAsyncEnumerable<StoredBlobContent> ListWrittenBeforeAsync(DateTime cutoffUtc, CancellationToken cancellationToken);
}
