using System.Runtime.CompilerServices;

namespace Verify.Data.Blobs;

/// <summary>
/// Content as owner-only files, {id}.blob, in one directory (embedded mode, or a volume the API and the workers
/// share). A write goes to {id}.blob.tmp first and is renamed into place.
/// </summary>
public sealed class DirectoryBlobContentStore(string directory) : IBlobContentStore
{
    private const string FileExtension = ".blob";
    private const string TemporarySuffix = ".tmp";

    public string Directory { get; } = directory;

    public async Task WriteAsync(Guid id, byte[] ciphertext, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = PathOf(id), temporary = path + TemporarySuffix;
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

    public async Task<byte[]?> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        string path = PathOf(id);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var id in ids)
            {
                File.Delete(PathOf(id));
            }
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(IReadOnlyCollection<StoredBlobContent> contents, CancellationToken cancellationToken)
    {
        foreach (var content in contents)
        {
            File.Delete(Path.Combine(Directory, content.Key));
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredBlobContent> ListWrittenBeforeAsync(DateTime cutoffUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + FileExtension + "*"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = Path.GetFileName(path);
            if (Guid.TryParseExact(name[..Math.Min(32, name.Length)], "N", out var id) && File.GetLastWriteTimeUtc(path) < cutoffUtc)
            {
                yield return new StoredBlobContent(id, name, name.EndsWith(TemporarySuffix, StringComparison.Ordinal));
            }
        }
    }

    private string PathOf(Guid id) => Path.Combine(Directory, id.ToString("N") + FileExtension);
}
