using Verify.Imaging;

namespace Verify.Synthetic;

/// <summary>Turns a face photograph into a printed document portrait: cropped, slightly tinted, flatter, with a fine line screen.</summary>
internal static class PortraitPrint
{
    // LFW photos are 250x250 with the face centred by the detector that built the set: a head-and-shoulders crop
    // around the centre, a little above it, gives a passport-like framing.
    private const double CentreX = 125;
    private const double CentreY = 118;
    private const double CropHeight = 196;

    /// <summary>Draws the portrait from <paramref name="photo"/> into <paramref name="box"/> on <paramref name="page"/>.</summary>
    public static void Draw(RgbImage page, RgbImage photo, DocumentRegion box, RgbColor tint)
    {
        double scale = photo.Width / 250.0;
        double cropHeight = CropHeight * scale, cropWidth = cropHeight * box.Width / box.Height;
        using var crop = photo.Crop((int)Math.Round((CentreX * scale) - (cropWidth / 2)), (int)Math.Round((CentreY * scale) - (cropHeight / 2)),
            (int)Math.Round(cropWidth), (int)Math.Round(cropHeight));
        int left = (int)Math.Round(box.X), top = (int)Math.Round(box.Y);
        using var portrait = ImageResampler.Resize(crop, (int)Math.Round(box.Width), (int)Math.Round(box.Height));
        var source = portrait.Pixels;
        var target = page.Pixels;
        for (int y = 0; y < portrait.Height && top + y < page.Height; y++)
        {
            for (int x = 0; x < portrait.Width && left + x < page.Width; x++)
            {
                int i = (y * portrait.Stride) + (x * 3);
                double luma = (0.299 * source[i]) + (0.587 * source[i + 1]) + (0.114 * source[i + 2]);
                // Every fourth row a little darker: the line screen of a printed (not photographic) image.
                double screen = y % 4 == 0 ? 0.9 : (x + y) % 7 == 0 ? 0.96 : 1.0;
                int o = ((top + y) * page.Stride) + ((left + x) * 3);
                target[o] = Ink(source[i], luma, tint.R, screen);
                target[o + 1] = Ink(source[i + 1], luma, tint.G, screen);
                target[o + 2] = Ink(source[i + 2], luma, tint.B, screen);
            }
        }
    }

    /// <summary>A quarter desaturated, contrast reduced (no pure black or white on paper), a tenth tinted.</summary>
    private static byte Ink(byte value, double luma, byte tint, double screen)
    {
        double v = (value * 0.75) + (luma * 0.25);
        v = 30 + (v * 0.78);
        v = (v * 0.9) + (tint * 0.1);
        return (byte)Math.Clamp(v * screen, 0, 255);
    }
}
