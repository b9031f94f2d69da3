using Verify.Imaging;
using Verify.Imaging.Exif;

namespace Verify.Synthetic;

/// <summary>A glare spot as drawn, in displayed output pixels.</summary>
public sealed record GlareSpot(double CentreX, double CentreY, double RadiusX, double RadiusY, double AngleDegrees, double Strength);

/// <summary>The capture settings actually drawn for one image.</summary>
public sealed record CaptureDraw
{
    public required string Preset { get; init; }

    public string? Background { get; init; }

    public double[]? BackgroundColor { get; init; }

    /// <summary>Quarter turn of the document in the displayed image, clockwise: 0, 90, 180 or 270.</summary>
    public int RotationDegrees { get; init; }

    /// <summary>Tilt on top of the quarter turn, clockwise positive.</summary>
    public double TiltDegrees { get; init; }

    /// <summary>Each document corner's shift before turning (top-left, top-right, bottom-right, bottom-left), as fractions of width and height.</summary>
    public double[][] CornerJitter { get; init; } = [];

    /// <summary>Output pixels per print pixel (print: 300 dpi).</summary>
    public double Scale { get; init; }

    public double BlurSigma { get; init; }

    public GlareSpot? Glare { get; init; }

    public double NoiseSigma { get; init; }

    public int JpegQuality { get; init; }

    /// <summary>The EXIF orientation written (1 when the pixels are stored upright).</summary>
    public int ExifOrientation { get; init; }
}

/// <summary>One captured image: the JPEG bytes and where the document's parts are in it.</summary>
/// <remarks>All coordinates are in the displayed image (after the EXIF orientation is applied), in pixels, with (0, 0) the top-left corner of the top-left pixel.</remarks>
public sealed record CapturedImage(
    byte[] Jpeg,
    int Width,
    int Height,
    int StoredWidth,
    int StoredHeight,
    (double X, double Y)[] DocumentCorners,
    (double X, double Y)[]? PortraitCorners,
    (double X, double Y)[]? MrzCorners,
    CaptureDraw Settings);

/// <summary>Photographs a rendered document side through <see cref="CaptureEffects"/>, deterministically from a random source.</summary>
public static class CaptureSimulator
{
    private static readonly ExifOrientation[] ExifTurns =
        [ExifOrientation.Rotate90Clockwise, ExifOrientation.Rotate90CounterClockwise, ExifOrientation.Rotate180];

