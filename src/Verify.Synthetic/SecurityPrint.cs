using Verify.Imaging;
using Verify.Imaging.Text;

namespace Verify.Synthetic;

/// <summary>
/// The pale background print of a document: a tinted gradient, guilloche waves, rosettes and microtext lines, with
/// the MRZ zone lightened as Doc 9303 asks (the MRZ must sit on a low-contrast background).
/// </summary>
internal static class SecurityPrint
{
    public static void Paint(RgbImage page, Random random, RgbColor ink, string microtext, FontFace font, double mrzTop)
    {
        var paper = new RgbColor(246, 244, 236);
        var tintA = paper.Mix(ink, 0.10 + (random.NextDouble() * 0.08));
        var tintB = paper.Mix(new RgbColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)), 0.12);
        Gradient(page, tintA, tintB, random.NextDouble() * Math.PI);
        Waves(page, random, paper.Mix(ink, 0.45));
        for (int i = 0, count = random.Next(2, 4); i < count; i++)
        {
            double radius = page.Height * (0.18 + (random.NextDouble() * 0.2));
            Rosette(page, random.NextDouble() * page.Width, random.NextDouble() * page.Height * 0.7, radius, random.Next(5, 13),
                paper.Mix(ink, 0.55), random);
        }

        int microSize = Math.Max(7, page.Width / 170);
        string line = string.Concat(Enumerable.Repeat(microtext + " ", 1 + (page.Width / Math.Max(1, (int)font.MeasureText(microtext + " ", microSize)))));
        foreach (double fraction in new[] { 0.14, 0.62 })
        {
            font.DrawText(page, line, -random.Next(40), page.Height * fraction, microSize, paper.Mix(ink, 0.5));
        }

        Lighten(page, (int)mrzTop, 0.7);
    }

    /// <summary>Blends a soft point of <paramref name="colour"/> at a sub-pixel position (bilinear splat), for fine anti-aliased lines.</summary>
    public static void Plot(RgbImage image, double x, double y, RgbColor colour, double alpha)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        Blend(image, x0, y0, colour, alpha * (1 - fx) * (1 - fy));
        Blend(image, x0 + 1, y0, colour, alpha * fx * (1 - fy));
        Blend(image, x0, y0 + 1, colour, alpha * (1 - fx) * fy);
        Blend(image, x0 + 1, y0 + 1, colour, alpha * fx * fy);
    }

    private static void Blend(RgbImage image, int x, int y, RgbColor colour, double alpha)
    {
        if (x < 0 || y < 0 || x >= image.Width || y >= image.Height)
        {
            return;
        }

        var pixels = image.Pixels;
        int o = (y * image.Stride) + (x * 3);
        pixels[o] = (byte)(pixels[o] + ((colour.R - pixels[o]) * alpha));
        pixels[o + 1] = (byte)(pixels[o + 1] + ((colour.G - pixels[o + 1]) * alpha));
        pixels[o + 2] = (byte)(pixels[o + 2] + ((colour.B - pixels[o + 2]) * alpha));
    }

    private static void Gradient(RgbImage page, RgbColor from, RgbColor to, double angle)
    {
        double dx = Math.Cos(angle), dy = Math.Sin(angle);
        double span = (Math.Abs(dx) * page.Width) + (Math.Abs(dy) * page.Height);
        double offset = Math.Min(0, dx * page.Width) + Math.Min(0, dy * page.Height);
        var pixels = page.Pixels;
        for (int y = 0; y < page.Height; y++)
        {
            for (int x = 0; x < page.Width; x++)
            {
                var colour = from.Mix(to, ((x * dx) + (y * dy) - offset) / span);
                int o = (y * page.Stride) + (x * 3);
                pixels[o] = colour.R;
                pixels[o + 1] = colour.G;
                pixels[o + 2] = colour.B;
            }
        }
    }

    /// <summary>Parallel sine waves across the page, each with its own phase: the classic guilloche ground.</summary>
    private static void Waves(RgbImage page, Random random, RgbColor colour)
    {
        double spacing = page.Height / (40.0 + random.Next(20));
        double wavelength = page.Width / (3.0 + (random.NextDouble() * 4));
        double amplitude = spacing * (1.5 + random.NextDouble());
        double drift = random.NextDouble() * 0.6;
        for (double baseline = -amplitude; baseline < page.Height + amplitude; baseline += spacing)
        {
            double phase = baseline * drift / spacing;
            for (double x = 0; x < page.Width; x += 0.7)
            {
                double y = baseline + (amplitude * Math.Sin((2 * Math.PI * x / wavelength) + phase)) +
                    (amplitude * 0.3 * Math.Sin((2 * Math.PI * x / (wavelength * 0.37)) - phase));
                Plot(page, x, y, colour, 0.35);
            }
        }
    }

    /// <summary>A rosette: copies of a radially modulated circle, each turned a little further.</summary>
    private static void Rosette(RgbImage page, double cx, double cy, double radius, int lobes, RgbColor colour, Random random)
    {
        int copies = 18 + random.Next(12);
        double depth = radius * (0.12 + (random.NextDouble() * 0.15));
        double step = 0.7 / (radius + depth);
        for (int copy = 0; copy < copies; copy++)
        {
            double turn = copy * 2 * Math.PI / (copies * lobes);
            for (double t = 0; t < 2 * Math.PI; t += step)
            {
                double r = radius + (depth * Math.Sin((lobes * t) + (copy * lobes * turn)));
                Plot(page, cx + (r * Math.Cos(t + turn)), cy + (r * Math.Sin(t + turn)), colour, 0.4);
            }
        }
    }

    /// <summary>Blends every row from <paramref name="top"/> down towards white.</summary>
    private static void Lighten(RgbImage page, int top, double amount)
    {
        var pixels = page.Pixels;
        for (int i = Math.Max(0, top) * page.Stride; i < page.Length; i++)
        {
            pixels[i] = (byte)(pixels[i] + ((252 - pixels[i]) * amount));
        }
    }
}
