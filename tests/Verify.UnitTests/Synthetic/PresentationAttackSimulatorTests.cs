using System.Numerics;
using Verify.Imaging;
using Verify.Synthetic.Attacks;

namespace Verify.UnitTests.Synthetic;

public sealed class PresentationAttackSimulatorTests
{
    private const int Seed = 20240611;

    public static TheoryData<PresentationAttackType> AttackTypes => [.. PresentationAttackSimulator.All];

    [Theory]
    [MemberData(nameof(AttackTypes))]
    public void The_same_seed_and_index_give_the_same_bytes(PresentationAttackType type)
    {
        using var photo = TiledPhotograph(150, 150);
        using var simulator = new PresentationAttackSimulator();

        using var first = simulator.Simulate(photo, type, PresentationAttackSimulator.RandomFor(Seed, 3, type));
        using var second = simulator.Simulate(photo, type, PresentationAttackSimulator.RandomFor(Seed, 3, type));

        Assert.Equal(first.Pixels.ToArray(), second.Pixels.ToArray());
    }

    [Fact]
    public void The_same_seed_and_index_give_the_same_bona_fide_capture()
    {
        using var photo = TiledPhotograph(150, 150);

        using var first = PresentationAttackSimulator.CaptureBonaFide(photo, PresentationAttackSimulator.RandomFor(Seed, 3, null));
        using var second = PresentationAttackSimulator.CaptureBonaFide(photo, PresentationAttackSimulator.RandomFor(Seed, 3, null));

        Assert.Equal(first.Pixels.ToArray(), second.Pixels.ToArray());
    }

    [Theory]
    [MemberData(nameof(AttackTypes))]
    public void Each_image_of_a_run_draws_its_own_parameters(PresentationAttackType type)
    {
        using var photo = TiledPhotograph(150, 150);
        using var simulator = new PresentationAttackSimulator();

        using var first = simulator.Simulate(photo, type, PresentationAttackSimulator.RandomFor(Seed, 0, type));
        using var second = simulator.Simulate(photo, type, PresentationAttackSimulator.RandomFor(Seed, 1, type));

        Assert.True(MeanAbsoluteDifference(first, second) > 5, $"{type.ToName()}: images 0 and 1 look alike");
    }

    [Fact]
    public void Different_attack_types_give_different_images()
    {
        using var photo = TiledPhotograph(150, 150);
        using var simulator = new PresentationAttackSimulator();
        var images = PresentationAttackSimulator.All
            .Select(type => simulator.Simulate(photo, type, PresentationAttackSimulator.RandomFor(Seed, 0, type)))
            .Append(PresentationAttackSimulator.CaptureBonaFide(photo, PresentationAttackSimulator.RandomFor(Seed, 0, null)))
            .ToList();
        try
        {
            for (int i = 0; i < images.Count; i++)
            {
                for (int j = i + 1; j < images.Count; j++)
                {
                    Assert.True(MeanAbsoluteDifference(images[i], images[j]) > 8, $"images {i} and {j} look alike");
                }
            }
        }
        finally
        {
            images.ForEach(image => image.Dispose());
        }
    }

    [Theory]
    [InlineData(150, 150)]
    [InlineData(250, 250)]
    [InlineData(120, 160)]
    [InlineData(200, 90)]
    public void Every_output_has_the_size_of_its_input(int width, int height)
    {
        using var photo = TiledPhotograph(width, height);
        using var simulator = new PresentationAttackSimulator();

        using var bonaFide = PresentationAttackSimulator.CaptureBonaFide(photo, new Random(1));
        Assert.Equal((width, height), (bonaFide.Width, bonaFide.Height));
        foreach (var type in PresentationAttackSimulator.All)
        {
            using var attack = simulator.Simulate(photo, type, new Random(1));
            Assert.Equal((width, height), (attack.Width, attack.Height));
        }
    }