    public static CapturedImage Capture(RenderedSide side, CaptureEffects effects, Random random)
    {
        ArgumentNullException.ThrowIfNull(side);
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentNullException.ThrowIfNull(random);
        var document = side.Image;
        double width = document.Width, height = document.Height, longSide = Math.Max(width, height);

        // Every setting is drawn first, in a fixed order, so that the draws do not depend on image content.
        int quarter = effects.QuarterTurns ? random.Next(4) : 0;
        double tilt = Uniform(random, -effects.MaxTiltDegrees, effects.MaxTiltDegrees);
        var jitter = new double[4][];
        for (int i = 0; i < 4; i++)
        {
            jitter[i] = [Uniform(random, -effects.PerspectiveJitter, effects.PerspectiveJitter), Uniform(random, -effects.PerspectiveJitter, effects.PerspectiveJitter)];
        }

        var margins = new double[4];
        for (int i = 0; i < 4; i++)
        {
            margins[i] = Uniform(random, effects.Margin.Min, effects.Margin.Max) * longSide;
        }

        string? backgroundKind = effects.Background ? BackgroundTexture.Kinds[random.Next(BackgroundTexture.Kinds.Length)] : null;
        var backgroundColour = new RgbColor((byte)random.Next(30, 230), (byte)random.Next(30, 230), (byte)random.Next(30, 230));
        double blur = Uniform(random, effects.BlurSigma.Min, effects.BlurSigma.Max);
        bool glare = random.NextDouble() < effects.GlareShare;
        bool glareOnMrz = random.NextDouble() < 0.4;
        double glareU = random.NextDouble(), glareV = random.NextDouble();
        double glareRadius = Uniform(random, effects.GlareRadius.Min, effects.GlareRadius.Max);
        double glareAspect = Uniform(random, 0.5, 1.0), glareAngle = random.NextDouble() * 180;
        double glareStrength = Uniform(random, effects.GlareStrength.Min, effects.GlareStrength.Max);
        var exif = random.NextDouble() < effects.ExifRotationShare ? ExifTurns[random.Next(ExifTurns.Length)] : ExifOrientation.Normal;
        int noiseSeed = random.Next();

        // Document corners (continuous coordinates), jittered, then turned about the centre.
        (double X, double Y)[] corners = [(0, 0), (width, 0), (width, height), (0, height)];
        double angle = ((quarter * 90) + tilt) * Math.PI / 180, cos = Math.Cos(angle), sin = Math.Sin(angle);
        var turned = new (double X, double Y)[4];
        for (int i = 0; i < 4; i++)
        {
            double x = corners[i].X + (jitter[i][0] * width) - (width / 2), y = corners[i].Y + (jitter[i][1] * height) - (height / 2);
            turned[i] = ((x * cos) - (y * sin), (x * sin) + (y * cos));
        }

        double minX = turned.Min(p => p.X), minY = turned.Min(p => p.Y);
        double canvasWidth = turned.Max(p => p.X) - minX + margins[0] + margins[2];
        double canvasHeight = turned.Max(p => p.Y) - minY + margins[1] + margins[3];
        double scale = effects.LongSide > 0 ? effects.LongSide / Math.Max(canvasWidth, canvasHeight) : 1;
        int outWidth = Math.Max(1, (int)Math.Round(canvasWidth * scale)), outHeight = Math.Max(1, (int)Math.Round(canvasHeight * scale));
        var targets = turned.Select(p => ((p.X - minX + margins[0]) * scale, (p.Y - minY + margins[1]) * scale)).ToArray();
        var documentToOutput = Homography.FromQuad(corners, targets);

        using var displayed = RgbImage.Allocate(outWidth, outHeight);
        if (backgroundKind is null)
        {
            displayed.Pixels.Fill(255);
        }
        else
        {
            BackgroundTexture.Paint(displayed, backgroundKind, backgroundColour, random);
        }

        Draw(document, documentToOutput, scale, displayed);

        GlareSpot? spot = null;
        if (glare)
        {
            // The machine-readable part, MRZ or barcode, is where glare hurts most: aim at it as often as a photo does.
            var region = glareOnMrz && (side.Mrz ?? side.Barcode) is { } machineReadable ? machineReadable : new DocumentRegion(0, 0, width, height);
            var (cx, cy) = documentToOutput.Apply(region.X + (glareU * region.Width), region.Y + (glareV * region.Height));
            double radius = glareRadius * longSide * scale;
            spot = new GlareSpot(Round(cx), Round(cy), Round(radius), Round(radius * glareAspect), Round(glareAngle), Round(glareStrength));
            AddGlare(displayed, spot);
        }

        var blurred = blur > 0 ? GaussianBlur.Apply(displayed, blur) : null;
        var final = blurred ?? displayed;
        try
        {
            AddNoise(final, effects.NoiseSigma, new Random(noiseSeed));
            byte[] jpeg;
            int storedWidth = final.Width, storedHeight = final.Height;
            if (exif == ExifOrientation.Normal)
            {
                jpeg = ImageEncoder.EncodeJpeg(final, effects.JpegQuality);
            }
            else
            {
                // Store the pixels turned back, so that only a reader that applies the tag sees the displayed image.
                using var stored = ExifOrientationTransform.Apply(final, Inverse(exif));
                storedWidth = stored.Width;
                storedHeight = stored.Height;
                jpeg = ImageEncoder.EncodeJpeg(stored, effects.JpegQuality, exif);
            }

            var settings = new CaptureDraw
            {
                Preset = effects.Name,
                Background = backgroundKind,
                BackgroundColor = backgroundKind is null ? null : [backgroundColour.R, backgroundColour.G, backgroundColour.B],
                RotationDegrees = quarter * 90,
                TiltDegrees = Round(tilt),
                CornerJitter = jitter.Select(j => new[] { Round(j[0]), Round(j[1]) }).ToArray(),
                Scale = Math.Round(scale, 5),
                BlurSigma = Round(blur),
                Glare = spot,
                NoiseSigma = effects.NoiseSigma,
                JpegQuality = effects.JpegQuality,
                ExifOrientation = (int)exif,
            };
            return new CapturedImage(jpeg, outWidth, outHeight, storedWidth, storedHeight, Map(documentToOutput, corners),
                side.Portrait is { } portrait ? Map(documentToOutput, portrait.Corners()) : null,
                side.Mrz is { } mrzBox ? Map(documentToOutput, mrzBox.Corners()) : null, settings);
        }
        finally
        {
            blurred?.Dispose();
        }
    }

