using System.Buffers;
using System.Numerics;
using Verify.Imaging;

namespace Verify.Inference.Quality;

/// <summary>
/// Signs that a document photo shows a screen or a copy rather than the document itself, for a reviewer to weigh: never
/// grounds for rejection on their own.
/// </summary>
/// <param name="PeriodicPatternScore">
/// Share, 0–1, of the fine-detail energy that sits in isolated spectral peaks: a screen's pixel grid, moiré, or a
/// halftone print. The median over nine patches across the photo, so that one periodic feature (an MRZ's run of
/// fillers, a guilloche) does not count as much as a pattern over the whole photo.
/// </param>
/// <param name="ChromaSpread">
/// 95th percentile of the chroma distance (BT.601 Cb/Cr, 8-bit units) of small blocks of the photo from its median
/// chroma: how much colour the photo holds beyond a uniform cast. A greyscale copy measures almost none.
/// </param>
public sealed record DocumentRecaptureSignals(double PeriodicPatternScore, double ChromaSpread)
{
    /// <summary>Side of the square patches whose spectra are read (smaller photos use the largest power of two that fits).</summary>
    public const int PatchSide = 128;

    private const int SmallestPatchSide = 32;

    // Periods longer than 16 patch pixels are left out: text lines, edges and lighting live there.
    private const int LowFrequencyCutDivisor = 16;

    // A peak stands this many times above every bin three bins away: lines in the spectrum (edges) never do.
    private const double PeakContrast = 4;
    private const int RingDistance = 3;

    // Floor under a patch's fine-detail energy, as a per-pixel variance in grey levels²: a flat patch scores 0.
    private const double FlatPatchVariance = 1.0;

    private const int MaxChromaSamples = 1 << 16;

    /// <summary>Measures both signals on a document photo (the whole image, background included).</summary>
    public static DocumentRecaptureSignals Measure(RgbImage document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new DocumentRecaptureSignals(PeriodicPattern(document), Chroma(document));
    }

    /// <summary>The review codes (<see cref="QualityFailures"/>) these signals raise under the options; empty when none.</summary>
    public IReadOnlyList<string> Assess(DocumentRecaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var codes = new List<string>();
        if (PeriodicPatternScore > options.MaxPeriodicPatternScore)
        {
            codes.Add(QualityFailures.DocumentScreenSuspected);
        }

        if (ChromaSpread < options.MinChromaSpread)
        {
            codes.Add(QualityFailures.DocumentPhotocopySuspected);
        }

        return codes;
    }

    private static double PeriodicPattern(RgbImage document)
    {
        int side = PatchSide;
        while (side > Math.Min(document.Width, document.Height))
        {
            side /= 2;
        }

        if (side < SmallestPatchSide)
        {
            return 0;
        }

        var window = HannWindow(side);
        var spectrum = ArrayPool<Complex>.Shared.Rent(side * side);
        var column = ArrayPool<Complex>.Shared.Rent(side);
        var power = ArrayPool<double>.Shared.Rent(side * side);
        try
        {
            Span<double> scores = stackalloc double[9];
            int count = 0;
            foreach (double fy in (ReadOnlySpan<double>)[0.25, 0.5, 0.75])
            {
                foreach (double fx in (ReadOnlySpan<double>)[0.25, 0.5, 0.75])
                {
                    int left = Math.Clamp((int)((document.Width * fx) - (side / 2)), 0, document.Width - side);
                    int top = Math.Clamp((int)((document.Height * fy) - (side / 2)), 0, document.Height - side);
                    scores[count++] = PatchScore(document, left, top, side, window, spectrum.AsSpan(0, side * side), column.AsSpan(0, side), power.AsSpan(0, side * side));
                }
            }

            scores.Sort();
            return scores[4];
        }
        finally
        {
            // The spectra hold document content: clear before the buffers go back to the shared pool.
            ArrayPool<Complex>.Shared.Return(spectrum, clearArray: true);
            ArrayPool<Complex>.Shared.Return(column, clearArray: true);
            ArrayPool<double>.Shared.Return(power, clearArray: true);
        }
    }

