namespace Verify.Imaging;

/// <summary>Resizing, affine and perspective warping of <see cref="RgbImage"/>s, with area averaging before large reductions.</summary>
public static class ImageResampler
{
    /// <summary>
    /// The image resized (<see cref="Resize"/>) so that its long side is <paramref name="side"/>, the other side in
    /// proportion (rounded, at least 1); null when neither side is larger than <paramref name="side"/>.
    /// </summary>
    public static RgbImage? ReduceToLongSide(RgbImage source, int side)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(side);
        int longSide = Math.Max(source.Width, source.Height);
        if (longSide <= side)
        {
            return null;
        }

        double scale = (double)side / longSide;
        return Resize(source, Math.Clamp((int)Math.Round(source.Width * scale), 1, side), Math.Clamp((int)Math.Round(source.Height * scale), 1, side));
    }

    /// <summary>
    /// Resizes to exactly <paramref name="width"/> x <paramref name="height"/> (bilinear, pixel centres aligned,
    /// edges replicated). Reductions by more than two first average whole blocks of pixels, so that bilinear
    /// sampling does not alias fine detail.
    /// </summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        // Target pixel centres onto source pixel centres.
        double scaleX = (double)source.Width / width, scaleY = (double)source.Height / height;
        var targetToSource = new Affine2D(scaleX, 0, 0, scaleY, (0.5 * scaleX) - 0.5, (0.5 * scaleY) - 0.5);
        int factor = Math.Max(1, Math.Min(source.Width / width, source.Height / height) / 2 * 2);
        if (factor < 2)
        {
            return ResizeBilinear(source, width, height, targetToSource);
        }

        // Reduced pixel j averages source pixels [j*f, (j+1)*f): its centre is at j*f + (f-1)/2.
        using var reduced = BoxDownsample(source, factor);
        double shift = (factor - 1) / 2.0;
        var sourceToReduced = new Affine2D(1.0 / factor, 0, 0, 1.0 / factor, -shift / factor, -shift / factor);
        return ResizeBilinear(reduced, width, height, sourceToReduced.After(targetToSource));
    }

    /// <summary>
    /// Averages each <paramref name="factor"/> x <paramref name="factor"/> block into one pixel; blocks cut by
    /// the right and bottom edges average what they hold, so no edge pixels are dropped.
    /// </summary>
    public static RgbImage BoxDownsample(RgbImage source, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        int width = (source.Width + factor - 1) / factor, height = (source.Height + factor - 1) / factor;
        var target = RgbImage.Allocate(width, height);
        Span<int> sums = stackalloc int[3];
        ReadOnlySpan<byte> pixels = source.Pixels;
        Span<byte> output = target.Pixels;
        for (int y = 0; y < height; y++)
        {
            int y0 = y * factor, y1 = Math.Min(y0 + factor, source.Height);
            for (int x = 0; x < width; x++)
            {
                int x0 = x * factor, x1 = Math.Min(x0 + factor, source.Width);
                sums.Clear();
                for (int sy = y0; sy < y1; sy++)
                {
                    int row = sy * source.Stride;
                    for (int sx = x0; sx < x1; sx++)
                    {
                        int i = row + (sx * 3);
                        sums[0] += pixels[i];
                        sums[1] += pixels[i + 1];
                        sums[2] += pixels[i + 2];
                    }
                }

                int count = (y1 - y0) * (x1 - x0);
                int o = (y * target.Stride) + (x * 3);
                output[o] = (byte)((sums[0] + (count / 2)) / count);
                output[o + 1] = (byte)((sums[1] + (count / 2)) / count);
                output[o + 2] = (byte)((sums[2] + (count / 2)) / count);
            }
        }

        return target;
    }

    /// <summary>
    /// Builds a <paramref name="width"/> x <paramref name="height"/> image whose pixel (x, y) is the bilinear
    /// sample of <paramref name="source"/> at <paramref name="targetToSource"/>(x, y); outside the source is
    /// black, as in the face-alignment references (insightface, dlib).
    /// </summary>
    public static RgbImage WarpAffine(RgbImage source, Affine2D targetToSource, int width, int height)
    {
        var target = RgbImage.Allocate(width, height);
        ReadOnlySpan<byte> pixels = source.Pixels;
        Span<byte> output = target.Pixels;
        int maxX = source.Width - 1, maxY = source.Height - 1, stride = source.Stride;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (double sx, double sy) = targetToSource.Apply(x, y);
                int o = (y * target.Stride) + (x * 3);
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                if (x0 < -1 || y0 < -1 || x0 > maxX || y0 > maxY)
                {
                    output[o] = output[o + 1] = output[o + 2] = 0;
                    continue;
                }

                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                for (int c = 0; c < 3; c++)
                {
                    float value =
                        (w00 * Sample(pixels, stride, x0, y0, c, maxX, maxY)) +
                        (w10 * Sample(pixels, stride, x0 + 1, y0, c, maxX, maxY)) +
                        (w01 * Sample(pixels, stride, x0, y0 + 1, c, maxX, maxY)) +
                        (w11 * Sample(pixels, stride, x0 + 1, y0 + 1, c, maxX, maxY));
                    output[o + c] = (byte)Math.Clamp((int)(value + 0.5f), 0, 255);
                }
            }
        }

        return target;
    }

    /// <summary>
    /// Builds a <paramref name="width"/> x <paramref name="height"/> image whose pixel (x, y) is the bilinear sample of
    /// <paramref name="source"/> at <paramref name="targetToSource"/>(x, y); outside the source is black, as in
    /// <see cref="WarpAffine"/>.
    /// </summary>
    public static RgbImage WarpPerspective(RgbImage source, Homography targetToSource, int width, int height)
    {
        var target = RgbImage.Allocate(width, height);
        target.Pixels.Clear();
        WarpPerspectiveOnto(source, targetToSource, target);
        return target;
    }

    /// <summary>
    /// Draws <paramref name="source"/> onto <paramref name="canvas"/> through a projective map: each canvas pixel
    /// (x, y) inside the mapped source takes the bilinear sample at <paramref name="targetToSource"/>(x, y). Along the
    /// source's edges the sample is blended with the canvas by the share of its weights that fall inside the source,
    /// so the edges are anti-aliased; the canvas is left as it is elsewhere.
    /// </summary>
    public static void WarpPerspectiveOnto(RgbImage source, Homography targetToSource, RgbImage canvas)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(canvas);
        // Only the bounding box of the mapped source can change.
        var sourceToTarget = targetToSource.Invert();
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach ((double cx, double cy) in new[] { (-1.0, -1.0), (source.Width, -1.0), (source.Width, source.Height), (-1.0, source.Height) })
        {
            (double tx, double ty) = sourceToTarget.Apply(cx, cy);
            minX = Math.Min(minX, tx);
            minY = Math.Min(minY, ty);
            maxX = Math.Max(maxX, tx);
            maxY = Math.Max(maxY, ty);
        }

        int left = (int)Math.Clamp(Math.Floor(minX), 0, canvas.Width), right = (int)Math.Clamp(Math.Ceiling(maxX) + 1, 0, canvas.Width);
        int top = (int)Math.Clamp(Math.Floor(minY), 0, canvas.Height), bottom = (int)Math.Clamp(Math.Ceiling(maxY) + 1, 0, canvas.Height);
        ReadOnlySpan<byte> pixels = source.Pixels;
        Span<byte> output = canvas.Pixels;
        int lastX = source.Width - 1, lastY = source.Height - 1, stride = source.Stride;
        for (int y = top; y < bottom; y++)
        {
            for (int x = left; x < right; x++)
            {
                double w = (targetToSource.H31 * x) + (targetToSource.H32 * y) + targetToSource.H33;
                if (w <= 0)
                {
                    continue;
                }

                double sx = ((targetToSource.H11 * x) + (targetToSource.H12 * y) + targetToSource.H13) / w;
                double sy = ((targetToSource.H21 * x) + (targetToSource.H22 * y) + targetToSource.H23) / w;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                if (x0 < -1 || y0 < -1 || x0 > lastX || y0 > lastY)
                {
                    continue;
                }

                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                bool in0 = x0 >= 0, in1 = x0 < lastX, top0 = y0 >= 0, top1 = y0 < lastY;
                float w00 = in0 && top0 ? (1 - fx) * (1 - fy) : 0;
                float w10 = in1 && top0 ? fx * (1 - fy) : 0;
                float w01 = in0 && top1 ? (1 - fx) * fy : 0;
                float w11 = in1 && top1 ? fx * fy : 0;
                float coverage = w00 + w10 + w01 + w11;
                int o = (y * canvas.Stride) + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    float value =
                        (w00 * Sample(pixels, stride, x0, y0, c, lastX, lastY)) +
                        (w10 * Sample(pixels, stride, x0 + 1, y0, c, lastX, lastY)) +
                        (w01 * Sample(pixels, stride, x0, y0 + 1, c, lastX, lastY)) +
                        (w11 * Sample(pixels, stride, x0 + 1, y0 + 1, c, lastX, lastY)) +
                        ((1 - coverage) * output[o + c]);
                    output[o + c] = (byte)Math.Clamp((int)(value + 0.5f), 0, 255);
                }
            }
        }
    }

    // Fixed-point bilinear weights: 255 * 2^11 * 2^11 still fits an int.
    private const int WeightBits = 11;
    private const int WeightOne = 1 << WeightBits;
    private const int Rounding = 1 << ((2 * WeightBits) - 1);

    /// <summary>Separable bilinear interpolation in fixed point: per-column source indices and weights are computed once.</summary>
    /// <remarks><paramref name="targetToSource"/> must be axis-aligned (no rotation or shear); edges are replicated.</remarks>
    private static unsafe RgbImage ResizeBilinear(RgbImage source, int width, int height, Affine2D targetToSource)
    {
        var target = RgbImage.Allocate(width, height);
        var left = new int[width];
        var right = new int[width];
        var weight = new int[width];
        for (int x = 0; x < width; x++)
        {
            double sx = Math.Clamp((x * targetToSource.A) + targetToSource.Tx, 0, source.Width - 1);
            int x0 = (int)sx;
            left[x] = x0 * 3;
            right[x] = Math.Min(x0 + 1, source.Width - 1) * 3;
            weight[x] = (int)Math.Round((sx - x0) * WeightOne);
        }

        fixed (byte* sourcePixels = source.Pixels)
        fixed (byte* targetPixels = target.Pixels)
        {
            for (int y = 0; y < height; y++)
            {
                double sy = Math.Clamp((y * targetToSource.D) + targetToSource.Ty, 0, source.Height - 1);
                int y0 = (int)sy;
                int fy = (int)Math.Round((sy - y0) * WeightOne);
                byte* top = sourcePixels + ((long)y0 * source.Stride);
                byte* bottom = sourcePixels + ((long)Math.Min(y0 + 1, source.Height - 1) * source.Stride);
                byte* output = targetPixels + ((long)y * target.Stride);
                for (int x = 0; x < width; x++)
                {
                    int l = left[x], r = right[x];
                    int fx = weight[x];
                    for (int c = 0; c < 3; c++)
                    {
                        int upper = (top[l + c] * (WeightOne - fx)) + (top[r + c] * fx);
                        int lower = (bottom[l + c] * (WeightOne - fx)) + (bottom[r + c] * fx);
                        output[(x * 3) + c] = (byte)(((upper * (WeightOne - fy)) + (lower * fy) + Rounding) >> (2 * WeightBits));
                    }
                }
            }
        }

        return target;
    }

    /// <summary>A pixel value, black outside the image (a constant border, as the alignment references use).</summary>
    private static float Sample(ReadOnlySpan<byte> pixels, int stride, int x, int y, int channel, int maxX, int maxY) =>
        x < 0 || y < 0 || x > maxX || y > maxY ? 0f : pixels[(y * stride) + (x * 3) + channel];
}
