using Verify.Imaging;
using Verify.Synthetic;

namespace Verify.UnitTests.Synthetic;

public sealed class SelfieFramingTests
{
    [Fact]
    public void A_photo_is_cut_to_its_centre_and_enlarged_to_the_long_side()
    {
        using var photo = Gradient(250, 250);

        using var selfie = SelfieFraming.Prepare(photo, share: 0.68, side: 640);

        Assert.Equal(640, selfie.Width);
        Assert.Equal(640, selfie.Height);
    }

    [Fact]
    public void The_cut_keeps_the_centre_and_drops_the_edges()
    {
        using var photo = Gradient(200, 100);

        using var framed = SelfieFraming.Prepare(photo, share: 0.5, side: 0);

        Assert.Equal(100, framed.Width);
        Assert.Equal(50, framed.Height);
        // The gradient's red channel is the column: the cut starts a quarter of the way in.
        Assert.Equal(50, framed.Pixels[0]);
        Assert.Equal(149, framed.Pixels[(framed.Width - 1) * 3]);
    }

    [Fact]
    public void A_share_of_one_keeps_the_whole_photo()
    {
        using var photo = Gradient(120, 80);

        using var whole = SelfieFraming.Prepare(photo, share: 1, side: 0);

        Assert.Equal(photo.Pixels.ToArray(), whole.Pixels.ToArray());
    }

    private static RgbImage Gradient(int width, int height)
    {
        var image = RgbImage.Allocate(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = (y * image.Stride) + (x * 3);
                image.Pixels[o] = (byte)x;
                image.Pixels[o + 1] = (byte)y;
                image.Pixels[o + 2] = 128;
            }
        }

        return image;
    }
}
