using Verify.Imaging;

namespace Verify.Documents.Reading;

/// <summary>Cuts one MRZ line out of a document photo as a level, evenly lit grey strip at the pitch Tesseract reads best.</summary>
internal static class MrzStrip
{
    /// <summary>Character pitch of the strip, in pixels: OCR-B capitals then stand about 24 pixels tall.</summary>
    public const int TargetPitch = 24;

    /// <summary>The strip reaches this many pitches beyond the first and last character centres.</summary>
    public const double MarginPitches = 1.2;

    public static GrayImage Extract(GrayImage source, MrzLineGeometry line, double sharpening = 0, int targetPitch = TargetPitch)
    {
        double length = line.Length;
        double dx = (line.EndX - line.StartX) / length, dy = (line.EndY - line.StartY) / length;
        double scale = targetPitch / line.Pitch;
        // 1.2 pitches beyond the first and last character centres: half a character and a gap. Wider margins (2 pitches,
        // measured) let the card edge or background in as an extra character, which no check digit catches on a name
        // line. 0.9 pitch above and below the axis keeps the neighbouring MRZ lines (about 1.6 pitches away) out.
        int width = (int)Math.Ceiling((length + (2 * MarginPitches * line.Pitch)) * scale);
        int height = (int)Math.Ceiling(1.8 * targetPitch);
        double originX = line.StartX - (MarginPitches * line.Pitch * dx) - (0.9 * line.Pitch * -dy);
        double originY = line.StartY - (MarginPitches * line.Pitch * dy) - (0.9 * line.Pitch * dx);
        var strip = GrayImage.Allocate(width, height);
        var target = strip.Pixels;
        var pixels = source.Pixels;
        double step = 1 / scale;
        for (int row = 0; row < height; row++)
        {
            for (int column = 0; column < width; column++)
            {
                double x = originX + (((column * dx) - (row * dy)) * step);
                double y = originY + (((column * dy) + (row * dx)) * step);
                target[(row * width) + column] = Sample(pixels, source.Width, source.Height, x, y);
            }
        }

        FlattenIllumination(strip, targetPitch);
        if (sharpening > 0)
        {
            Sharpen(strip, sharpening);
        }

        return strip;
    }

    /// <summary>
    /// Unsharp masking against a 3x3 binomial blur: pixel + amount * (pixel - blurred). Photographed MRZs are soft;
    /// measured on 300 generated documents per capture level, amount 3 read 98.0% (mild) and 85.7% (strong) of
    /// MRZs entirely right against 97.0% and 82.0% without it, while amount 5 lost on mild.
    /// </summary>
    private static void Sharpen(GrayImage strip, double amount)
    {
        int width = strip.Width, height = strip.Height;
        var pixels = strip.Pixels;
        var copy = pixels.ToArray();
        for (int y = 1; y < height - 1; y++)
        {
            for (int x = 1; x < width - 1; x++)
            {
                int i = (y * width) + x;
                double blur = (copy[i] * 4 + copy[i - 1] * 2 + copy[i + 1] * 2 + copy[i - width] * 2 + copy[i + width] * 2
                    + copy[i - width - 1] + copy[i - width + 1] + copy[i + width - 1] + copy[i + width + 1]) / 16.0;
                pixels[i] = (byte)Math.Clamp(copy[i] + (amount * (copy[i] - blur)), 0, 255);
            }
        }
    }

    /// <summary>Bilinear sample with the border pixels repeated outside the image.</summary>
    private static byte Sample(Span<byte> pixels, int width, int height, double x, double y)
    {
        x = Math.Clamp(x, 0, width - 1.001);
        y = Math.Clamp(y, 0, height - 1.001);
        int x0 = (int)x, y0 = (int)y;
        double fx = x - x0, fy = y - y0;
        int index = (y0 * width) + x0;
        double top = (pixels[index] * (1 - fx)) + (pixels[index + 1] * fx);
        double bottom = (pixels[index + width] * (1 - fx)) + (pixels[index + width + 1] * fx);
        return (byte)((top * (1 - fy)) + (bottom * fy) + 0.5);
    }

    /// <summary>
    /// Divides each pixel by the local paper brightness (the brightest value in its column neighbourhood)
    /// and stretches the result, so glare or shadow along the line does not defeat Tesseract's global threshold.
    /// </summary>
    private static void FlattenIllumination(GrayImage strip, int reach)
    {
        int width = strip.Width, height = strip.Height;
        var pixels = strip.Pixels;
        var columnMax = new int[width];
        for (int x = 0; x < width; x++)
        {
            int max = 0;
            for (int y = 0; y < height; y++)
            {
                max = Math.Max(max, pixels[(y * width) + x]);
            }

            columnMax[x] = max;
        }

        var paper = new int[width];
        for (int x = 0; x < width; x++)
        {
            int max = 1;
            for (int k = Math.Max(0, x - reach); k <= Math.Min(width - 1, x + reach); k++)
            {
                max = Math.Max(max, columnMax[k]);
            }

            paper[x] = max;
        }

        int darkest = 255;
        for (int i = 0; i < pixels.Length; i++)
        {
            int value = pixels[i] * 255 / paper[i % width];
            pixels[i] = (byte)Math.Min(255, value);
            darkest = Math.Min(darkest, pixels[i]);
        }

        if (darkest < 200)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)((pixels[i] - darkest) * 255 / (255 - darkest));
            }
        }
    }
}
