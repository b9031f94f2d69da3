using System.ComponentModel.DataAnnotations;

namespace Verify.Data.Blobs;

/// <summary>Where the encrypted content of uploaded images goes.</summary>
public enum BlobContentStore
{
    /// <summary>Files in <see cref="BlobStoreOptions.Directory"/> (embedded mode, or a shared volume).</summary>
    LocalDirectory,

    /// <summary>A column of the blobs table (distributed mode without a shared volume).</summary>
    Database,
}

/// <summary>The uploaded-image store: content location and time to live.</summary>
public sealed class BlobStoreOptions
{
    public const string SectionName = "Blobs";

    public BlobContentStore Store { get; set; } = BlobContentStore.LocalDirectory;

    /// <summary>The directory of <see cref="BlobContentStore.LocalDirectory"/>; defaults to "blobs" under the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>How long an upload may live at most, decided or not (the purge job enforces it).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the images of a case sent to review are kept for the reviewers.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ReviewWindow { get; set; } = TimeSpan.FromDays(7);
}
