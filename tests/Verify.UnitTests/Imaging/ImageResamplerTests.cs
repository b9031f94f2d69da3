using Verify.Imaging;

namespace Verify.UnitTests.Imaging;

public sealed class ImageResamplerTests
{
    [Fact]
    public void A_flat_image_stays_flat_when_enlarged_or_reduced()
    {
        using var flat = Flat(90, 60, 77);
        using var larger = ImageResampler.Resize(flat, 200, 130);
        using var smaller = ImageResampler.Resize(flat, 13, 7);

        Assert.All(larger.Pixels.ToArray(), value => Assert.Equal(77, value));
        Assert.All(smaller.Pixels.ToArray(), value => Assert.Equal(77, value));
    }

    [Theory]
    [InlineData(2000, 1500, 640, 640, 480)]
    [InlineData(1500, 2000, 640, 480, 640)]
    [InlineData(3000, 7, 640, 640, 1)]
    public void Reducing_to_a_long_side_keeps_the_proportions(int width, int height, int side, int expectedWidth, int expectedHeight)
    {
        using var image = Flat(width, height, 10);

        using var reduced = ImageResampler.ReduceToLongSide(image, side);

        Assert.NotNull(reduced);
        Assert.Equal((expectedWidth, expectedHeight), (reduced.Width, reduced.Height));
    }

    [Fact]
    public void An_image_within_the_long_side_is_not_reduced()
    {
        using var image = Flat(640, 300, 10);

        Assert.Null(ImageResampler.ReduceToLongSide(image, 640));
    }

    [Fact]
    public void Box_downsampling_averages_each_block()
    {
        // 4x2 grey image: 0 10 | 20 30 / 40 50 | 60 70 -> 2x1 with means 25 and 45.
        byte[] grey = [0, 10, 20, 30, 40, 50, 60, 70];
        using var image = RgbImage.FromPixels(4, 2, grey.SelectMany(v => new[] { v, v, v }).ToArray());

        using var reduced = ImageResampler.BoxDownsample(image, 2);

        Assert.Equal((2, 1), (reduced.Width, reduced.Height));
        Assert.Equal([25, 25, 25, 45, 45, 45], reduced.Pixels.ToArray());
    }

    [Fact]
    public void An_identity_warp_copies_and_the_outside_is_black()
    {
        using var image = Flat(8, 8, 200);

        using var same = ImageResampler.WarpAffine(image, Affine2D.Identity, 8, 8);
        using var shifted = ImageResampler.WarpAffine(image, new Affine2D(1, 0, 0, 1, 4, 0), 8, 8);

        Assert.Equal(image.Pixels.ToArray(), same.Pixels.ToArray());
        Assert.Equal(200, shifted.Pixels[0]);
        Assert.Equal(0, shifted.Pixels[7 * 3]);
    }

    [Theory]
    [InlineData(3000, 640)]   // reduced by blocks of 4 first
    [InlineData(1000, 640)]   // bilinear only
    [InlineData(150, 640)]    // enlarged
    public void Resizing_keeps_every_pixel_where_it_was(int sourceWidth, int targetWidth)
    {
        // A horizontal ramp: the value says where a pixel came from.
        var ramp = new byte[sourceWidth * 4 * 3];
        for (int x = 0; x < sourceWidth; x++)
        {
            byte value = (byte)(x * 255 / (sourceWidth - 1));
            for (int y = 0; y < 4; y++)
            {
                ramp.AsSpan(((y * sourceWidth) + x) * 3, 3).Fill(value);
            }
        }

        using var image = RgbImage.FromPixels(sourceWidth, 4, ramp);
        using var resized = ImageResampler.Resize(image, targetWidth, 2);

        for (int x = 2; x < targetWidth - 2; x++)
        {
            double sourceX = ((x + 0.5) * sourceWidth / targetWidth) - 0.5;
            Assert.InRange(resized.Pixels[x * 3], (sourceX * 255 / (sourceWidth - 1)) - 1.5, (sourceX * 255 / (sourceWidth - 1)) + 1.5);
        }
    }

    [Fact]
    public void Box_downsampling_keeps_the_partial_blocks_at_the_edges()
    {
        using var image = Flat(10, 7, 90);
        using var reduced = ImageResampler.BoxDownsample(image, 4);
        Assert.Equal((3, 2), (reduced.Width, reduced.Height));
        Assert.All(reduced.Pixels.ToArray(), value => Assert.Equal(90, value));
    }

    [Fact]
    public void Crop_is_clipped_to_the_image()
    {
        using var image = Flat(10, 10, 5);
        using var crop = image.Crop(-5, 8, 20, 20);
        Assert.Equal((10, 2), (crop.Width, crop.Height));
    }

    private static RgbImage Flat(int width, int height, byte value)
    {
        var image = RgbImage.Allocate(width, height);
        image.Pixels.Fill(value);
        return image;
    }
}
