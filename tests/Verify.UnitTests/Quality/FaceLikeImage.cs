using Verify.Imaging;
using Verify.Inference.Faces;

namespace Verify.UnitTests.Quality;

/// <summary>
/// Draws a face-like test picture: a textured skin ellipse with brows, eyes, nostrils and a mouth on a smooth background,
/// and the five landmarks where those features are. The texture is fixed in face coordinates, so the same face drawn at
/// two sizes holds the same detail.
/// </summary>
internal static class FaceLikeImage
{
    // Feature positions as fractions of the box: eye line, nose tip (0.56 of the way to the mouth: frontal), mouth line.
    private const double EyeY = 0.38, MouthY = 0.76, NoseY = EyeY + (0.56 * (MouthY - EyeY));
    private const double RightEyeX = 0.3, LeftEyeX = 0.7, RightMouthX = 0.36, LeftMouthX = 0.64;
    private const int TextureCells = 40;

    public static (RgbImage Image, FaceDetection Face) Render(int width, int height, FaceBox box, int seed = 7)
    {
        var texture = Lattice(seed);
        var image = RgbImage.Allocate(width, height);
        var pixels = image.Pixels;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double u = (x + 0.5 - box.X) / box.Width, v = (y + 0.5 - box.Y) / box.Height;
                var (r, g, b) = Shade(u, v, width, height, x, y, texture);
                int o = (y * image.Stride) + (x * 3);
                pixels[o] = Clamp(r);
                pixels[o + 1] = Clamp(g);
                pixels[o + 2] = Clamp(b);
            }
        }

        FacePoint At(double u, double v) => new((float)(box.X + (u * box.Width)), (float)(box.Y + (v * box.Height)));
        FacePoint[] landmarks = [At(RightEyeX, EyeY), At(LeftEyeX, EyeY), At(0.5, NoseY), At(RightMouthX, MouthY), At(LeftMouthX, MouthY)];
        return (image, new FaceDetection(box, landmarks, 0.95f));
    }

    /// <summary>A copy with every channel value mapped through <paramref name="map"/> and clipped to 0–255.</summary>
    public static RgbImage Mapped(RgbImage source, Func<double, double> map)
    {
        var copy = RgbImage.FromPixels(source.Width, source.Height, source.Pixels);
        var pixels = copy.Pixels;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = Clamp(map(pixels[i]));
        }

        return copy;
    }

    private static (double R, double G, double B) Shade(double u, double v, int width, int height, int x, int y, double[,] texture)
    {
        double du = (u - 0.5) / 0.5, dv = (v - 0.5) / 0.5;
        if ((du * du) + (dv * dv) > 1)
        {
            double level = 70 + (60.0 * y / height) + (20.0 * x / width);
            return (level, level + 10, level + 30);
        }

        double grain = 28 * Sample(texture, u, v);
        (double R, double G, double B) skin = (200 + grain, 158 + grain, 132 + grain);
        foreach (double eyeX in (ReadOnlySpan<double>)[RightEyeX, LeftEyeX])
        {
            if (Inside(u, v, eyeX, EyeY - 0.1, 0.11, 0.018))
            {
                return (60 + grain, 45 + grain, 35 + grain);
            }

            if (Inside(u, v, eyeX, EyeY, 0.035, 0.03))
            {
                return (35, 30, 30);
            }

            if (Inside(u, v, eyeX, EyeY, 0.09, 0.04))
            {
                return (235, 232, 228);
            }
        }

        if (Inside(u, v, 0.46, NoseY + 0.02, 0.018, 0.012) || Inside(u, v, 0.54, NoseY + 0.02, 0.018, 0.012))
        {
            return (90, 55, 50);
        }

        if (Inside(u, v, 0.5, MouthY, 0.14, 0.035))
        {
            return (150 + grain, 60 + grain, 65 + grain);
        }

        return skin;
    }

    private static bool Inside(double u, double v, double cu, double cv, double ru, double rv)
    {
        double a = (u - cu) / ru, b = (v - cv) / rv;
        return (a * a) + (b * b) <= 1;
    }

    /// <summary>Random values in [-1, 1] on a lattice over the face box, read back bilinearly.</summary>
    private static double[,] Lattice(int seed)
    {
        var random = new Random(seed);
        var lattice = new double[TextureCells + 1, TextureCells + 1];
        for (int j = 0; j <= TextureCells; j++)
        {
            for (int i = 0; i <= TextureCells; i++)
            {
                lattice[j, i] = (random.NextDouble() * 2) - 1;
            }
        }

        return lattice;
    }

    private static double Sample(double[,] lattice, double u, double v)
    {
        double fx = Math.Clamp(u, 0, 1) * TextureCells, fy = Math.Clamp(v, 0, 1) * TextureCells;
        int x0 = Math.Min((int)fx, TextureCells - 1), y0 = Math.Min((int)fy, TextureCells - 1);
        double tx = fx - x0, ty = fy - y0;
        return ((1 - tx) * (1 - ty) * lattice[y0, x0]) + (tx * (1 - ty) * lattice[y0, x0 + 1])
            + ((1 - tx) * ty * lattice[y0 + 1, x0]) + (tx * ty * lattice[y0 + 1, x0 + 1]);
    }

    private static byte Clamp(double value) => (byte)Math.Clamp((int)Math.Round(value), 0, 255);
}
