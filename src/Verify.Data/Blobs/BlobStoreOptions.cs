using System.ComponentModel.DataAnnotations;

namespace Verify.Data.Blobs;

/// <summary>Where the encrypted content of uploaded images goes.</summary>
public enum BlobContentStore
{
    /// <summary>Files in <see cref="BlobStoreOptions.Directory"/> (embedded mode, or a shared volume).</summary>
    LocalDirectory,

    /// <summary>A column of the blobs table (distributed mode without a shared volume or bucket).</summary>
    Database,

    /// <summary>Objects in an S3-compatible bucket, <see cref="BlobStoreOptions.S3"/> (distributed mode).</summary>
    S3,
}

/// <summary>The uploaded-image store: content location and time to live.</summary>
public sealed class BlobStoreOptions : IValidatableObject
{
    public const string SectionName = "Blobs";

    public BlobContentStore Store { get; set; } = BlobContentStore.LocalDirectory;

    /// <summary>The directory of <see cref="BlobContentStore.LocalDirectory"/>; defaults to "blobs" under the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>The bucket of <see cref="BlobContentStore.S3"/>.</summary>
    public S3BlobStoreOptions S3 { get; set; } = new();

    /// <summary>How long an upload may live at most, decided or not (the purge job enforces it).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the images of a case sent to review are kept for the reviewers.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ReviewWindow { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Store == BlobContentStore.S3 && string.IsNullOrWhiteSpace(S3.Bucket))
        {
            yield return new ValidationResult($"{SectionName}:S3:Bucket is required when {SectionName}:Store is S3.", [nameof(S3)]);
        }

        if (S3.Prefix.StartsWith('/'))
        {
            yield return new ValidationResult($"{SectionName}:S3:Prefix must not start with '/'.", [nameof(S3)]);
        }

        if (S3.ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"{SectionName}:S3:ServiceUrl must be an absolute URL.", [nameof(S3)]);
        }
    }
}

/// <summary>An S3-compatible bucket for image content: AWS S3, or any server speaking its protocol.</summary>
public sealed class S3BlobStoreOptions
{
    /// <summary>The server, e.g. http://127.0.0.1:54568 or https://s3.example.net; unset: AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The signing region (and AWS's endpoint when <see cref="ServiceUrl"/> is unset).</summary>
    public string Region { get; set; } = "us-east-1";

    public string? Bucket { get; set; }

    /// <summary>Every key starts with it, so the orphan sweep lists only Verify's objects.</summary>
    public string Prefix { get; set; } = "verify/blobs/";

    /// <summary>With <see cref="SecretAccessKey"/>; both unset: the SDK's default chain (environment, profile, instance role).</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>Path-style URLs (server/bucket/key), which S3-compatible servers expect; false for AWS's virtual hosts.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>
    /// Checksums only where S3 requires them, and no aws-chunked uploads: many S3-compatible servers reject the
    /// SDK's default trailing checksums. AES-GCM already authenticates every object's content.
    /// </summary>
    public bool CompatibleChecksums { get; set; } = true;
}
