using Verify.Imaging;
using Verify.Imaging.Exif;
using Verify.Imaging.Text;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Imaging;

/// <summary>The library's JPEG and PNG encoders and its EXIF writer, round-tripped through the decoder.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ImageEncoderTests
{
    private const int Width = 48;
    private const int Height = 30;

    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void Png_round_trip_is_lossless()
    {
        using var image = RgbImage.FromPixels(Width, Height, Patterns.Gradient(Width, Height));

        using var decoded = _decoder.Decode(ImageEncoder.EncodePng(image));

        Assert.True(image.Pixels.SequenceEqual(decoded.Pixels));
    }

    [Theory]
    [InlineData(95, 3)]
    [InlineData(60, 12)]
    public void Jpeg_round_trip_stays_close_to_the_pixels(int quality, int tolerance)
    {
        using var image = RgbImage.FromPixels(Width, Height, Patterns.Gradient(Width, Height));

        var jpeg = ImageEncoder.EncodeJpeg(image, quality);
        using var decoded = _decoder.Decode(jpeg);

        Assert.Equal(ImageFormat.Jpeg, ImageFormatSniffer.Sniff(jpeg));
        Assert.Equal((Width, Height), (decoded.Width, decoded.Height));
        double meanError = 0;
        for (int i = 0; i < image.Length; i++)
        {
            meanError += Math.Abs(image.Pixels[i] - decoded.Pixels[i]);
        }

        Assert.InRange(meanError / image.Length, 0, tolerance);
    }

    [Theory]
    [InlineData(ExifOrientation.Rotate90Clockwise)]
    [InlineData(ExifOrientation.Rotate90CounterClockwise)]
    [InlineData(ExifOrientation.Rotate180)]
    public void Jpeg_with_an_orientation_tag_decodes_upright(ExifOrientation orientation)
    {
        // Store the upright quadrants turned the opposite way, then let the decoder turn them back.
        using var upright = RgbImage.FromPixels(Width, Height,
            Patterns.Quadrants(Width, Height, Patterns.Red, Patterns.Green, Patterns.Blue, Patterns.White));
        var inverse = orientation switch
        {
            ExifOrientation.Rotate90Clockwise => ExifOrientation.Rotate90CounterClockwise,
            ExifOrientation.Rotate90CounterClockwise => ExifOrientation.Rotate90Clockwise,
            _ => orientation,
        };
        using var stored = ExifOrientationTransform.Apply(upright, inverse);

        var jpeg = ImageEncoder.EncodeJpeg(stored, 95, orientation);
        var info = _decoder.Identify(jpeg);
        using var decoded = _decoder.Decode(jpeg);

        Assert.Equal(orientation, info.Orientation);
        Assert.Equal((Width, Height), (decoded.Width, decoded.Height));
        Assert.InRange(decoded.Pixels[(((Height / 4) * Width) + (Width / 4)) * 3], 200, 255);
        Assert.InRange(decoded.Pixels[(((Height / 4) * Width) + (3 * Width / 4)) * 3], 0, 60);
    }

    [Fact]
    public void FreeType_draws_text_in_the_colour_asked_for()
    {
        using var font = FontFace.Load("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        using var image = RgbImage.Allocate(200, 60);
        image.Pixels.Fill(255);

        double width = font.DrawText(image, "HELLO", 10, 45, 40, new RgbColor(200, 0, 0));

        Assert.Equal(font.MeasureText("HELLO", 40), width, 3);
        Assert.InRange(font.CapHeight(40), 26, 32);
        int red = 0;
        for (int i = 0; i < image.Length; i += 3)
        {
            red += image.Pixels[i] >= 190 && image.Pixels[i + 1] < 60 ? 1 : 0;
        }

        Assert.True(red > 200, $"expected many red pixels, got {red}");
    }
}
