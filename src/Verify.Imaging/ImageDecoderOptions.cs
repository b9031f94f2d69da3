using System.ComponentModel.DataAnnotations;

namespace Verify.Imaging;

/// <summary>Limits applied before any pixel is decoded.</summary>
public sealed class ImageDecoderOptions
{
    public const string SectionName = "Imaging";

    /// <summary>Largest accepted width * height (default 40 megapixels, above any phone camera in use).</summary>
    [Range(1, 250_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Largest accepted side in pixels, so a 1 x 40,000,000 strip is refused too.</summary>
    [Range(1, 65_535)]
    public int MaxDimension { get; set; } = 16_384;
}
