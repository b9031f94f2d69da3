using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>Cuts out a face aligned to an embedding model's template: similarity transform from the five landmarks, bilinear warp.</summary>
public static class FaceAligner
{
    /// <summary>The aligned square crop; the caller owns it.</summary>
    public static RgbImage Align(RgbImage image, IReadOnlyList<FacePoint> landmarks, AlignmentTemplate template)
    {
        var imageToTemplate = SimilarityTransform.Estimate(landmarks, template.Points);
        var templateToImage = imageToTemplate.Invert();
        double scale = Math.Sqrt(Math.Abs(imageToTemplate.Determinant));

        // Bilinear sampling aliases when a large face is shrunk a lot (a selfie from a 12 MP camera):
        // average the face region down first, so that each output pixel draws on about one input pixel.
        int factor = (int)Math.Floor(1 / scale);
        if (factor < 2)
        {
            return ImageResampler.WarpAffine(image, templateToImage, template.Size, template.Size);
        }

        // The region reaches two blocks past what the output maps onto, so that no sample near the crop's
        // edge falls outside the reduced image and blends with black; only the photo's own edge may.
        var (left, top, right, bottom) = SourceBounds(templateToImage, template.Size, image.Width, image.Height, margin: 2 * factor);
        using var region = image.Crop(left, top, right - left, bottom - top);
        using var reduced = ImageResampler.BoxDownsample(region, factor);

        // Reduced pixel j averages region pixels [j*f, (j+1)*f): its centre is at j*f + (f-1)/2.
        var imageToReduced = new Affine2D(1.0 / factor, 0, 0, 1.0 / factor,
            -(left + ((factor - 1) / 2.0)) / factor, -(top + ((factor - 1) / 2.0)) / factor);
        return ImageResampler.WarpAffine(reduced, imageToReduced.After(templateToImage), template.Size, template.Size);
    }

    /// <summary>The part of the image the output square maps onto, widened by <paramref name="margin"/> and clipped to the image.</summary>
    private static (int Left, int Top, int Right, int Bottom) SourceBounds(Affine2D templateToImage, int size, int width, int height, int margin)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (x, y) in new[] { (0, 0), (size, 0), (0, size), (size, size) })
        {
            var (ix, iy) = templateToImage.Apply(x, y);
            minX = Math.Min(minX, ix);
            minY = Math.Min(minY, iy);
            maxX = Math.Max(maxX, ix);
            maxY = Math.Max(maxY, iy);
        }

        int left = Math.Clamp((int)Math.Floor(minX) - margin, 0, width - 1);
        int top = Math.Clamp((int)Math.Floor(minY) - margin, 0, height - 1);
        int right = Math.Clamp((int)Math.Ceiling(maxX) + margin, left + 1, width);
        int bottom = Math.Clamp((int)Math.Ceiling(maxY) + margin, top + 1, height);
        return (left, top, right, bottom);
    }
}
