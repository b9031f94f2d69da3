using Verify.Imaging;
using Verify.Inference.Quality;

namespace Verify.UnitTests.Quality;

public sealed class DocumentRecaptureSignalsTests
{
    private static readonly DocumentRecaptureOptions Defaults = new();

    [Fact]
    public void A_fine_dot_screen_raises_the_periodic_pattern_score()
    {
        using var smooth = Gradient(480, 320);
        using var screened = RgbImage.FromPixels(smooth.Width, smooth.Height, smooth.Pixels);
        // Darker dots every third pixel across and down, as a screen's pixel grid or a halftone leaves them.
        var pixels = screened.Pixels;
        for (int y = 0; y < screened.Height; y += 3)
        {
            for (int x = 0; x < screened.Width; x += 3)
            {
                int o = (y * screened.Stride) + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    pixels[o + c] = (byte)(pixels[o + c] * 0.7);
                }
            }
        }

        var plain = DocumentRecaptureSignals.Measure(smooth);
        var dotted = DocumentRecaptureSignals.Measure(screened);

        Assert.InRange(plain.PeriodicPatternScore, 0, 0.05);
        Assert.InRange(dotted.PeriodicPatternScore, 0.5, 1);
        AssertRaisedOnlyBySuspect(QualityFailures.DocumentScreenSuspected, plain, dotted);
    }

    [Fact]
    public void Text_like_strokes_are_not_a_periodic_pattern()
    {
        using var page = Gradient(480, 320);
        var random = new Random(11);
        var pixels = page.Pixels;
        // Dark strokes of random length and place, horizontal and vertical, as print and edges make them.
        for (int stroke = 0; stroke < 400; stroke++)
        {
            bool horizontal = random.Next(2) == 0;
            int x0 = random.Next(page.Width), y0 = random.Next(page.Height), length = random.Next(4, 30);
            for (int t = 0; t < length; t++)
            {
                int x = horizontal ? x0 + t : x0, y = horizontal ? y0 : y0 + t;
                if (x < page.Width && y < page.Height)
                {
                    pixels.Slice((y * page.Stride) + (x * 3), 3).Fill(30);
                }
            }
        }

        Assert.InRange(DocumentRecaptureSignals.Measure(page).PeriodicPatternScore, 0, 0.1);
    }

    [Fact]
    public void A_greyscale_copy_of_a_colourful_document_has_no_chroma_spread()
    {
        using var colourful = RgbImage.Allocate(400, 260);
        var pixels = colourful.Pixels;
        for (int y = 0; y < colourful.Height; y++)
        {
            for (int x = 0; x < colourful.Width; x++)
            {
                // Pale paper with colour bands and a reddish photo area, as ID cards have.
                int o = (y * colourful.Stride) + (x * 3);
                bool photo = x < 120 && y > 60;
                pixels[o] = (byte)(photo ? 190 : 200 + (40 * x / colourful.Width));
                pixels[o + 1] = (byte)(photo ? 120 : 215 + (30 * y / colourful.Height));
                pixels[o + 2] = (byte)(photo ? 100 : 235 - (80 * x / colourful.Width));
            }
        }

        using var grey = Greyscale(colourful);

        var colour = DocumentRecaptureSignals.Measure(colourful);
        var copy = DocumentRecaptureSignals.Measure(grey);

        Assert.True(colour.ChromaSpread > 30, $"chroma spread {colour.ChromaSpread}");
        Assert.InRange(copy.ChromaSpread, 0, 1);
        AssertRaisedOnlyBySuspect(QualityFailures.DocumentPhotocopySuspected, colour, copy);
    }

    [Fact]
    public void A_uniform_colour_cast_is_not_colour()
    {
        using var warm = Gradient(300, 200);
        var pixels = warm.Pixels;
        for (int i = 0; i < pixels.Length; i += 3)
        {
            // A greyscale page under warm light: every pixel shifted the same way.
            pixels[i] = (byte)Math.Min(255, pixels[i] + 25);
            pixels[i + 2] = (byte)Math.Max(0, pixels[i + 2] - 25);
        }

        Assert.InRange(DocumentRecaptureSignals.Measure(warm).ChromaSpread, 0, 2);
    }

    [Fact]
    public void A_photo_too_small_for_a_patch_has_no_periodic_score()
    {
        using var tiny = Gradient(20, 20);

        Assert.Equal(0, DocumentRecaptureSignals.Measure(tiny).PeriodicPatternScore);
    }

    private static void AssertRaisedOnlyBySuspect(string code, DocumentRecaptureSignals honest, DocumentRecaptureSignals suspect)
    {
        Assert.DoesNotContain(code, honest.Assess(Defaults));
        Assert.Contains(code, suspect.Assess(Defaults));
    }

    /// <summary>A grey left-to-right and top-to-bottom gradient with a little seeded noise, as paper under even light.</summary>
    private static RgbImage Gradient(int width, int height)
    {
        var image = RgbImage.Allocate(width, height);
        var random = new Random(3);
        var pixels = image.Pixels;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double level = 120 + (80.0 * x / width) + (30.0 * y / height) + ((random.NextDouble() - 0.5) * 6);
                pixels.Slice((y * image.Stride) + (x * 3), 3).Fill((byte)Math.Round(level));
            }
        }

        return image;
    }

    private static RgbImage Greyscale(RgbImage source)
    {
        using var gray = GrayImage.FromRgb(source);
        var copy = RgbImage.Allocate(source.Width, source.Height);
        var luma = gray.Pixels;
        var pixels = copy.Pixels;
        for (int i = 0; i < luma.Length; i++)
        {
            pixels.Slice(i * 3, 3).Fill(luma[i]);
        }

        return copy;
    }
}
