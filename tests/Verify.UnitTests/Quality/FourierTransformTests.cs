using System.Numerics;
using Verify.Inference.Quality;

namespace Verify.UnitTests.Quality;

public sealed class FourierTransformTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(64)]
    public void The_fast_transform_equals_the_direct_sum(int length)
    {
        var random = new Random(length);
        var signal = Enumerable.Range(0, length).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
        var fast = signal.ToArray();

        FourierTransform.Forward(fast);

        for (int k = 0; k < length; k++)
        {
            var direct = Complex.Zero;
            for (int n = 0; n < length; n++)
            {
                direct += signal[n] * Complex.Exp(new Complex(0, -2 * Math.PI * k * n / length));
            }

            Assert.Equal(direct.Real, fast[k].Real, 9);
            Assert.Equal(direct.Imaginary, fast[k].Imaginary, 9);
        }
    }

    [Fact]
    public void A_plane_wave_has_its_energy_at_its_two_frequencies()
    {
        const int size = 32;
        var data = new Complex[size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                data[(y * size) + x] = Math.Cos(2 * Math.PI * ((5.0 * x) + (3.0 * y)) / size);
            }
        }

        FourierTransform.Forward2D(data, size, new Complex[size]);

        // cos splits evenly between (5, 3) and (-5, -3): N²/2 each, nothing elsewhere.
        Assert.Equal(size * size / 2.0, data[(3 * size) + 5].Magnitude, 6);
        Assert.Equal(size * size / 2.0, data[((size - 3) * size) + (size - 5)].Magnitude, 6);
        Assert.Equal(size * size, data.Sum(value => value.Magnitude), 6);
    }

    [Fact]
    public void Lengths_that_are_not_powers_of_two_are_refused() =>
        Assert.Throws<ArgumentException>(() => FourierTransform.Forward(new Complex[12]));
}