    /// <summary>Share of a patch's fine-detail spectral energy in isolated peaks.</summary>
    private static double PatchScore(RgbImage document, int left, int top, int side, double[] window, Span<Complex> spectrum, Span<Complex> column, Span<double> power)
    {
        ReadOnlySpan<byte> pixels = document.Pixels;
        double mean = 0;
        for (int y = 0; y < side; y++)
        {
            int row = ((top + y) * document.Stride) + (left * 3);
            for (int x = 0; x < side; x++)
            {
                int i = row + (x * 3);
                double luma = (0.299 * pixels[i]) + (0.587 * pixels[i + 1]) + (0.114 * pixels[i + 2]);
                spectrum[(y * side) + x] = luma;
                mean += luma;
            }
        }

        // Mean removed and Hann-windowed, so that neither the patch's level nor its borders leak into the spectrum.
        mean /= side * side;
        double windowEnergy = 0;
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                double w = window[x] * window[y];
                spectrum[(y * side) + x] = (spectrum[(y * side) + x].Real - mean) * w;
                windowEnergy += w * w;
            }
        }

        FourierTransform.Forward2D(spectrum, side, column);
        for (int i = 0; i < power.Length; i++)
        {
            double re = spectrum[i].Real, im = spectrum[i].Imaginary;
            power[i] = (re * re) + (im * im);
        }

        int cut = side / LowFrequencyCutDivisor;
        double band = 0, peaks = 0;
        for (int v = 0; v < side; v++)
        {
            int fv = v < side / 2 ? v : v - side;
            for (int u = 0; u < side; u++)
            {
                int fu = u < side / 2 ? u : u - side;
                if ((fu * fu) + (fv * fv) < cut * cut)
                {
                    continue;
                }

                double p = power[(v * side) + u];
                band += p;
                if (IsIsolatedPeak(power, side, u, v, p))
                {
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            peaks += power[(Wrap(v + dy, side) * side) + Wrap(u + dx, side)];
                        }
                    }
                }
            }
        }

        // Parseval: a per-pixel variance s² of the windowed patch gives spectral energy side² · windowEnergy · s².
        double floor = (double)side * side * windowEnergy * FlatPatchVariance;
        return Math.Min(1, peaks / Math.Max(band, floor));
    }

    /// <summary>
    /// A strict local maximum of its 3x3 neighbourhood (ties go to the first in scan order) standing
    /// <see cref="PeakContrast"/> times above every bin on the square ring <see cref="RingDistance"/> bins away.
    /// </summary>
    private static bool IsIsolatedPeak(ReadOnlySpan<double> power, int side, int u, int v, double p)
    {
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                if (dx == 0 && dy == 0)
                {
                    continue;
                }

                double neighbour = power[(Wrap(v + dy, side) * side) + Wrap(u + dx, side)];
                bool earlier = dy < 0 || (dy == 0 && dx < 0);
                if (earlier ? neighbour >= p : neighbour > p)
                {
                    return false;
                }
            }
        }

        double limit = p / PeakContrast;
        for (int d = -RingDistance; d <= RingDistance; d++)
        {
            if (power[(Wrap(v - RingDistance, side) * side) + Wrap(u + d, side)] > limit
                || power[(Wrap(v + RingDistance, side) * side) + Wrap(u + d, side)] > limit
                || power[(Wrap(v + d, side) * side) + Wrap(u - RingDistance, side)] > limit
                || power[(Wrap(v + d, side) * side) + Wrap(u + RingDistance, side)] > limit)
            {
                return false;
            }
        }

        return p > 0;
    }

    /// <summary>The index modulo a power-of-two side, negative indices included (two's complement).</summary>
    private static int Wrap(int index, int side) => index & (side - 1);

    private static double[] HannWindow(int side)
    {
        var window = new double[side];
        for (int i = 0; i < side; i++)
        {
            window[i] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / side));
        }

        return window;
    }

    /// <summary>
    /// 95th percentile of the chroma distance from the median chroma, over the means of square blocks (at least 2x2,
    /// and at most about 65,536 blocks): averaging keeps sensor noise, which has chroma of its own, from reading as colour.
    /// </summary>
    private static double Chroma(RgbImage document)
    {
        int factor = Math.Max(2, (int)Math.Ceiling(Math.Sqrt((double)document.Width * document.Height / MaxChromaSamples)));
        using var blocks = ImageResampler.BoxDownsample(document, factor);
        ReadOnlySpan<byte> pixels = blocks.Pixels;
        int samples = pixels.Length / 3;
        Span<int> cbHistogram = stackalloc int[256];
        Span<int> crHistogram = stackalloc int[256];
        cbHistogram.Clear();
        crHistogram.Clear();
        for (int i = 0; i < pixels.Length; i += 3)
        {
            var (cb, cr) = ChromaAt(pixels, i);
            cbHistogram[cb + 128]++;
            crHistogram[cr + 128]++;
        }

        int medianCb = Percentile(cbHistogram, samples, 0.5) - 128, medianCr = Percentile(crHistogram, samples, 0.5) - 128;
        // Distances run up to about 255 · √2; one bin per level.
        Span<int> distances = stackalloc int[364];
        distances.Clear();
        for (int i = 0; i < pixels.Length; i += 3)
        {
            var (cb, cr) = ChromaAt(pixels, i);
            int dcb = cb - medianCb, dcr = cr - medianCr;
            distances[(int)Math.Round(Math.Sqrt((dcb * dcb) + (dcr * dcr)))]++;
        }

        return Percentile(distances, samples, 0.95);
    }

    private static (int Cb, int Cr) ChromaAt(ReadOnlySpan<byte> pixels, int i)
    {
        int r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
        // BT.601 full-range chroma in fixed point (weights × 2^16), each within -128..127.
        int cb = ((-11059 * r) - (21709 * g) + (32768 * b) + 32768) >> 16;
        int cr = ((32768 * r) - (27439 * g) - (5329 * b) + 32768) >> 16;
        return (Math.Clamp(cb, -128, 127), Math.Clamp(cr, -128, 127));
    }

    /// <summary>The smallest value whose cumulative count reaches <paramref name="fraction"/> of <paramref name="total"/>.</summary>
    private static int Percentile(ReadOnlySpan<int> histogram, int total, double fraction)
    {
        long needed = Math.Max(1, (long)Math.Ceiling(total * fraction)), seen = 0;
        for (int value = 0; value < histogram.Length; value++)
        {
            seen += histogram[value];
            if (seen >= needed)
            {
                return value;
            }
        }

        return histogram.Length - 1;
    }
}
