using Verify.Imaging;
using Verify.Inference.Faces;

namespace Verify.Inference.Quality;

/// <summary>How well a selfie captures its face: size, focus, exposure, colour, pose and framing.</summary>
/// <param name="FaceSizePixels">The shorter side of the face's box, in image pixels.</param>
/// <param name="Sharpness">
/// Variance of the 4-neighbour Laplacian of the inner face (see <see cref="CaptureQuality"/>) resampled to
/// <see cref="CaptureQuality.SharpnessSide"/> pixels square, in squared 8-bit grey levels; independent of the photo's
/// resolution, higher is sharper. Sensor noise raises it too.
/// </param>
/// <param name="MeanLuma">Mean BT.601 luma of the inner face, 0–255.</param>
/// <param name="BrightClippedFraction">Share of inner-face pixels with luma of 250 or more.</param>
/// <param name="DarkClippedFraction">Share of inner-face pixels with luma of 5 or less.</param>
/// <param name="MeanSaturation">
/// Mean HSV saturation ((max − min) / max) of the inner face, 0–1: skin in colour photos measures about 0.2–0.5, a
/// greyscale capture 0. A measure only: LFW holds honest greyscale photos, so no failure is derived from it.
/// </param>
/// <param name="Pose">The head pose estimated from the five landmarks.</param>
/// <param name="FrameMargin">
/// Distance from the face's box to the nearest image edge, as a fraction of <paramref name="FaceSizePixels"/>;
/// negative when the box crosses the edge.
/// </param>
/// <param name="EyesOpen">
/// Always null: five landmarks cannot tell open eyes from closed ones. A 68-point landmark model could (eye aspect
/// ratio), but none is wired up.
/// </param>
public sealed record CaptureQualityMeasures(
    float FaceSizePixels,
    double Sharpness,
    double MeanLuma,
    double BrightClippedFraction,
    double DarkClippedFraction,
    double MeanSaturation,
    HeadPose Pose,
    double FrameMargin,
    bool? EyesOpen);

/// <summary>Measures the capture quality of a detected face and checks the measures against thresholds.</summary>
/// <remarks>
/// Everything but the pose and framing is read from the inner face: the box less 15% on the left and right and 10% at
/// the top and bottom, which keeps mostly skin, eyes, nose and mouth and little background or hair. Only that region is
/// copied and it is resampled to a fixed square, so a measurement costs about the same for any photo size.
/// </remarks>
public static class CaptureQuality
{
    /// <summary>Side of the square the inner face is resampled to: about the resolution the face matchers see.</summary>
    public const int SharpnessSide = 112;

    private const double SideInset = 0.15;
    private const double VerticalInset = 0.10;
    private const byte BrightClip = 250;
    private const byte DarkClip = 5;

    /// <summary>Measures the face in <paramref name="image"/>; its inner region must overlap the image.</summary>
    public static CaptureQualityMeasures Measure(RgbImage image, FaceDetection face)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(face);
        var box = face.Box;
        int left = (int)Math.Clamp(Math.Floor(box.X + (box.Width * SideInset)), 0, image.Width);
        int right = (int)Math.Clamp(Math.Ceiling(box.Right - (box.Width * SideInset)), 0, image.Width);
        int top = (int)Math.Clamp(Math.Floor(box.Y + (box.Height * VerticalInset)), 0, image.Height);
        int bottom = (int)Math.Clamp(Math.Ceiling(box.Bottom - (box.Height * VerticalInset)), 0, image.Height);
        if (right <= left || bottom <= top)
        {
            throw new ArgumentException($"The face box {box} has no inner region inside the {image.Width}x{image.Height} image.", nameof(face));
        }

        using var region = image.Crop(left, top, right - left, bottom - top);
        using var square = ImageResampler.Resize(region, SharpnessSide, SharpnessSide);
        using var gray = GrayImage.FromRgb(square);

