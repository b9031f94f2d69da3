using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>
/// The photograph printed on paper (four-colour halftone) and held up to the camera, drawn per image from these
/// uniform ranges:
/// <list type="bullet">
/// <item>Size and pose: the printed photo 0.74-0.90 of the frame's width; a white paper border on 65% of prints, 2.5-7%
/// of the photo's width; centre shifted up to 5% of the frame each way; roll up to 6 degrees, yaw and pitch up to 12.</item>
/// <item>Halftone: cyan, magenta, yellow and black screens at 15, 75, 0 and 45 degrees plus a common turn of 0-90, with a
/// period of 1.8-2.8 frame pixels, so that the dots show at capture resolution; black generation 0.55-0.85.</item>
/// <item>Gamut: impure inks at 82-100% strength; the darkest print still reflects 5-11% of the light, and a veil of 5-14
/// levels of stray light lifts every shadow; paper white 0.86-0.98 of full scale, warm.</item>
/// <item>Paper: coarse grain of 3-7% over a fifth of the print, fine grain of 1.5-4% over two frame pixels.</item>
/// <item>Light: falloff of 4-14% across the print in any direction.</item>
/// <item>Hand: a thumb over the bottom, left or right edge on 55% of prints.</item>
/// <item>Recapture blur 0.35-0.90 frame pixels on top of the camera's own.</item>
/// </list>
/// </summary>
internal static class PrintAttack
{
    /// <summary>Print pixels per frame pixel: enough to draw the ink dots with smooth edges.</summary>
    private const int PrintResolution = 4;

    // The share of red, green and blue light that a full layer of cyan, magenta, yellow and black ink lets through.
    // Real inks are impure (cyan also takes some green), which is why a print cannot reach saturated colours.
    private static readonly double[][] InkTransmission =
    [
        [0.18, 0.72, 0.92],
        [0.88, 0.24, 0.62],
        [0.96, 0.90, 0.18],
        [0.14, 0.14, 0.15],
    ];

    // The classic screen angles, 30 degrees apart for the strong inks, so that the screens do not beat visibly.
    private static readonly double[] ScreenAngles = [15, 75, 0, 45];

    private static readonly RgbColor[] SkinTones =
        [new(236, 192, 165), new(224, 172, 140), new(198, 134, 102), new(141, 85, 60), new(95, 60, 45)];

    public static AttackFrame Render(RgbImage photo, Random random)
    {
        int frameWidth = photo.Width, frameHeight = photo.Height;
        int sceneWidth = frameWidth * AttackScene.Supersampling, sceneHeight = frameHeight * AttackScene.Supersampling;
        double photoShare = random.Uniform(0.74, 0.90);
        double border = random.Chance(0.35) ? 0 : random.Uniform(0.025, 0.07);
        var pose = new MediumPose(
            (sceneWidth / 2.0) + (random.Symmetric(0.05) * sceneWidth),
            (sceneHeight / 2.0) + (random.Symmetric(0.05) * sceneHeight),
            (double)AttackScene.Supersampling / PrintResolution,
            random.Symmetric(6), random.Symmetric(12), random.Symmetric(12));
        var ink = new InkSettings(
            Period: random.Uniform(1.8, 2.8) * PrintResolution,
            ScreenTurn: random.Uniform(0, 90),
            BlackGeneration: random.Uniform(0.55, 0.85),
            Strength: random.Uniform(0.82, 1.0),
            DarkestReflectance: random.Uniform(0.05, 0.11));
        double[] paper = [random.Uniform(0.93, 0.98), random.Uniform(0.92, 0.97), random.Uniform(0.86, 0.94)];
        double coarseGrain = random.Uniform(0.03, 0.07), fineGrain = random.Uniform(0.015, 0.04);
        double lightFalloff = random.Uniform(0.04, 0.14), lightAngle = random.Uniform(0, 2 * Math.PI);
        double exposure = random.Uniform(0.86, 0.98), veil = random.Uniform(5, 14);
        bool thumb = random.Chance(0.55);
        int thumbSide = random.Next(3);
        double thumbAlong = random.Uniform(0.25, 0.75), thumbRadius = random.Uniform(0.075, 0.10), thumbOverlap = random.Uniform(0.06, 0.12);
        int tone = random.Next(SkinTones.Length - 1);
        var skin = SkinTones[tone].Mix(SkinTones[tone + 1], random.NextDouble());
        double recaptureBlur = random.Uniform(0.35, 0.90);
        var grainRandom = new Random(random.Next());

        int photoWidth = (int)Math.Round(photoShare * frameWidth * PrintResolution);
        int photoHeight = (int)Math.Round(photoWidth * (double)frameHeight / frameWidth);
        int borderWidth = (int)Math.Round(border * photoWidth);
        using var print = RgbImage.Allocate(photoWidth + (2 * borderWidth), photoHeight + (2 * borderWidth));
        using (var enlarged = ImageResampler.Resize(photo, photoWidth, photoHeight))
        {
            PrintHalftone(enlarged, print, borderWidth, ink, paper, exposure, veil);
        }

        AddPaperGrain(print, grainRandom, coarseGrain, fineGrain);
        AttackScene.LightFalloff(print, lightFalloff, lightAngle);

        using var scene = AttackScene.Backdrop(frameWidth, frameHeight, random);
        var printToScene = AttackScene.Place(print, pose, print.Width / 2.0, print.Height / 2.0, scene);
        if (thumb)
        {
            DrawThumb(scene, printToScene, print.Width, print.Height, thumbSide, thumbAlong,
                thumbRadius * sceneWidth, thumbOverlap * sceneWidth, skin);
        }

        return new AttackFrame(AttackScene.ToFrame(scene), recaptureBlur);
    }

