using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>
/// The photograph shown full-screen on a phone or monitor held up to the camera, drawn per image from these uniform
/// ranges:
/// <list type="bullet">
/// <item>Size and pose: the screen 0.76-0.94 of the frame's width; a dark bezel (grey 8-28, bluish) 3.5-9% of the screen's
/// width with a lighter rim; centre shifted up to 7% of the frame each way, so that one or more bezel edges show; roll up
/// to 5 degrees, yaw and pitch up to 14.</item>
/// <item>Display: white point R 0.84-0.95, G 0.92-1.00, B 1.00 (blue-ish) times a brightness of 0.90-1.00; black level
/// 10-30; gamma 0.85-1.15; saturation 0.90-1.15.</item>
/// <item>Pixel grid: the display's pixel pitch is within 2-6% of a scene pixel (either way) where the face is, so the
/// subpixel stripes alias into colour moire bands some 8-25 frame pixels apart (closer where the screen is turned);
/// stripe modulation 4-10%, row (black matrix) modulation 2-6%; RGB or BGR stripe order.</item>
/// <item>Reflection on the glass: a glare hotspot (60%: radius 12-30% of the screen's width, aspect 0.5-1, peak 30-80
/// levels) or else a sheen (a soft band 15-40% of the screen wide, peak 12-35 levels), over a uniform reflection of 2-10
/// levels.</item>
/// <item>Recapture blur 0.30-0.80 frame pixels on top of the camera's own.</item>
/// </list>
/// </summary>
internal static class ScreenReplayAttack
{
    public static AttackFrame Render(RgbImage photo, Random random)
    {
        int frameWidth = photo.Width, frameHeight = photo.Height;
        int sceneWidth = frameWidth * AttackScene.Supersampling, sceneHeight = frameHeight * AttackScene.Supersampling;
        double screenShare = random.Uniform(0.76, 0.94);
        int bezel = Math.Max(2, (int)Math.Round(random.Uniform(0.035, 0.09) * photo.Width));
        int bezelGrey = random.Next(8, 29);
        int rimGrey = random.Next(50, 91);
        var pose = new MediumPose(
            (sceneWidth / 2.0) + (random.Symmetric(0.07) * sceneWidth),
            (sceneHeight / 2.0) + (random.Symmetric(0.07) * sceneHeight),
            screenShare * sceneWidth / photo.Width,
            random.Symmetric(5), random.Symmetric(14), random.Symmetric(14));
        var display = new DisplaySettings(
            White: [random.Uniform(0.84, 0.95), random.Uniform(0.92, 1.0), 1.0],
            Brightness: random.Uniform(0.90, 1.0),
            Black: random.Uniform(10, 30),
            Gamma: random.Uniform(0.85, 1.15),
            Saturation: random.Uniform(0.90, 1.15));
        double beat = random.Uniform(0.02, 0.06) * (random.Chance(0.5) ? 1 : -1);
        var grid = new PixelGrid(
            PitchInScenePixels: 1 / (1 + beat),
            StripeDepth: random.Uniform(0.04, 0.10),
            RowDepth: random.Uniform(0.02, 0.06),
            Bgr: random.Chance(0.5));
        var reflection = Reflection.Draw(random);
        double recaptureBlur = random.Uniform(0.30, 0.80);

        using var device = RgbImage.Allocate(photo.Width + (2 * bezel), photo.Height + (2 * bezel));
        PaintDevice(device, photo, bezel, bezelGrey, rimGrey, display);
        using var scene = AttackScene.Backdrop(frameWidth, frameHeight, random);
        var deviceToScene = AttackScene.Place(device, pose, device.Width / 2.0, device.Height / 2.0, scene);
        // The display's pitch in device pixels, so that it spans grid.PitchInScenePixels at the device's centre.
        double pitch = grid.PitchInScenePixels / pose.Scale;
        ShowGridAndReflection(scene, deviceToScene.Invert(), device.Width, device.Height, bezel, pitch, grid, reflection);
        return new AttackFrame(AttackScene.ToFrame(scene), recaptureBlur);
    }

    /// <summary>The phone: a dark bezel with a lighter rim around the photo as the display shows it.</summary>
    private static void PaintDevice(RgbImage device, RgbImage photo, int bezel, int bezelGrey, int rimGrey, DisplaySettings display)
    {
        var target = device.Pixels;
        ReadOnlySpan<byte> source = photo.Pixels;
        for (int y = 0; y < device.Height; y++)
        {
            for (int x = 0; x < device.Width; x++)
            {
                int o = (y * device.Stride) + (x * 3);
                int px = x - bezel, py = y - bezel;
                if (px >= 0 && py >= 0 && px < photo.Width && py < photo.Height)
                {
                    int i = (py * photo.Stride) + (px * 3);
                    display.Show(source[i], source[i + 1], source[i + 2], target.Slice(o, 3));
                    continue;
                }

                bool rim = x == 0 || y == 0 || x == device.Width - 1 || y == device.Height - 1;
                int grey = rim ? rimGrey : bezelGrey;
                target[o] = (byte)grey;
                target[o + 1] = (byte)grey;
                target[o + 2] = (byte)Math.Min(255, grey + 4);
            }
        }
    }

