using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Verify.Data.Blobs;

/// <summary>
/// Content as objects {prefix}{id}.blob in an S3-compatible bucket (distributed mode): the AWS SDK's client, talking
/// to AWS S3 or to any server that speaks its protocol. The objects hold ciphertext only; a PUT is atomic, so a
/// reader never sees half an object.
/// </summary>
public sealed class S3BlobContentStore : IBlobContentStore, IDisposable
{
    private const string FileExtension = ".blob";

    // DeleteObjects takes at most 1000 keys per request.
    private const int DeleteBatch = 1000;

    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly bool _compatibleChecksums;

    public S3BlobContentStore(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket ?? throw new ArgumentException($"{BlobStoreOptions.SectionName}:S3:Bucket is not set.", nameof(options));
        _prefix = options.Prefix;
        _compatibleChecksums = options.CompatibleChecksums;
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle, AuthenticationRegion = options.Region };
        if (options.ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        if (_compatibleChecksums)
        {
            // Many S3-compatible servers reject the SDK's default trailing CRC checksums (aws-chunked uploads).
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        _client = options.AccessKeyId is { Length: > 0 } && options.SecretAccessKey is { Length: > 0 }
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config)
            : new AmazonS3Client(config); // the SDK's default chain: environment, profile, instance or pod role
    }

    /// <summary>
    /// Lists a key range that holds nothing (so nothing is paged: s3rver answers 500 to a truncated page): throws when
    /// the server, the bucket or the credentials do not answer.
    /// </summary>
    public async Task CheckReachableAsync(CancellationToken cancellationToken) =>
        await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = $"{_prefix}readiness-" }, cancellationToken).ConfigureAwait(false);

    public async Task WriteAsync(Guid id, byte[] ciphertext, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(ciphertext, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = KeyOf(id),
            InputStream = content,
            AutoCloseStream = false,
            ContentType = "application/octet-stream",
            UseChunkEncoding = !_compatibleChecksums,
        };
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, KeyOf(id), cancellationToken).ConfigureAwait(false);
            using var content = new MemoryStream(checked((int)Math.Max(0, response.ContentLength)));
            await response.ResponseStream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
            return content.ToArray();
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound && exception.ErrorCode == "NoSuchKey")
        {
            // Only a missing object is "no content". A missing bucket or a wrong endpoint also answers 404, and must
            // fail (and be retried) rather than pass as images that expired.
            return null;
        }
    }

    public Task DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        DeleteKeysAsync(ids.Select(KeyOf), cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<StoredBlobContent> contents, CancellationToken cancellationToken) =>
        DeleteKeysAsync(contents.Select(c => c.Key), cancellationToken);

    public async IAsyncEnumerable<StoredBlobContent> ListWrittenBeforeAsync(DateTime cutoffUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                string name = item.Key[_prefix.Length..];
                if (name.Length == 32 + FileExtension.Length && name.EndsWith(FileExtension, StringComparison.Ordinal)
                    && Guid.TryParseExact(name[..32], "N", out var id) && item.LastModified is { } modified && modified.ToUniversalTime() < cutoffUtc)
                {
                    yield return new StoredBlobContent(id, item.Key, Incomplete: false);
                }
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public void Dispose() => _client.Dispose();

    private string KeyOf(Guid id) => _prefix + id.ToString("N") + FileExtension;

    private async Task DeleteKeysAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(DeleteBatch))
        {
            var request = new DeleteObjectsRequest
            {
                BucketName = _bucket,
                Quiet = true,
                Objects = [.. chunk.Select(key => new KeyVersion { Key = key })],
            };
            var response = await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
            // A key that does not exist counts as deleted; any other failure must not pass as a deletion.
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                throw new IOException($"S3 refused to delete {errors.Count} of {chunk.Length} objects in bucket {_bucket}; first: {errors[0].Code}.");
            }
        }
    }
}
