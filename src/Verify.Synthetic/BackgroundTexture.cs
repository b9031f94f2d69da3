using Verify.Imaging;

namespace Verify.Synthetic;

/// <summary>A surface for the document to lie on: wood grain, woven fabric or mottled stone, in a random colour.</summary>
internal static class BackgroundTexture
{
    public static readonly string[] Kinds = ["wood", "fabric", "stone"];

    public static void Paint(RgbImage canvas, string kind, RgbColor colour, Random random)
    {
        var coarse = new ValueNoise(random, canvas.Width, canvas.Height, Math.Max(8, canvas.Width / 12));
        var fine = new ValueNoise(random, canvas.Width, canvas.Height, Math.Max(3, canvas.Width / 200));
        double grain = 2 * Math.PI / (canvas.Height / (25.0 + random.Next(30)));
        double weave = 2 * Math.PI / (4 + random.Next(5));
        var pixels = canvas.Pixels;
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                double c = coarse.At(x, y), f = fine.At(x, y);
                double shade = kind switch
                {
                    "wood" => 0.82 + (0.12 * Math.Sin((y * grain) + (9 * c))) + (0.06 * f),
                    "fabric" => 0.86 + (0.07 * Math.Sin(x * weave) * Math.Sin(y * weave)) + (0.05 * c) + (0.03 * f),
                    _ => 0.75 + (0.18 * c) + (0.08 * f),
                };
                int o = (y * canvas.Stride) + (x * 3);
                pixels[o] = (byte)Math.Clamp(colour.R * shade, 0, 255);
                pixels[o + 1] = (byte)Math.Clamp(colour.G * shade, 0, 255);
                pixels[o + 2] = (byte)Math.Clamp(colour.B * shade, 0, 255);
            }
        }
    }
}
