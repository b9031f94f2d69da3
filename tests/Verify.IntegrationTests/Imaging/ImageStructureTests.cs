using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Imaging;

/// <summary>
/// The API's check of an upload (<see cref="ImageDecoder.Inspect"/>): a cut-off file of every format is refused as
/// truncated without a decode, a complete one passes (trailing bytes after the image included), and a file whose
/// framing is whole but whose pixels are damaged passes the check and fails only the worker's full decode.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ImageStructureTests
{
    private const int Width = 96, Height = 64;

    private readonly ImageDecoder _decoder = new();

    public static TheoryData<string> Formats() => ["jpeg", "progressive_jpeg", "png", "webp", "webp_lossless", "heic"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_complete_image_passes_and_every_cut_of_it_is_refused_as_truncated(string format)
    {
        byte[] image = Encode(format);
        Assert.Equal(Width, _decoder.Inspect(image).Width);
        Assert.Equal(Width, _decoder.Inspect([.. image, .. new byte[300]]).Width);

        for (int cut = 20; cut < image.Length; cut += Math.Max(1, image.Length / 60))
        {
            var error = Assert.Throws<ImageDecodeException>(() => _decoder.Inspect(image.AsSpan(0, cut)));
            Assert.True(error.Error == ImageDecodeError.Truncated, $"{format} cut at {cut} of {image.Length}: {error.Error} ({error.Message})");
        }
    }

    [Fact]
    public void A_png_with_damaged_pixel_data_passes_the_check_and_fails_the_full_decode_as_corrupt()
    {
        byte[] png = DamagedPng();

        var info = _decoder.Inspect(png);
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(png));

        Assert.Equal((ImageFormat.Png, Width), (info.Format, info.Width));
        Assert.Equal(ImageDecodeError.Corrupt, error.Error);
    }

    [Fact]
    public void The_check_refuses_what_the_decoder_refuses_without_decoding_empty_unsupported_and_oversized()
    {
        Assert.Equal(ImageDecodeError.Empty, Assert.Throws<ImageDecodeException>(() => _decoder.Inspect([])).Error);
        Assert.Equal(ImageDecodeError.UnsupportedFormat, Assert.Throws<ImageDecodeException>(() => _decoder.Inspect("%PDF-1.7\n"u8)).Error);
        Assert.Equal(ImageDecodeError.TooLarge, Assert.Throws<ImageDecodeException>(() => _decoder.Inspect(ImageDecoderTests.PngWithHeaderOnly(30_000, 30_000))).Error);
        byte[] animated = AnimatedWebP();
        Assert.Equal(ImageDecodeError.UnsupportedFormat, Assert.Throws<ImageDecodeException>(() => _decoder.Inspect(animated)).Error);
        Assert.Equal(ImageDecodeError.UnsupportedFormat, Assert.Throws<ImageDecodeException>(() => _decoder.Decode(animated)).Error);
    }

    /// <summary>A one-frame animation: VP8X with the animation flag, ANIM, and an ANMF holding a still lossless frame.</summary>
    private static byte[] AnimatedWebP()
    {
        byte[] still = TestEncoders.WebP(Patterns.Gradient(Width, Height), Width, Height, lossless: true);
        byte[] frame = still[12..];
        byte[] size = [(byte)(Width - 1), (byte)((Width - 1) >> 8), 0, (byte)(Height - 1), (byte)((Height - 1) >> 8), 0];
        byte[] body =
        [
            .. "WEBP"u8, .. Chunk("VP8X", [0x02, 0, 0, 0, .. size]), .. Chunk("ANIM", [255, 255, 255, 255, 0, 0]),
            .. Chunk("ANMF", [0, 0, 0, 0, 0, 0, .. size, 100, 0, 0, 0, .. frame]),
        ];
        return [.. "RIFF"u8, .. BitConverter.GetBytes(body.Length), .. body];

        static byte[] Chunk(string type, byte[] data) =>
            [.. System.Text.Encoding.ASCII.GetBytes(type), .. BitConverter.GetBytes(data.Length), .. data, .. (data.Length % 2 == 1 ? new byte[1] : [])];
    }

    /// <summary>A PNG whose chunks are all there but whose first IDAT has a flipped byte (its CRC no longer matches).</summary>
    internal static byte[] DamagedPng()
    {
        byte[] png = TestEncoders.Png(Patterns.Gradient(Width, Height), Width, Height, format: 2);
        png[png.AsSpan().IndexOf("IDAT"u8) + 4 + 10] ^= 0x5A;
        return png;
    }

    private static byte[] Encode(string format)
    {
        byte[] rgb = Patterns.Gradient(Width, Height);
        return format switch
        {
            "jpeg" => TestEncoders.Jpeg(rgb, Width, Height, 90),
            "progressive_jpeg" => TestEncoders.Jpeg(rgb, Width, Height, 90, progressive: true),
            "png" => TestEncoders.Png(rgb, Width, Height, format: 2),
            "webp" => TestEncoders.WebP(rgb, Width, Height, lossless: false),
            "webp_lossless" => TestEncoders.WebP(rgb, Width, Height, lossless: true),
            _ => TestEncoders.Heic(rgb, Width, Height),
        };
    }
}
