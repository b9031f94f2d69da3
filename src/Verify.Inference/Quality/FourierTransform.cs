using System.Numerics;

namespace Verify.Inference.Quality;

/// <summary>An in-place radix-2 fast Fourier transform, one- and two-dimensional, for power-of-two sizes.</summary>
/// <remarks>None of the packages we reference offers one (System.Numerics.Tensors has no FFT). Forward only, unscaled.</remarks>
internal static class FourierTransform
{
    /// <summary>Replaces <paramref name="data"/> by its discrete Fourier transform, X[k] = Σ x[n]·e^(−2πikn/N).</summary>
    public static void Forward(Span<Complex> data)
    {
        int n = data.Length;
        if (n == 0 || (n & (n - 1)) != 0)
        {
            throw new ArgumentException($"The length must be a power of two, got {n}.", nameof(data));
        }

        // Bit-reversal permutation, then butterflies of doubling span.
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }

        for (int span = 2; span <= n; span <<= 1)
        {
            double angle = -2 * Math.PI / span;
            var step = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (int start = 0; start < n; start += span)
            {
                var twiddle = Complex.One;
                for (int k = 0; k < span / 2; k++)
                {
                    var even = data[start + k];
                    var odd = data[start + k + (span / 2)] * twiddle;
                    data[start + k] = even + odd;
                    data[start + k + (span / 2)] = even - odd;
                    twiddle *= step;
                }
            }
        }
    }

    /// <summary>
    /// Replaces a row-major <paramref name="size"/> x <paramref name="size"/> block by its 2-D transform (rows, then
    /// columns through <paramref name="column"/>, a scratch buffer of at least <paramref name="size"/> values).
    /// </summary>
    public static void Forward2D(Span<Complex> data, int size, Span<Complex> column)
    {
        if (data.Length != size * size || column.Length < size)
        {
            throw new ArgumentException($"Expected {size * size} values and a scratch column of {size}.", nameof(data));
        }

        for (int row = 0; row < size; row++)
        {
            Forward(data.Slice(row * size, size));
        }

        var scratch = column[..size];
        for (int x = 0; x < size; x++)
        {
            for (int y = 0; y < size; y++)
            {
                scratch[y] = data[(y * size) + x];
            }

            Forward(scratch);
            for (int y = 0; y < size; y++)
            {
                data[(y * size) + x] = scratch[y];
            }
        }
    }
}
