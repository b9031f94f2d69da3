using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>Packs interleaved RGB pixels into a planar (NCHW) float tensor with a model's channel order and scaling.</summary>
internal static class TensorPacking
{
    /// <summary>
    /// Writes channel planes of <paramref name="planeWidth"/> x <paramref name="planeHeight"/> with the image at
    /// the top-left; value = (pixel - <paramref name="mean"/>) * <paramref name="scale"/>; the rest stays as it is.
    /// </summary>
    public static void ToPlanar(RgbImage image, Span<float> target, int planeWidth, int planeHeight, bool bgr, float mean, float scale)
    {
        int plane = planeWidth * planeHeight;
        if (target.Length < plane * 3 || image.Width > planeWidth || image.Height > planeHeight)
        {
            throw new ArgumentException("The image does not fit the tensor.");
        }

        var first = target[..plane];
        var second = target.Slice(plane, plane);
        var third = target.Slice(plane * 2, plane);
        var red = bgr ? third : first;
        var blue = bgr ? first : third;
        ReadOnlySpan<byte> pixels = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            int row = y * image.Stride, offset = y * planeWidth;
            for (int x = 0; x < image.Width; x++)
            {
                int i = row + (x * 3);
                red[offset + x] = (pixels[i] - mean) * scale;
                second[offset + x] = (pixels[i + 1] - mean) * scale;
                blue[offset + x] = (pixels[i + 2] - mean) * scale;
            }
        }
    }
}