    [Fact]
    public void The_input_photograph_is_left_unchanged()
    {
        using var photo = TiledPhotograph(150, 150);
        byte[] before = photo.Pixels.ToArray();
        using var simulator = new PresentationAttackSimulator();

        foreach (var type in PresentationAttackSimulator.All)
        {
            simulator.Simulate(photo, type, new Random(7)).Dispose();
        }

        PresentationAttackSimulator.CaptureBonaFide(photo, new Random(7)).Dispose();
        Assert.Equal(before, photo.Pixels.ToArray());
    }

    [Fact]
    public void Attack_types_have_stable_snake_case_names()
    {
        Assert.Equal(["print", "screen_replay", "id_portrait"], PresentationAttackSimulator.All.Select(type => type.ToName()));
        foreach (var type in PresentationAttackSimulator.All)
        {
            Assert.True(PresentationAttackTypeNames.TryParse(type.ToName(), out var parsed));
            Assert.Equal(type, parsed);
        }

        Assert.False(PresentationAttackTypeNames.TryParse("ScreenReplay", out _));
        Assert.False(PresentationAttackTypeNames.TryParse(null, out _));
    }

    [Fact]
    public void Random_streams_differ_by_seed_index_and_type()
    {
        int[] draws =
        [
            PresentationAttackSimulator.RandomFor(1, 0, null).Next(),
            PresentationAttackSimulator.RandomFor(2, 0, null).Next(),
            PresentationAttackSimulator.RandomFor(1, 1, null).Next(),
            PresentationAttackSimulator.RandomFor(1, 0, PresentationAttackType.Print).Next(),
            PresentationAttackSimulator.RandomFor(1, 0, PresentationAttackType.ScreenReplay).Next(),
            PresentationAttackSimulator.RandomFor(1, 0, PresentationAttackType.IdPortrait).Next(),
        ];

        Assert.Equal(draws.Length, draws.Distinct().Count());
        Assert.Equal(draws[0], PresentationAttackSimulator.RandomFor(1, 0, null).Next());
    }

    [Fact]
    public void A_photograph_too_small_to_hold_an_attack_is_refused()
    {
        using var tiny = TiledPhotograph(20, 40);
        using var simulator = new PresentationAttackSimulator();

        Assert.Throws<ArgumentException>(() => simulator.Simulate(tiny, PresentationAttackType.Print, new Random(1)));
        Assert.Throws<ArgumentException>(() => PresentationAttackSimulator.CaptureBonaFide(tiny, new Random(1)));
    }

