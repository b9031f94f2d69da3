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

    /// <summary>
    /// Uploads one client may have in flight in this process (checked before the process-wide
    /// <see cref="ConcurrentSubmissions"/>, so one client never holds more than its share); beyond that a 429
    /// <c>too_many_uploads</c>. Default 4 of the 8 slots: a slow client leaves the rest to others.
    /// </summary>
    [Range(1, 1024)]
    public int ConcurrentUploadsPerClient { get; set; } = 4;

    /// <summary>
    /// Verifications and impersonation reports one client may have queued or processing, counted in the database over
    /// every API instance; beyond that a 429 <c>queue_quota_exceeded</c>. Default 500: about half an hour of one CPU worker.
    /// </summary>
    [Range(1, 10_000_000)]
    public int QueuedPerClient { get; set; } = 500;

    /// <summary>Request bytes one client may send to the upload endpoints per UTC day (default 20 GB); beyond that a 429 <c>daily_quota_exceeded</c>.</summary>
    [Range(1024, long.MaxValue)]
    public long RequestBytesPerClientPerDay { get; set; } = 20_000_000_000;

    /// <summary>Longest an upload's body may take to arrive, from the first read (default 2 minutes); then a 408 <c>upload_too_slow</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Slowest an upload's body may arrive after <see cref="MinBodyRateGrace"/> (default 10 kB/s); slower is a 408 <c>upload_too_slow</c>.</summary>
    [Range(1, 100_000_000)]
    public int MinBodyBytesPerSecond { get; set; } = 10_000;

    /// <summary>How long an upload may send less than <see cref="MinBodyBytesPerSecond"/> at its start (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinBodyRateGrace { get; set; } = TimeSpan.FromSeconds(5);
}
