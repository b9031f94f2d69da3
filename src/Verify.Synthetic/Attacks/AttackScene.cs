using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>
/// What every attack puts in front of the camera: a softly out-of-focus backdrop (a wall, table or fabric) at
/// <see cref="Supersampling"/> times the frame's resolution, the medium drawn onto it in perspective, and uneven light.
/// </summary>
internal static class AttackScene
{
    /// <summary>
    /// Scene pixels per frame pixel along each axis. Fine structure (ink dots, a screen's subpixels) is drawn at the scene's
    /// resolution and area-averaged down, as sensor pixels integrate what the lens shows them.
    /// </summary>
    public const int Supersampling = 2;

    /// <summary>
    /// A backdrop for a <paramref name="frameWidth"/> x <paramref name="frameHeight"/> frame, at scene resolution: one of
    /// <see cref="BackgroundTexture.Kinds"/> in a muted colour (grey 60-200, tint up to 40 levels a channel), blurred
    /// by 0.8-2.0 frame pixels because it lies behind the medium, out of focus.
    /// </summary>
    public static RgbImage Backdrop(int frameWidth, int frameHeight, Random random)
    {
        string kind = BackgroundTexture.Kinds[random.Next(BackgroundTexture.Kinds.Length)];
        int grey = random.Next(60, 201);
        var colour = new RgbColor(Tinted(grey, random), Tinted(grey, random), Tinted(grey, random));
        double blur = random.Uniform(0.8, 2.0);
        var texture = new Random(random.Next());
        using var painted = RgbImage.Allocate(frameWidth, frameHeight);
        BackgroundTexture.Paint(painted, kind, colour, texture);
        using var soft = GaussianBlur.Apply(painted, blur);
        return ImageResampler.Resize(soft, frameWidth * Supersampling, frameHeight * Supersampling);
    }

    /// <summary>
    /// Draws <paramref name="medium"/> onto <paramref name="scene"/> as held in <paramref name="pose"/>, its point
    /// (<paramref name="anchorX"/>, <paramref name="anchorY"/>) at the pose's centre; returns the medium-to-scene map.
    /// </summary>
    public static Homography Place(RgbImage medium, MediumPose pose, double anchorX, double anchorY, RgbImage scene)
    {
        var mediumToScene = pose.MediumToFrame(medium.Width, medium.Height, anchorX, anchorY, scene.Width);
        CaptureSimulator.Draw(medium, mediumToScene, pose.Scale, scene);
        return mediumToScene;
    }

    /// <summary>
    /// Light that falls off across the image: each pixel scaled by 1 + <paramref name="amplitude"/> times its position
    /// (-0.5 to 0.5) along the direction <paramref name="angle"/> (radians).
    /// </summary>
    public static void LightFalloff(RgbImage image, double amplitude, double angle)
    {
        double span = Math.Abs(Math.Cos(angle)) + Math.Abs(Math.Sin(angle));
        double dx = Math.Cos(angle) / (image.Width * span), dy = Math.Sin(angle) / (image.Height * span);
        double centre = ((image.Width * dx) + (image.Height * dy)) / 2;
        var pixels = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                double light = 1 + (amplitude * ((x * dx) + (y * dy) - centre));
                int o = (y * image.Stride) + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    pixels[o + c] = (byte)Math.Clamp((pixels[o + c] * light) + 0.5, 0, 255);
                }
            }
        }
    }

    /// <summary>The scene as the sensor records it: area-averaged down to the frame's size.</summary>
    public static RgbImage ToFrame(RgbImage scene) =>
        ImageResampler.Resize(scene, scene.Width / Supersampling, scene.Height / Supersampling);

    private static byte Tinted(int grey, Random random) => (byte)Math.Clamp(grey + random.Next(-40, 41), 0, 255);
}
