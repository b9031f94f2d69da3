using Verify.Imaging;

namespace Verify.UnitTests.Imaging;

public sealed class GaussianBlurTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.8)]
    [InlineData(2.0)]
    [InlineData(5.5)]
    public void Kernel_sums_to_one_and_is_symmetric(double sigma)
    {
        var kernel = GaussianBlur.Kernel(sigma);

        Assert.Equal(1.0, kernel.Sum(), 5);
        Assert.Equal(1, kernel.Length % 2);
        for (int i = 0; i < kernel.Length / 2; i++)
        {
            Assert.Equal(kernel[i], kernel[^(i + 1)]);
        }
    }

    [Fact]
    public void Kernel_reaches_three_sigma() => Assert.Equal((2 * 6) + 1, GaussianBlur.Kernel(2.0).Length);

    [Fact]
    public void Blurring_a_flat_image_leaves_it_flat()
    {
        using var flat = RgbImage.Allocate(20, 10);
        flat.Pixels.Fill(137);

        using var blurred = GaussianBlur.Apply(flat, 1.7);

        Assert.All(blurred.Pixels.ToArray(), value => Assert.Equal(137, value));
    }

    [Fact]
    public void Blurring_spreads_a_bright_point_and_keeps_its_energy()
    {
        using var dark = RgbImage.Allocate(21, 21);
        dark.Pixels.Clear();
        dark.Pixels[((10 * 21) + 10) * 3] = 255;

        using var blurred = GaussianBlur.Apply(dark, 1.0);

        int red = 0;
        for (int i = 0; i < blurred.Length; i += 3)
        {
            red += blurred.Pixels[i];
        }

        Assert.InRange(blurred.Pixels[((10 * 21) + 10) * 3], 30, 50);
        Assert.InRange(red, 245, 265);
    }
}