    /// <summary>Warps the document onto the canvas; a large reduction is first area-averaged so that fine print does not alias.</summary>
    internal static void Draw(RgbImage document, Homography documentToOutput, double scale, RgbImage canvas)
    {
        RgbImage? reduced = null;
        var source = document;
        var map = documentToOutput;
        if (scale < 0.75)
        {
            reduced = ImageResampler.Resize(document, Math.Max(1, (int)Math.Round(document.Width * scale)), Math.Max(1, (int)Math.Round(document.Height * scale)));
            source = reduced;
            map = documentToOutput.After(Homography.FromAffine(Affine2D.Scale((double)document.Width / reduced.Width, (double)document.Height / reduced.Height)));
        }

        try
        {
            // Continuous coordinates to pixel indices: a pixel's centre is at index + 0.5.
            var toIndex = Homography.FromAffine(new Affine2D(1, 0, 0, 1, -0.5, -0.5));
            var toContinuous = Homography.FromAffine(new Affine2D(1, 0, 0, 1, 0.5, 0.5));
            ImageResampler.WarpPerspectiveOnto(source, toIndex.After(map.Invert()).After(toContinuous), canvas);
        }
        finally
        {
            reduced?.Dispose();
        }
    }

    internal static void AddGlare(RgbImage image, GlareSpot spot)
    {
        double angle = spot.AngleDegrees * Math.PI / 180, cos = Math.Cos(angle), sin = Math.Sin(angle);
        int reach = (int)Math.Ceiling(spot.RadiusX * 1.6);
        int left = Math.Max(0, (int)spot.CentreX - reach), right = Math.Min(image.Width, (int)spot.CentreX + reach);
        int top = Math.Max(0, (int)spot.CentreY - reach), bottom = Math.Min(image.Height, (int)spot.CentreY + reach);
        var pixels = image.Pixels;
        for (int y = top; y < bottom; y++)
        {
            for (int x = left; x < right; x++)
            {
                double dx = x + 0.5 - spot.CentreX, dy = y + 0.5 - spot.CentreY;
                double u = ((dx * cos) + (dy * sin)) / spot.RadiusX, v = ((-dx * sin) + (dy * cos)) / spot.RadiusY;
                // exp(-2 d^2): at the ellipse's edge the glare has fallen to an eighth of its peak.
                double add = spot.Strength * Math.Exp(-2 * ((u * u) + (v * v)));
                if (add < 0.5)
                {
                    continue;
                }

                int o = (y * image.Stride) + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    pixels[o + c] = (byte)Math.Min(255, pixels[o + c] + add);
                }
            }
        }
    }

    internal static void AddNoise(RgbImage image, double sigma, Random random)
    {
        if (sigma <= 0)
        {
            return;
        }

        var pixels = image.Pixels;
        for (int i = 0; i < pixels.Length; i += 2)
        {
            // Box-Muller: two independent normal samples per pair of uniforms.
            double radius = sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), theta = 2 * Math.PI * random.NextDouble();
            pixels[i] = (byte)Math.Clamp(pixels[i] + (radius * Math.Cos(theta)) + 0.5, 0, 255);
            if (i + 1 < pixels.Length)
            {
                pixels[i + 1] = (byte)Math.Clamp(pixels[i + 1] + (radius * Math.Sin(theta)) + 0.5, 0, 255);
            }
        }
    }

    private static ExifOrientation Inverse(ExifOrientation orientation) => orientation switch
    {
        ExifOrientation.Rotate90Clockwise => ExifOrientation.Rotate90CounterClockwise,
        ExifOrientation.Rotate90CounterClockwise => ExifOrientation.Rotate90Clockwise,
        _ => orientation,
    };

    private static (double X, double Y)[] Map(Homography map, (double X, double Y)[] points) =>
        points.Select(p => map.Apply(p.X, p.Y)).Select(p => (Round(p.X), Round(p.Y))).ToArray();

    private static double Uniform(Random random, double min, double max) => min + ((max - min) * random.NextDouble());

    private static double Round(double value) => Math.Round(value, 2);
}
