using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Verify.IntegrationTests.Imaging;

/// <summary>The native decoders through our interop, on fixtures generated with the same libraries.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ImageDecoderTests(ITestOutputHelper output)
{
    private const int Width = 64;
    private const int Height = 32;

    private static readonly byte[] Upright = Patterns.Quadrants(Width, Height, Patterns.Red, Patterns.Green, Patterns.Blue, Patterns.White);

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Jpeg_baseline_and_progressive_decode_to_their_pixels(bool progressive)
    {
        var jpeg = TestEncoders.Jpeg(Upright, Width, Height, progressive: progressive);
        Assert.Equal(ImageFormat.Jpeg, ImageFormatSniffer.Sniff(jpeg));

        using var image = _decoder.Decode(jpeg);

        AssertQuadrants(image, Width, Height, Patterns.Red, Patterns.Green, Patterns.Blue, Patterns.White, tolerance: 12);
    }

    [Fact]
    public void Png_rgb_decodes_exactly()
    {
        var png = TestEncoders.Png(Upright, Width, Height, format: 2);

        using var image = _decoder.Decode(png);

        Assert.Equal(Upright, image.Pixels.ToArray());
    }

    [Fact]
    public void Png_grey_is_expanded_to_equal_channels()
    {
        var grey = Enumerable.Range(0, Width * Height).Select(i => (byte)(i % 256)).ToArray();
        var png = TestEncoders.Png(grey, Width, Height, format: 0);

        using var image = _decoder.Decode(png);

        for (int i = 0; i < grey.Length; i++)
        {
            Assert.Equal(grey[i], image.Pixels[i * 3]);
            Assert.Equal(grey[i], image.Pixels[(i * 3) + 1]);
            Assert.Equal(grey[i], image.Pixels[(i * 3) + 2]);
        }
    }

    [Fact]
    public void Png_alpha_is_composited_onto_white()
    {
        using var image = _decoder.Decode(TestEncoders.Png(HalfTransparent(), Width, Height, format: 3));

        Assert.Equal([200, 10, 10], Pixel(image, 5, 5));
        Assert.Equal([255, 255, 255], Pixel(image, Width - 5, 5));
    }

    [Fact]
    public void WebP_alpha_is_composited_onto_white_like_png()
    {
        using var image = _decoder.Decode(TestEncoders.WebPWithAlpha(HalfTransparent(), Width, Height));

        Assert.Equal([200, 10, 10], Pixel(image, 5, 5));
        Assert.Equal([255, 255, 255], Pixel(image, Width - 5, 5));
    }

    [Fact]
    public void Heic_alpha_is_composited_onto_white_like_png()
    {
        using var image = _decoder.Decode(TestEncoders.Heic(HalfTransparent(), Width, Height, channels: 4));

        AssertClose([200, 10, 10], Pixel(image, 8, 8), 24, "opaque half");
        AssertClose([255, 255, 255], Pixel(image, Width - 8, 8), 24, "transparent half");
    }

    [Fact]
    public void Png_16_bit_without_gamma_is_read_as_srgb()
    {
        // Sample v * 257 in 16 bits is v in 8 bits when the file carries no gamma information (as editors write it).
        var png = SixteenBitPng(Width, Height, (x, y) => (ushort)(((x * 4) % 256) * 257));

        using var image = _decoder.Decode(png);

        for (int x = 0; x < Width; x++)
        {
            Assert.Equal((x * 4) % 256, Pixel(image, x, 3)[0]);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WebP_lossless_and_lossy_decode(bool lossless)
    {
        var webp = TestEncoders.WebP(Upright, Width, Height, lossless);
        Assert.Equal(ImageFormat.WebP, ImageFormatSniffer.Sniff(webp));

        using var image = _decoder.Decode(webp);

        if (lossless)
        {
            Assert.Equal(Upright, image.Pixels.ToArray());
        }
        else
        {
            AssertQuadrants(image, Width, Height, Patterns.Red, Patterns.Green, Patterns.Blue, Patterns.White, tolerance: 20);
        }
    }

    [Fact]
    public void Heic_decodes()
    {
        var heic = TestEncoders.Heic(Upright, Width, Height);
        Assert.Equal(ImageFormat.Heic, ImageFormatSniffer.Sniff(heic));

        using var image = _decoder.Decode(heic);

        Assert.Equal((Width, Height), (image.Width, image.Height));
        AssertQuadrants(image, Width, Height, Patterns.Red, Patterns.Green, Patterns.Blue, Patterns.White, tolerance: 24);
    }

    /// <summary>
    /// For each orientation the stored pixels are the upright picture transformed the way a camera would
    /// store it; the quadrant colours of every stored layout are written out by hand from the EXIF definitions.
    /// </summary>
    [Theory]
    [InlineData(1, "R G B W")]
    [InlineData(2, "G R W B")]
    [InlineData(3, "W B G R")]
    [InlineData(4, "B W R G")]
    [InlineData(5, "R B G W")]
    [InlineData(6, "G W R B")]
    [InlineData(7, "W G B R")]
    [InlineData(8, "B R W G")]
    public void Every_exif_orientation_yields_upright_pixels(int orientation, string storedQuadrants)
    {
        var colours = storedQuadrants.Split(' ').Select(Colour).ToArray();
        bool swapped = orientation >= 5;
        int storedWidth = swapped ? Height : Width, storedHeight = swapped ? Width : Height;
        var stored = Patterns.Quadrants(storedWidth, storedHeight, colours[0], colours[1], colours[2], colours[3]);
        var jpeg = TestEncoders.WithJpegOrientation(TestEncoders.Jpeg(stored, storedWidth, storedHeight), orientation, littleEndian: orientation % 2 == 0);

        Assert.Equal(orientation, (int)_decoder.Identify(jpeg).Orientation);
        using var image = _decoder.Decode(jpeg);

        Assert.Equal((Width, Height), (image.Width, image.Height));
        AssertQuadrants(image, Width, Height, Patterns.Red, Patterns.Green, Patterns.Blue, Patterns.White, tolerance: 12);
    }

    [Fact]
    public void Png_exif_orientation_is_applied()
    {
        // Stored turned 90 degrees counter-clockwise; orientation 6 turns it back.
        var stored = Patterns.Quadrants(Height, Width, Patterns.Green, Patterns.White, Patterns.Red, Patterns.Blue);
        var png = TestEncoders.WithPngOrientation(TestEncoders.Png(stored, Height, Width, format: 2), 6);

        using var image = _decoder.Decode(png);

        Assert.Equal(Upright, image.Pixels.ToArray());
    }

    [Fact]
    public async Task Truncated_jpeg_is_a_typed_error()
    {
        var jpeg = TestEncoders.Jpeg(Patterns.Gradient(640, 480), 640, 480);
        var error = await DecodeFailure(jpeg[..(jpeg.Length / 2)]);
        Assert.Equal(ImageDecodeError.Truncated, error.Error);
        Assert.Equal(ImageFormat.Jpeg, error.Format);
    }

    [Fact]
    public async Task Truncated_progressive_jpeg_is_a_typed_error()
    {
        var jpeg = TestEncoders.Jpeg(Patterns.Gradient(640, 480), 640, 480, progressive: true);
        var error = await DecodeFailure(jpeg[..(jpeg.Length * 2 / 3)]);
        Assert.Equal(ImageDecodeError.Truncated, error.Error);
    }

    [Fact]
    public async Task Truncated_png_is_a_typed_error()
    {
        var png = TestEncoders.Png(Patterns.Gradient(640, 480), 640, 480, format: 2);
        var error = await DecodeFailure(png[..(png.Length / 2)]);
        Assert.Equal(ImageDecodeError.Truncated, error.Error);
    }

    [Fact]
    public async Task Truncated_webp_is_a_typed_error()
    {
        var webp = TestEncoders.WebP(Patterns.Gradient(640, 480), 640, 480, lossless: false);
        var error = await DecodeFailure(webp[..(webp.Length / 2)]);
        Assert.Equal(ImageDecodeError.Truncated, error.Error);
    }

    [Fact]
    public async Task Truncated_heic_is_a_typed_error()
    {
        var heic = TestEncoders.Heic(Patterns.Gradient(256, 256), 256, 256);
        var error = await DecodeFailure(heic[..(heic.Length / 2)]);
        Assert.Contains(error.Error, new[] { ImageDecodeError.Truncated, ImageDecodeError.Corrupt });
    }

    [Fact]
    public async Task Zero_bytes_are_a_typed_error()
    {
        var error = await DecodeFailure([]);
        Assert.Equal(ImageDecodeError.Empty, error.Error);
    }

    [Fact]
    public async Task Random_bytes_are_a_typed_error()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        random[0] = 0x42; // never a magic number by accident
        var error = await DecodeFailure(random);
        Assert.Equal(ImageDecodeError.UnsupportedFormat, error.Error);
    }

    [Fact]
    public async Task A_pdf_named_like_a_photo_is_refused_as_a_pdf()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");
        var error = await DecodeFailure(pdf);
        Assert.Equal(ImageDecodeError.UnsupportedFormat, error.Error);
        Assert.Contains("PDF", error.Message);
    }

    [Theory]
    [InlineData(100_000, 100_000)]
    [InlineData(30_000, 30_000)]
    [InlineData(20_000, 1)]
    public async Task Png_header_claiming_huge_dimensions_is_refused_before_decoding(int width, int height)
    {
        // A real header and a tiny IDAT: the bomb only has to claim its size; nothing may be allocated for it.
        var bomb = PngWithHeaderOnly(width, height);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = await DecodeFailure(bomb, sameThread: true);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains($"{width}x{height}", error.Message);
        Assert.True(allocated < 1_000_000, $"refusing the bomb allocated {allocated} bytes");
    }

    [Fact]
    public void Identify_reads_the_header_only()
    {
        var info = _decoder.Identify(PngWithHeaderOnly(100_000, 100_000));
        Assert.Equal((ImageFormat.Png, 100_000, 100_000), (info.Format, info.Width, info.Height));
    }

    /// <summary>Decodes on a worker with a hang guard; returns the typed error (any other outcome fails).</summary>
    private async Task<ImageDecodeException> DecodeFailure(byte[] data, bool sameThread = false)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        ImageDecodeException? failure = null;
        void Attempt()
        {
            try
            {
                using var image = _decoder.Decode(data);
            }
            catch (ImageDecodeException exception)
            {
                failure = exception;
            }
        }

        if (sameThread)
        {
            Attempt();
        }
        else
        {
            // Guards against a hang only; how fast it fails is measured, not asserted.
            await Task.Run(Attempt).WaitAsync(TimeSpan.FromSeconds(30));
        }

        output.WriteLine($"{failure?.Error}: {failure?.Message} ({System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms)");
        return Assert.IsType<ImageDecodeException>(failure);
    }

    internal static byte[] PngWithHeaderOnly(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB
        return [.. PngSignature, .. TestEncoders.PngChunk("IHDR", header), .. TestEncoders.PngChunk("IDAT", Zlib(new byte[64])), .. TestEncoders.PngChunk("IEND", [])];
    }

    /// <summary>A 16-bit grey-free RGB PNG without gAMA, sRGB or iCCP chunks, assembled by hand.</summary>
    private static byte[] SixteenBitPng(int width, int height, Func<int, int, ushort> sample)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 16;
        header[9] = 2;
        var raw = new byte[height * (1 + (width * 6))];
        for (int y = 0; y < height; y++)
        {
            int row = y * (1 + (width * 6));
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(row + 1 + (x * 6) + (c * 2)), sample(x, y));
                }
            }
        }

        return [.. PngSignature, .. TestEncoders.PngChunk("IHDR", header), .. TestEncoders.PngChunk("IDAT", Zlib(raw)), .. TestEncoders.PngChunk("IEND", [])];
    }

    private static byte[] Zlib(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>Left half opaque red, right half fully transparent with black underneath.</summary>
    private static byte[] HalfTransparent()
    {
        var rgba = new byte[Width * Height * 4];
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width / 2; x++)
            {
                int i = ((y * Width) + x) * 4;
                rgba[i] = 200;
                rgba[i + 1] = 10;
                rgba[i + 2] = 10;
                rgba[i + 3] = 255;
            }
        }

        return rgba;
    }

    private static byte[] Colour(string name) => name switch
    {
        "R" => Patterns.Red,
        "G" => Patterns.Green,
        "B" => Patterns.Blue,
        _ => Patterns.White,
    };

    private static byte[] Pixel(RgbImage image, int x, int y) => image.Pixels.Slice((y * image.Stride) + (x * 3), 3).ToArray();

    private static void AssertQuadrants(RgbImage image, int width, int height, byte[] topLeft, byte[] topRight, byte[] bottomLeft, byte[] bottomRight, int tolerance)
    {
        AssertClose(topLeft, Pixel(image, width / 4, height / 4), tolerance, "top-left");
        AssertClose(topRight, Pixel(image, 3 * width / 4, height / 4), tolerance, "top-right");
        AssertClose(bottomLeft, Pixel(image, width / 4, 3 * height / 4), tolerance, "bottom-left");
        AssertClose(bottomRight, Pixel(image, 3 * width / 4, 3 * height / 4), tolerance, "bottom-right");
    }

    private static void AssertClose(byte[] expected, byte[] actual, int tolerance, string where)
    {
        for (int c = 0; c < 3; c++)
        {
            Assert.True(Math.Abs(expected[c] - actual[c]) <= tolerance,
                $"{where}: expected ({string.Join(",", expected)}), got ({string.Join(",", actual)})");
        }
    }
}
