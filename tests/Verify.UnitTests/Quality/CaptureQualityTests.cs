using System.ComponentModel.DataAnnotations;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Quality;

namespace Verify.UnitTests.Quality;

public sealed class CaptureQualityTests
{
    private static readonly CaptureQualityOptions Defaults = new();
    private static readonly FaceBox Box = new(100, 70, 120, 150);

    [Fact]
    public void A_well_captured_face_passes_every_check()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, Box);
        using (image)
        {
            var measures = CaptureQuality.Measure(image, face);

            Assert.Empty(CaptureQuality.Assess(measures, Defaults));
            Assert.Equal(120, measures.FaceSizePixels);
            Assert.Null(measures.EyesOpen);
            Assert.InRange(measures.MeanSaturation, 0.15, 0.6);
        }
    }

    [Fact]
    public void A_blurred_copy_is_less_sharp_and_only_it_is_flagged_blur()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, Box);
        using (image)
        using (var blurred = GaussianBlur.Apply(image, 2.5))
        {
            var sharp = CaptureQuality.Measure(image, face);
            var soft = CaptureQuality.Measure(blurred, face);

            Assert.True(sharp.Sharpness > 4 * soft.Sharpness, $"sharp {sharp.Sharpness:F1}, blurred {soft.Sharpness:F1}");
            Assert.DoesNotContain(QualityFailures.Blur, CaptureQuality.Assess(sharp, Defaults));
            Assert.Contains(QualityFailures.Blur, CaptureQuality.Assess(soft, Defaults));
        }
    }

    [Fact]
    public void Sharpness_does_not_depend_on_the_photo_resolution()
    {
        var (small, smallFace) = FaceLikeImage.Render(320, 300, Box);
        var (large, largeFace) = FaceLikeImage.Render(1280, 1200, new FaceBox(Box.X * 4, Box.Y * 4, Box.Width * 4, Box.Height * 4));
        using (small)
        using (large)
        {
            double ratio = CaptureQuality.Measure(large, largeFace).Sharpness / CaptureQuality.Measure(small, smallFace).Sharpness;

            Assert.InRange(ratio, 0.67, 1.5);
        }
    }

    [Fact]
    public void An_overexposed_copy_is_flagged_overexposed()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, Box);
        using (image)
        using (var bright = FaceLikeImage.Mapped(image, value => (value * 1.6) + 50))
        {
            var measures = CaptureQuality.Measure(bright, face);

            Assert.True(measures.BrightClippedFraction > 0.3, $"clipped {measures.BrightClippedFraction:P0}");
            Assert.Contains(QualityFailures.Overexposed, CaptureQuality.Assess(measures, Defaults));
            Assert.DoesNotContain(QualityFailures.Underexposed, CaptureQuality.Assess(measures, Defaults));
        }
    }

    [Fact]
    public void A_dark_copy_is_flagged_underexposed()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, Box);
        using (image)
        using (var dark = FaceLikeImage.Mapped(image, value => value * 0.15))
        {
            var measures = CaptureQuality.Measure(dark, face);

            Assert.InRange(measures.MeanLuma, 10, 30);
            Assert.Contains(QualityFailures.Underexposed, CaptureQuality.Assess(measures, Defaults));
            Assert.DoesNotContain(QualityFailures.Overexposed, CaptureQuality.Assess(measures, Defaults));
        }
    }

    [Fact]
    public void A_tiny_face_is_flagged_face_too_small()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, new FaceBox(140, 120, 40, 50));
        using (image)
        {
            var failures = CaptureQuality.Assess(CaptureQuality.Measure(image, face), Defaults);

            Assert.Contains(QualityFailures.FaceTooSmall, failures);
        }
    }

    [Fact]
    public void A_face_turned_far_aside_is_flagged_pose()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, Box);
        using (image)
        {
            // The nose tip moved sideways by 0.6 eye distances: about 50 degrees of yaw, beyond the 45 allowed.
            var landmarks = face.Landmarks.ToArray();
            float eyeDistance = landmarks[Landmark.LeftEye].X - landmarks[Landmark.RightEye].X;
            landmarks[Landmark.NoseTip] = landmarks[Landmark.NoseTip] with { X = landmarks[Landmark.NoseTip].X + (0.6f * eyeDistance) };

            var measures = CaptureQuality.Measure(image, face with { Landmarks = landmarks });

            Assert.InRange(measures.Pose.YawDegrees, 46, 55);
            Assert.Equal([QualityFailures.Pose], CaptureQuality.Assess(measures, Defaults));
        }
    }

    [Fact]
    public void A_face_box_crossing_the_image_edge_is_flagged_face_cut_off()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, new FaceBox(230, 70, 120, 150));
        using (image)
        {
            var measures = CaptureQuality.Measure(image, face);

            Assert.True(measures.FrameMargin < 0);
            Assert.Contains(QualityFailures.FaceCutOff, CaptureQuality.Assess(measures, Defaults));
        }
    }

    [Fact]
    public void A_face_box_outside_the_image_is_a_fault()
    {
        var (image, face) = FaceLikeImage.Render(320, 300, Box);
        using (image)
        {
            Assert.Throws<ArgumentException>(() => CaptureQuality.Measure(image, face with { Box = new FaceBox(400, 70, 120, 150) }));
        }
    }

    [Fact]
    public void Options_with_an_empty_luma_range_are_invalid()
    {
        var options = new CaptureQualityOptions { MinMeanLuma = 150, MaxMeanLuma = 100 };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, result => result.MemberNames.Contains(nameof(CaptureQualityOptions.MinMeanLuma)));
        Assert.True(Validator.TryValidateObject(Defaults, new ValidationContext(Defaults), [], validateAllProperties: true));
    }
}