    /// <summary>Prints <paramref name="photo"/> in four halftoned inks inside a paper border of <paramref name="border"/> pixels.</summary>
    private static void PrintHalftone(RgbImage photo, RgbImage print, int border, InkSettings ink, double[] paper, double exposure, double veil)
    {
        var cos = new double[4];
        var sin = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double angle = (ScreenAngles[i] + ink.ScreenTurn) * Math.PI / 180;
            cos[i] = Math.Cos(angle) / ink.Period;
            sin[i] = Math.Sin(angle) / ink.Period;
        }

        // The spot function's steepest slope is pi/2 per period: a dot edge spans about one print pixel in it.
        double edge = 1.6 / ink.Period;
        ReadOnlySpan<byte> source = photo.Pixels;
        var target = print.Pixels;
        Span<double> coverage = stackalloc double[4];
        Span<double> light = stackalloc double[3];
        for (int y = 0; y < print.Height; y++)
        {
            for (int x = 0; x < print.Width; x++)
            {
                light.Fill(1);
                int px = x - border, py = y - border;
                if (px >= 0 && py >= 0 && px < photo.Width && py < photo.Height)
                {
                    int i = (py * photo.Stride) + (px * 3);
                    Separate(source[i] / 255.0, source[i + 1] / 255.0, source[i + 2] / 255.0, ink.BlackGeneration, coverage);
                    for (int k = 0; k < 4; k++)
                    {
                        if (coverage[k] <= 0)
                        {
                            continue;
                        }

                        // Cosine spot function: round dots that grow into a checkerboard at half coverage.
                        double u = (x * cos[k]) + (y * sin[k]), v = (y * cos[k]) - (x * sin[k]);
                        double spot = 0.5 + (0.25 * (Math.Cos(2 * Math.PI * u) + Math.Cos(2 * Math.PI * v)));
                        double inked = Math.Clamp(((spot - (1 - coverage[k])) / edge) + 0.5, 0, 1) * ink.Strength;
                        for (int c = 0; c < 3; c++)
                        {
                            light[c] *= 1 - (inked * (1 - InkTransmission[k][c]));
                        }
                    }
                }

                int o = (y * print.Stride) + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    double reflectance = paper[c] * (ink.DarkestReflectance + ((1 - ink.DarkestReflectance) * light[c]));
                    target[o + c] = (byte)Math.Clamp((255 * exposure * reflectance) + veil + 0.5, 0, 255);
                }
            }
        }
    }

    /// <summary>Naive separation into cyan, magenta, yellow and black coverage (0 to 1), black replacing part of the grey.</summary>
    private static void Separate(double r, double g, double b, double blackGeneration, Span<double> coverage)
    {
        double black = (1 - Math.Max(r, Math.Max(g, b))) * blackGeneration;
        double rest = 1 - black;
        coverage[0] = Math.Clamp((1 - r - black) / rest, 0, 1);
        coverage[1] = Math.Clamp((1 - g - black) / rest, 0, 1);
        coverage[2] = Math.Clamp((1 - b - black) / rest, 0, 1);
        coverage[3] = black;
    }

    /// <summary>Paper grain: a coarse cloud over a fifth of the print and a fine mottle over two frame pixels, multiplied in.</summary>
    private static void AddPaperGrain(RgbImage print, Random random, double coarseAmount, double fineAmount)
    {
        var coarse = new ValueNoise(random, print.Width, print.Height, Math.Max(8, Math.Min(print.Width, print.Height) / 5));
        var fine = new ValueNoise(random, print.Width, print.Height, 2 * PrintResolution);
        var pixels = print.Pixels;
        for (int y = 0; y < print.Height; y++)
        {
            for (int x = 0; x < print.Width; x++)
            {
                double grain = 1 + (2 * coarseAmount * (coarse.At(x, y) - 0.5)) + (2 * fineAmount * (fine.At(x, y) - 0.5));
                int o = (y * print.Stride) + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    pixels[o + c] = (byte)Math.Clamp((pixels[o + c] * grain) + 0.5, 0, 255);
                }
            }
        }
    }

    /// <summary>
    /// A thumb holding the print: a rounded capsule of <paramref name="radius"/> scene pixels reaching from outside the
    /// frame over one edge of the print (0 bottom, 1 left, 2 right) by <paramref name="overlap"/>, shaded as a cylinder.
    /// </summary>
    private static void DrawThumb(RgbImage scene, Homography printToScene, int printWidth, int printHeight, int side, double along,
        double radius, double overlap, RgbColor skin)
    {
        var (edgeX, edgeY, normalX, normalY) = side switch
        {
            0 => (along * printWidth, (double)printHeight, 0.0, 1.0),
            1 => (0.0, along * printHeight, -1.0, 0.0),
            _ => ((double)printWidth, along * printHeight, 1.0, 0.0),
        };
        var (edge, outward) = (printToScene.Apply(edgeX, edgeY), printToScene.Apply(edgeX + normalX, edgeY + normalY));
        double outX = outward.X - edge.X, outY = outward.Y - edge.Y, length = Math.Sqrt((outX * outX) + (outY * outY));
        outX /= length;
        outY /= length;
        // The capsule's axis, from its rounded tip over the print to a point well outside the frame.
        double tipX = edge.X - (outX * overlap), tipY = edge.Y - (outY * overlap);
        double reach = scene.Width + scene.Height;
        var pixels = scene.Pixels;
        for (int y = 0; y < scene.Height; y++)
        {
            for (int x = 0; x < scene.Width; x++)
            {
                double dx = x + 0.5 - tipX, dy = y + 0.5 - tipY;
                double t = Math.Clamp((dx * outX) + (dy * outY), 0, reach);
                double ax = dx - (t * outX), ay = dy - (t * outY);
                double distance = Math.Sqrt((ax * ax) + (ay * ay)) / radius;
                // Anti-aliased over about one scene pixel at the capsule's rim.
                double cover = Math.Clamp((1 - distance) * radius, 0, 1);
                if (cover <= 0)
                {
                    continue;
                }

                double shade = 1 - (0.35 * distance * distance);
                int o = (y * scene.Stride) + (x * 3);
                pixels[o] = Blend(pixels[o], skin.R * shade, cover);
                pixels[o + 1] = Blend(pixels[o + 1], skin.G * shade, cover);
                pixels[o + 2] = Blend(pixels[o + 2], skin.B * shade, cover);
            }
        }
    }

    private static byte Blend(byte under, double over, double cover) => (byte)Math.Clamp(under + ((over - under) * cover) + 0.5, 0, 255);

    /// <param name="Period">Screen period in print pixels.</param>
    /// <param name="ScreenTurn">Degrees added to every screen angle.</param>
    /// <param name="BlackGeneration">Share of the grey component printed in black ink.</param>
    /// <param name="Strength">Ink strength (1: the nominal transmissions).</param>
    /// <param name="DarkestReflectance">Light the darkest print still reflects.</param>
    private readonly record struct InkSettings(double Period, double ScreenTurn, double BlackGeneration, double Strength, double DarkestReflectance);
}
