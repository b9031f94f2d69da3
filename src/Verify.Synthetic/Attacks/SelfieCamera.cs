using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>
/// The last stage of every simulated image, bona fide or attack: what an honest selfie camera adds. Exposure gain
/// 0.90-1.10, white balance 0.96-1.04 per channel, lens blur sigma 0.3-0.7 px, sensor noise sigma 1.5-4.0 levels,
/// JPEG quality 70-92.
/// </summary>
/// <remarks>
/// Bona fide and attack images share these ranges, so that a detector cannot tell them apart by the last capture:
/// every image is re-encoded once, at the same qualities.
/// </remarks>
internal sealed record SelfieCamera(double Gain, double[] WhiteBalance, double BlurSigma, double NoiseSigma, int JpegQuality, int NoiseSeed)
{
    private static readonly ImageDecoder Decoder = new();

    public static SelfieCamera Draw(Random random)
    {
        double gain = random.Uniform(0.90, 1.10);
        double[] whiteBalance = [random.Uniform(0.96, 1.04), random.Uniform(0.96, 1.04), random.Uniform(0.96, 1.04)];
        double blur = random.Uniform(0.3, 0.7);
        double noise = random.Uniform(1.5, 4.0);
        int quality = random.Next(70, 93);
        return new SelfieCamera(gain, whiteBalance, blur, noise, quality, random.Next());
    }

    /// <summary>
    /// Captures <paramref name="frame"/> (left as it is) into a new image of its size, with
    /// <paramref name="recaptureBlurSigma"/> more blur on top of the lens blur (a re-photographed medium is never
    /// quite in focus).
    /// </summary>
    public RgbImage Capture(RgbImage frame, double recaptureBlurSigma = 0)
    {
        using var exposed = RgbImage.Allocate(frame.Width, frame.Height);
        ReadOnlySpan<byte> source = frame.Pixels;
        var target = exposed.Pixels;
        for (int i = 0; i < source.Length; i++)
        {
            target[i] = (byte)Math.Clamp((source[i] * Gain * WhiteBalance[i % 3]) + 0.5, 0, 255);
        }

        double sigma = Math.Sqrt((BlurSigma * BlurSigma) + (recaptureBlurSigma * recaptureBlurSigma));
        using var blurred = GaussianBlur.Apply(exposed, sigma);
        CaptureSimulator.AddNoise(blurred, NoiseSigma, new Random(NoiseSeed));
        return Decoder.Decode(ImageEncoder.EncodeJpeg(blurred, JpegQuality));
    }
}
