using System.ComponentModel.DataAnnotations;

namespace Verify.Api.Verifications;

/// <summary>Limits on what one submission may carry (pixel limits are the decoder's: Imaging:MaxPixels, Imaging:MaxDimension).</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Upload";

    /// <summary>Largest image, in bytes (default 10 MB).</summary>
    [Range(1024, 100_000_000)]
    public long MaxFileBytes { get; set; } = 10_000_000;

    /// <summary>Largest request, in bytes: the images plus the fields (default 40 MB). The form is held in memory,
    /// never spilled to temporary files, so no unencrypted image touches the disk.</summary>
    [Range(1024, 500_000_000)]
    public long MaxRequestBytes { get; set; } = 40_000_000;

    /// <summary>Submissions per client per minute before 429.</summary>
    [Range(1, 100_000)]
    public int SubmissionsPerMinute { get; set; } = 120;

    /// <summary>
    /// Submissions this API process reads and decodes at once, over all clients: each may hold up to
    /// <see cref="MaxRequestBytes"/> and several decoded images in memory. Further ones wait in a queue.
    /// </summary>
    [Range(1, 1024)]
    public int ConcurrentSubmissions { get; set; } = 8;

    /// <summary>Submissions that may wait for a free slot; beyond that a 503 <c>server_busy</c> with Retry-After.</summary>
    [Range(0, 10_000)]
    public int SubmissionQueue { get; set; } = 32;
}