    /// <summary>20-pixel tiles of near-black, saturated red, saturated blue and skin, every 2x2 block of tiles holding all four.</summary>
    private static RgbImage TiledPhotograph(int width, int height)
    {
        RgbColor[] colours = [new(8, 8, 10), new(215, 25, 35), new(30, 45, 200), new(215, 165, 135)];
        var image = RgbImage.Allocate(width, height);
        var pixels = image.Pixels;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var colour = colours[((x / 20) + (2 * (y / 20))) % 4];
                int o = (y * image.Stride) + (x * 3);
                (pixels[o], pixels[o + 1], pixels[o + 2]) = (colour.R, colour.G, colour.B);
            }
        }

        return image;
    }

    /// <summary>A flat warm grey: nothing periodic of its own (an 8-bit gradient would be a staircase).</summary>
    private static RgbImage FlatPhotograph(int width, int height)
    {
        var image = RgbImage.Allocate(width, height);
        var pixels = image.Pixels;
        for (int i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (142, 128, 118);
        }

        return image;
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b)
    {
        ReadOnlySpan<byte> left = a.Pixels, right = b.Pixels;
        long sum = 0;
        for (int i = 0; i < left.Length; i++)
        {
            sum += Math.Abs(left[i] - right[i]);
        }

        return (double)sum / left.Length;
    }

    /// <summary>Per-pixel values over the central <paramref name="share"/> of the image's width and height.</summary>
    private static List<double> Central(RgbImage image, double share, Func<byte, byte, byte, double> measure)
    {
        int width = (int)(image.Width * share), height = (int)(image.Height * share);
        int left = (image.Width - width) / 2, top = (image.Height - height) / 2;
        var pixels = image.Pixels;
        var values = new List<double>(width * height);
        for (int y = top; y < top + height; y++)
        {
            for (int x = left; x < left + width; x++)
            {
                int o = (y * image.Stride) + (x * 3);
                values.Add(measure(pixels[o], pixels[o + 1], pixels[o + 2]));
            }
        }

        return values;
    }

    private static List<double> Luma(RgbImage image, double share) =>
        Central(image, share, (r, g, b) => (0.299 * r) + (0.587 * g) + (0.114 * b));

    private static List<double> Saturation(RgbImage image, double share) =>
        Central(image, share, (r, g, b) => Math.Max(r, Math.Max(g, b)) is var max and > 0 ? (max - Math.Min(r, Math.Min(g, b))) / (double)max : 0);

    private static double Percentile(List<double> values, double fraction)
    {
        values.Sort();
        return values[(int)(fraction * (values.Count - 1))];
    }

    /// <summary>
    /// The strongest spatial frequency of the central 80x80 pixels' luma, minus its local mean (a blur of sigma 6), over
    /// the median magnitude of the frequencies of about its radius, for 3 to 20 cycles across the window and off the
    /// axes. Camera noise gives 2.5-6, a periodic pattern far more.
    /// </summary>
    private static double SpectralPeak(RgbImage image)
    {
        const int N = 80;
        using var smooth = GaussianBlur.Apply(image, 6);
        var detail = new Complex[N, N];
        int left = (image.Width - N) / 2, top = (image.Height - N) / 2;
        for (int y = 0; y < N; y++)
        {
            for (int x = 0; x < N; x++)
            {
                int o = ((top + y) * image.Stride) + ((left + x) * 3);
                double luma = (0.299 * image.Pixels[o]) + (0.587 * image.Pixels[o + 1]) + (0.114 * image.Pixels[o + 2]);
                double local = (0.299 * smooth.Pixels[o]) + (0.587 * smooth.Pixels[o + 1]) + (0.114 * smooth.Pixels[o + 2]);
                double hann = Math.Sin(Math.PI * (x + 0.5) / N) * Math.Sin(Math.PI * (y + 0.5) / N);
                detail[y, x] = (luma - local) * hann * hann;
            }
        }

        var spectrum = Dft(Dft(detail, rows: true), rows: false);
        // Moire beats lie at 3-20 cycles across the window. Blur and JPEG shape even plain noise, so each frequency is
        // compared only with the others in its ring (2 cycles wide, 16 frequencies or more, for a steady median); the
        // axes are left out, where JPEG's block edges put energy.
        var rings = new Dictionary<int, List<double>>();
        for (int ky = 0; ky < N / 2; ky++)
        {
            for (int kx = 0; kx < N; kx++)
            {
                int fx = kx <= N / 2 ? kx : kx - N;
                double radius = Math.Sqrt((fx * fx) + (ky * ky));
                bool onAxis = Math.Abs(fx) <= 2 || ky <= 2;
                if (radius >= 3 && radius < N / 4 && !onAxis)
                {
                    int ring = (int)(radius / 2);
                    rings.TryAdd(ring, []);
                    rings[ring].Add(spectrum[ky, kx].Magnitude);
                }
            }
        }

        return rings.Values.Where(ring => ring.Count >= 16).Max(ring => ring.Max() / Percentile(ring, 0.5));
    }

    /// <summary>A plain discrete Fourier transform of every row (or every column).</summary>
    private static Complex[,] Dft(Complex[,] input, bool rows)
    {
        int n = input.GetLength(0);
        var output = new Complex[n, n];
        for (int line = 0; line < n; line++)
        {
            for (int k = 0; k < n; k++)
            {
                var sum = Complex.Zero;
                for (int i = 0; i < n; i++)
                {
                    var value = rows ? input[line, i] : input[i, line];
                    sum += value * Complex.FromPolarCoordinates(1, -2 * Math.PI * k * i / n);
                }

                if (rows)
                {
                    output[line, k] = sum;
                }
                else
                {
                    output[k, line] = sum;
                }
            }
        }

        return output;
    }
}