    /// <summary>
    /// Over the device in the scene: the display's subpixel stripes and rows, sampled at each scene pixel's centre (where
    /// the pitch is close to a pixel, the samples beat into moire), and the reflection on the glass, added on top.
    /// </summary>
    private static void ShowGridAndReflection(RgbImage scene, Homography sceneToDevice, int deviceWidth, int deviceHeight, int bezel,
        double pitch, PixelGrid grid, Reflection reflection)
    {
        var pixels = scene.Pixels;
        double screenWidth = deviceWidth - (2 * bezel), screenHeight = deviceHeight - (2 * bezel);
        Span<double> phase = [0, 2 * Math.PI / 3, 4 * Math.PI / 3];
        if (grid.Bgr)
        {
            phase.Reverse();
        }

        for (int y = 0; y < scene.Height; y++)
        {
            for (int x = 0; x < scene.Width; x++)
            {
                var (u, v) = sceneToDevice.Apply(x + 0.5, y + 0.5);
                if (u < 0 || v < 0 || u >= deviceWidth || v >= deviceHeight)
                {
                    continue;
                }

                double sx = u - bezel, sy = v - bezel;
                bool onScreen = sx >= 0 && sy >= 0 && sx < screenWidth && sy < screenHeight;
                double rows = onScreen ? 1 + (grid.RowDepth * Math.Cos(2 * Math.PI * sy / pitch)) : 1;
                double glare = reflection.At(u / deviceWidth, v / deviceHeight);
                int o = (y * scene.Stride) + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    double stripes = onScreen ? 1 + (grid.StripeDepth * Math.Cos((2 * Math.PI * sx / pitch) - phase[c])) : 1;
                    pixels[o + c] = (byte)Math.Clamp((pixels[o + c] * stripes * rows) + glare + 0.5, 0, 255);
                }
            }
        }
    }

    /// <summary>How the display renders a pixel value: gamma, saturation, a raised black and a tinted white.</summary>
    private sealed record DisplaySettings(double[] White, double Brightness, double Black, double Gamma, double Saturation)
    {
        public void Show(byte r, byte g, byte b, Span<byte> target)
        {
            Span<double> value = [Math.Pow(r / 255.0, Gamma), Math.Pow(g / 255.0, Gamma), Math.Pow(b / 255.0, Gamma)];
            double luma = (0.299 * value[0]) + (0.587 * value[1]) + (0.114 * value[2]);
            for (int c = 0; c < 3; c++)
            {
                double saturated = Math.Clamp(luma + ((value[c] - luma) * Saturation), 0, 1);
                double white = 255 * White[c] * Brightness;
                target[c] = (byte)Math.Clamp(Black + ((white - Black) * saturated) + 0.5, 0, 255);
            }
        }
    }

    /// <param name="PitchInScenePixels">The display's pixel pitch at the device's centre, in scene pixels.</param>
    /// <param name="StripeDepth">How far the R, G and B subpixel stripes modulate their channel (a third of a pitch apart).</param>
    /// <param name="RowDepth">How far the black matrix between pixel rows darkens them.</param>
    /// <param name="Bgr">Subpixels in blue-green-red order.</param>
    private readonly record struct PixelGrid(double PitchInScenePixels, double StripeDepth, double RowDepth, bool Bgr);

    /// <summary>Light reflected by the glass, in device coordinates scaled to 0-1, in 8-bit levels added to every channel.</summary>
    private sealed record Reflection(bool Hotspot, double CentreU, double CentreV, double RadiusU, double RadiusV, double Angle, double Peak, double Floor)
    {
        public static Reflection Draw(Random random)
        {
            bool hotspot = random.Chance(0.6);
            double centreU = random.Uniform(0.15, 0.85), centreV = random.Uniform(0.15, 0.85);
            double radius = hotspot ? random.Uniform(0.12, 0.30) : random.Uniform(0.15, 0.40);
            double aspect = random.Uniform(0.5, 1.0), angle = random.Uniform(0, Math.PI);
            double peak = hotspot ? random.Uniform(30, 80) : random.Uniform(12, 35);
            return new Reflection(hotspot, centreU, centreV, radius, radius * aspect, angle, peak, random.Uniform(2, 10));
        }

        public double At(double u, double v)
        {
            double du = u - CentreU, dv = v - CentreV;
            double along = (du * Math.Cos(Angle)) + (dv * Math.Sin(Angle)), across = (dv * Math.Cos(Angle)) - (du * Math.Sin(Angle));
            // A hotspot is an elliptical gaussian; a sheen is a band across the glass, soft on both sides.
            double distance = Hotspot ? ((along / RadiusU) * (along / RadiusU)) + ((across / RadiusV) * (across / RadiusV)) : (across / RadiusU) * (across / RadiusU);
            return Floor + (Peak * Math.Exp(-2 * distance));
        }
    }
}