        var (meanLuma, bright, dark) = Exposure(gray.Pixels);
        float size = face.Size;
        double margin = Math.Min(Math.Min(box.X, box.Y), Math.Min(image.Width - box.Right, image.Height - box.Bottom));
        return new CaptureQualityMeasures(
            FaceSizePixels: size,
            Sharpness: LaplacianVariance(gray),
            MeanLuma: meanLuma,
            BrightClippedFraction: bright,
            DarkClippedFraction: dark,
            MeanSaturation: MeanSaturation(square.Pixels),
            Pose: HeadPoseEstimator.Estimate(face.Landmarks),
            FrameMargin: size > 0 ? margin / size : -1,
            EyesOpen: null);
    }

    /// <summary>The failure codes (<see cref="QualityFailures"/>) of the measures under the options; empty when the capture is good.</summary>
    public static IReadOnlyList<string> Assess(CaptureQualityMeasures measures, CaptureQualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (measures.FaceSizePixels < options.MinFaceSizePixels)
        {
            failures.Add(QualityFailures.FaceTooSmall);
        }

        if (measures.Sharpness < options.MinSharpness)
        {
            failures.Add(QualityFailures.Blur);
        }

        if (measures.MeanLuma > options.MaxMeanLuma || measures.BrightClippedFraction > options.MaxBrightClippedFraction)
        {
            failures.Add(QualityFailures.Overexposed);
        }

        if (measures.MeanLuma < options.MinMeanLuma || measures.DarkClippedFraction > options.MaxDarkClippedFraction)
        {
            failures.Add(QualityFailures.Underexposed);
        }

        var pose = measures.Pose;
        if (Math.Abs(pose.YawDegrees) > options.MaxYawDegrees
            || Math.Abs(pose.PitchDegrees) > options.MaxPitchDegrees
            || Math.Abs(pose.RollDegrees) > options.MaxRollDegrees)
        {
            failures.Add(QualityFailures.Pose);
        }

        if (measures.FrameMargin < options.MinFrameMargin)
        {
            failures.Add(QualityFailures.FaceCutOff);
        }

        return failures;
    }

    /// <summary>Variance of the 4-neighbour Laplacian over the pixels that have all four neighbours.</summary>
    internal static double LaplacianVariance(GrayImage gray)
    {
        if (gray.Width < 3 || gray.Height < 3)
        {
            return 0;
        }

        ReadOnlySpan<byte> pixels = gray.Pixels;
        int width = gray.Width;
        long sum = 0, sumOfSquares = 0;
        for (int y = 1; y < gray.Height - 1; y++)
        {
            int row = y * width;
            for (int x = 1; x < width - 1; x++)
            {
                int i = row + x;
                int laplacian = pixels[i - 1] + pixels[i + 1] + pixels[i - width] + pixels[i + width] - (4 * pixels[i]);
                sum += laplacian;
                sumOfSquares += laplacian * laplacian;
            }
        }

        double count = (double)(width - 2) * (gray.Height - 2);
        double mean = sum / count;
        return (sumOfSquares / count) - (mean * mean);
    }

    private static (double Mean, double Bright, double Dark) Exposure(ReadOnlySpan<byte> luma)
    {
        long sum = 0;
        int bright = 0, dark = 0;
        foreach (byte value in luma)
        {
            sum += value;
            bright += value >= BrightClip ? 1 : 0;
            dark += value <= DarkClip ? 1 : 0;
        }

        double count = luma.Length;
        return (sum / count, bright / count, dark / count);
    }

    private static double MeanSaturation(ReadOnlySpan<byte> rgb)
    {
        double sum = 0;
        for (int i = 0; i < rgb.Length; i += 3)
        {
            int max = Math.Max(rgb[i], Math.Max(rgb[i + 1], rgb[i + 2]));
            int min = Math.Min(rgb[i], Math.Min(rgb[i + 1], rgb[i + 2]));
            sum += max == 0 ? 0 : (double)(max - min) / max;
        }

        return sum / (rgb.Length / 3);
    }
}
