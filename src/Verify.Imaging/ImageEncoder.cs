using Verify.Imaging.Codecs;
using Verify.Imaging.Exif;

namespace Verify.Imaging;

/// <summary>
/// Encodes <see cref="RgbImage"/>s as JPEG or PNG through the same native libraries the decoder uses; WebP and HEIC
/// only for fixtures and the decoders' fuzz corpus (`verify fuzz-decoders`).
/// </summary>
/// <remarks>Thread-safe: each call uses its own native encoder state.</remarks>
public static class ImageEncoder
{
    /// <summary>
    /// Encodes as baseline JPEG at <paramref name="quality"/> (1-100); quality 90 and above keeps full chroma
    /// resolution, lower qualities subsample chroma 4:2:0. With an orientation other than
    /// <see cref="ExifOrientation.Normal"/>, an EXIF block tells readers how to turn the stored pixels upright.
    /// </summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 90, ExifOrientation orientation = ExifOrientation.Normal)
    {
        ArgumentNullException.ThrowIfNull(image);
        var jpeg = JpegEncoder.Encode(image.Pixels, image.Width, image.Height, quality);
        return orientation == ExifOrientation.Normal ? jpeg : ExifOrientationWriter.WithJpegOrientation(jpeg, orientation);
    }

    /// <summary>Encodes as 8-bit RGB PNG (lossless).</summary>
    public static byte[] EncodePng(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PngEncoder.Encode(image.Pixels, image.Width, image.Height, PngEncoder.FormatRgb);
    }

    /// <summary>Encodes as WebP (lossy at quality 90, or lossless).</summary>
    public static byte[] EncodeWebP(RgbImage image, bool lossless = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        return WebPEncoder.Encode(image.Pixels, image.Width, image.Height, 3, lossless);
    }

    /// <summary>Encodes as HEIC (HEVC at quality 90) through libheif's x265 encoder.</summary>
    public static byte[] EncodeHeic(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return HeifEncoder.Encode(image.Pixels, image.Width, image.Height);
    }
}
