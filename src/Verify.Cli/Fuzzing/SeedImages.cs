using Verify.Imaging;
using Verify.Imaging.Codecs;
using Verify.Imaging.Exif;

namespace Verify.Cli.Fuzzing;

/// <summary>
/// The seed corpus of `verify fuzz-decoders`, made in memory with the project's own encoders (nothing read from disk,
/// no face): small synthetic pictures in each format and variant the decoders take (JPEG at high and low quality, with
/// an EXIF orientation; PNG; lossy and lossless WebP; HEIC; JPEG 2000 as JP2 and as a raw codestream, lossy and
/// lossless).
/// </summary>
internal static class SeedImages
{
    /// <summary>The decoders fuzzed, by the format of their seeds.</summary>
    public static readonly IReadOnlyList<ImageFormat> Formats = [ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.WebP, ImageFormat.Heic, ImageFormat.Jpeg2000];

    /// <summary>The seeds of one format.</summary>
    public static IReadOnlyList<byte[]> For(ImageFormat format)
    {
        using var small = Picture(64, 48, 1);
        using var larger = Picture(160, 120, 2);
        return format switch
        {
            ImageFormat.Jpeg =>
            [
                ImageEncoder.EncodeJpeg(small, 95), ImageEncoder.EncodeJpeg(larger, 50),
                ImageEncoder.EncodeJpeg(small, 80, ExifOrientation.Rotate90Clockwise),
            ],
            ImageFormat.Png => [ImageEncoder.EncodePng(small), ImageEncoder.EncodePng(larger)],
            ImageFormat.WebP => [ImageEncoder.EncodeWebP(small), ImageEncoder.EncodeWebP(larger, lossless: true)],
            ImageFormat.Heic => [ImageEncoder.EncodeHeic(small), ImageEncoder.EncodeHeic(larger)],
            ImageFormat.Jpeg2000 =>
            [
                Jpeg2000Encoder.Encode(small), Jpeg2000Encoder.Encode(larger, compressionRatio: 1, jp2Container: false),
                Jpeg2000Encoder.Encode(small, compressionRatio: 8, jp2Container: false),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "No seeds for this format."),
        };
    }

    /// <summary>Gradients, a disc and deterministic noise: enough detail that every codec emits real coded data.</summary>
    private static RgbImage Picture(int width, int height, int variant)
    {
        var image = RgbImage.Allocate(width, height);
        var random = new Random(variant);
        for (int y = 0; y < height; y++)
        {
            var row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                bool disc = ((x - (width / 2)) * (x - (width / 2))) + ((y - (height / 2)) * (y - (height / 2))) < height * height / 9;
                row[x * 3] = (byte)(disc ? 220 : x * 255 / width);
                row[(x * 3) + 1] = (byte)((y * 255 / height) ^ random.Next(32));
                row[(x * 3) + 2] = (byte)(disc ? 40 : (x + y) * variant);
            }
        }

        return image;
    }
}
