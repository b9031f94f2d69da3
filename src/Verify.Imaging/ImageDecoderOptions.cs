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

    /// <summary>
    /// Whether JPEG 2000 is decoded (off by default: uploads accept only the formats in
    /// <see cref="ImageDecoder.SupportedFormats"/>, and JPEG 2000 is refused as any unsupported format is). Only the
    /// decoder of ePassport chip portraits (DG2) turns it on; the limits above apply to it as to every format.
    /// </summary>
    public bool AllowJpeg2000 { get; set; }

    /// <summary>These limits, with JPEG 2000 allowed: for the decoders of chip portraits.</summary>
    public ImageDecoderOptions WithJpeg2000() => new() { MaxPixels = MaxPixels, MaxDimension = MaxDimension, AllowJpeg2000 = true };
}
