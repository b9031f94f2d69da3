namespace Verify.Imaging;

/// <summary>Separable gaussian blur of an <see cref="RgbImage"/>, edges replicated.</summary>
public static class GaussianBlur
{
    /// <summary>
    /// The normalised 1-D kernel for <paramref name="sigma"/> pixels, truncated at three sigma (radius at least 1);
    /// its weights sum to 1.
    /// </summary>
    public static float[] Kernel(double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var kernel = new float[(2 * radius) + 1];
        double sum = 0;
        var weights = new double[kernel.Length];
        for (int i = -radius; i <= radius; i++)
        {
            weights[i + radius] = Math.Exp(-(i * i) / (2 * sigma * sigma));
            sum += weights[i + radius];
        }

        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(weights[i] / sum);
        }

        return kernel;
    }

    /// <summary>A new blurred image; the source is left to its owner. Sigma 0 returns a copy.</summary>
    public static RgbImage Apply(RgbImage source, double sigma)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(sigma);
        if (sigma == 0)
        {
            return RgbImage.FromPixels(source.Width, source.Height, source.Pixels);
        }

        var kernel = Kernel(sigma);
        int radius = kernel.Length / 2, width = source.Width, height = source.Height;
        // The horizontal pass keeps floats so that the vertical pass does not round twice.
        var horizontal = new float[width * height * 3];
        ReadOnlySpan<byte> pixels = source.Pixels;
        for (int y = 0; y < height; y++)
        {
            int row = y * width * 3;
            for (int x = 0; x < width; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int i = row + (Math.Clamp(x + k, 0, width - 1) * 3);
                    float w = kernel[k + radius];
                    r += w * pixels[i];
                    g += w * pixels[i + 1];
                    b += w * pixels[i + 2];
                }

                int o = row + (x * 3);
                horizontal[o] = r;
                horizontal[o + 1] = g;
                horizontal[o + 2] = b;
            }
        }

        var target = RgbImage.Allocate(width, height);
        Span<byte> output = target.Pixels;
        int stride = width * 3;
        // Row by row, so that each pass over the float buffer reads whole rows in order.
        var sums = new float[stride];
        for (int y = 0; y < height; y++)
        {
            Array.Clear(sums);
            for (int k = -radius; k <= radius; k++)
            {
                float w = kernel[k + radius];
                var sourceRow = horizontal.AsSpan(Math.Clamp(y + k, 0, height - 1) * stride, stride);
                for (int i = 0; i < stride; i++)
                {
                    sums[i] += w * sourceRow[i];
                }
            }

            var targetRow = output.Slice(y * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                targetRow[i] = (byte)Math.Clamp((int)(sums[i] + 0.5f), 0, 255);
            }
        }

        return target;
    }
}
