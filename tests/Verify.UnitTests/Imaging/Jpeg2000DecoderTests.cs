using System.Buffers.Binary;
using Verify.Imaging;
using Verify.Imaging.Codecs;

namespace Verify.UnitTests.Imaging;

/// <summary>
/// JPEG 2000 through openjpeg (Debian's libopenjp2-7), as chip portraits arrive: round trips through our encoder,
/// the colour and precision variants, refusal by default, header bombs refused before openjpeg runs, and typed errors
/// for cut and damaged files.
/// </summary>
public sealed class Jpeg2000DecoderTests
{
    private const int Width = 61;
    private const int Height = 47;

    private static readonly ImageDecoder Decoder = new(new ImageDecoderOptions { AllowJpeg2000 = true });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lossless_rgb_round_trips_exactly_as_jp2_and_as_a_raw_codestream(bool jp2)
    {
        using var source = Picture(Width, Height, seed: 1);
        var encoded = Jpeg2000Encoder.Encode(source, compressionRatio: 1, jp2Container: jp2);

        using var decoded = Decoder.Decode(encoded);

        Assert.Equal(ImageFormat.Jpeg2000, ImageFormatSniffer.Sniff(encoded));
        Assert.Equal(jp2, encoded.AsSpan().StartsWith(new byte[] { 0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20 }));
        Assert.Equal(source.Pixels.ToArray(), decoded.Pixels.ToArray());
        using var followed = Decoder.Decode([.. encoded, .. new byte[100]]);
        Assert.Equal(source.Pixels.ToArray(), followed.Pixels.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lossy_rgb_at_20_to_1_decodes_close_to_the_source(bool jp2)
    {
        using var source = Picture(160, 120, seed: 2);
        var encoded = Jpeg2000Encoder.Encode(source, jp2Container: jp2);

        using var decoded = Decoder.Decode(encoded);

        Assert.True(encoded.Length < source.Length / 10, $"{encoded.Length} bytes for {source.Length} of pixels");
        Assert.Equal((160, 120), (decoded.Width, decoded.Height));
        Assert.InRange(MeanAbsoluteError(source.Pixels, decoded.Pixels), 0.01, 4.0);
        Assert.Equal(160, Decoder.Inspect(encoded).Width);
    }

    [Fact]
    public void Grey_is_copied_to_the_three_channels()
    {
        var grey = Samples(Width, Height, (x, y) => (x * 3) + y);
        var encoded = Jpeg2000Encoder.Encode([new Jpeg2000Plane(grey, Width, Height)], Width, Height, OpenJpegNative.ColorSpaceGray, 1, jp2Container: true);

        using var decoded = Decoder.Decode(encoded);

        for (int i = 0; i < grey.Length; i++)
        {
            Assert.Equal([(byte)grey[i], (byte)grey[i], (byte)grey[i]], decoded.Pixels.Slice(i * 3, 3).ToArray());
        }
    }

    [Theory]
    [InlineData(12, false)]
    [InlineData(12, true)]
    [InlineData(4, false)]
    [InlineData(16, true)]
    public void Other_precisions_and_signed_samples_are_scaled_to_8_bits(int precision, bool signed)
    {
        long range = (1L << precision) - 1;
        var unsigned = Samples(Width, Height, (x, y) => (int)(((x * Height) + y) * range / ((Width * Height) - 1)));
        int offset = signed ? 1 << (precision - 1) : 0;
        var stored = unsigned.Select(v => v - offset).ToArray();
        var encoded = Jpeg2000Encoder.Encode([new Jpeg2000Plane(stored, Width, Height, precision, signed)], Width, Height,
            OpenJpegNative.ColorSpaceGray, 1, jp2Container: false);

        using var decoded = Decoder.Decode(encoded);

        for (int i = 0; i < unsigned.Length; i++)
        {
            Assert.Equal((byte)Math.Round(unsigned[i] * 255.0 / range, MidpointRounding.AwayFromZero), decoded.Pixels[i * 3]);
        }
    }

    [Theory]
    [InlineData("sYCC", true)]
    [InlineData("e-sYCC", true)]
    [InlineData("unstated", false)]
    public void Ycc_with_half_resolution_chroma_is_upsampled_and_converted_to_rgb(string colorSpace, bool jp2)
    {
        // Flat colour blocks of 8x8, so that chroma at half resolution loses nothing but the odd edge.
        using var source = Blocks(64, 48);
        var (luma, blue, red) = ToYcc(source);
        int halfWidth = 32, halfHeight = 24;
        var encoded = Jpeg2000Encoder.Encode(
            [new Jpeg2000Plane(luma, 64, 48), new Jpeg2000Plane(Half(blue, 64, 48), halfWidth, halfHeight, Dx: 2, Dy: 2),
                new Jpeg2000Plane(Half(red, 64, 48), halfWidth, halfHeight, Dx: 2, Dy: 2)],
            64, 48, jp2 ? OpenJpegNative.ColorSpaceSycc : OpenJpegNative.ColorSpaceUnspecified, 1, jp2);
        if (colorSpace == "e-sYCC")
        {
            // openjpeg's JP2 writer states sYCC (enumerated colour space 18) but not e-sYCC (24): the colour box is patched.
            int colr = encoded.AsSpan().IndexOf("colr"u8);
            Assert.Equal(18u, BinaryPrimitives.ReadUInt32BigEndian(encoded.AsSpan(colr + 7)));
            BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(colr + 7), 24);
        }

        using var decoded = Decoder.Decode(encoded);

        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        Assert.True(MaxAbsoluteError(source.Pixels, decoded.Pixels) <= 3, $"max error {MaxAbsoluteError(source.Pixels, decoded.Pixels)}");
    }

    [Fact]
    public void An_image_in_many_tiles_decodes_exactly()
    {
        using var source = Picture(100, 80, seed: 3);
        var planes = Enumerable.Range(0, 3).Select(c => new Jpeg2000Plane(Samples(100, 80, (x, y) => source.Pixels[(((y * 100) + x) * 3) + c]), 100, 80)).ToArray();
        var encoded = Jpeg2000Encoder.Encode(planes, 100, 80, OpenJpegNative.ColorSpaceSrgb, 1, jp2Container: false, tileSize: 32);

        using var decoded = Decoder.Decode(encoded);

        Assert.Equal(source.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Jpeg_2000_is_refused_like_any_unsupported_format_by_default(bool jp2)
    {
        using var source = Picture(Width, Height, seed: 4);
        var encoded = Jpeg2000Encoder.Encode(source, jp2Container: jp2);
        var byDefault = new ImageDecoder();

        foreach (var refused in new Action[] { () => byDefault.Decode(encoded), () => byDefault.Inspect(encoded), () => byDefault.Inspect(encoded.AsSpan(0, 30)) })
        {
            var error = Assert.Throws<ImageDecodeException>(refused);
            Assert.Equal((ImageDecodeError.UnsupportedFormat, ImageFormat.Unknown), (error.Error, error.Format));
            Assert.Contains($"({ImageDecoder.SupportedFormats})", error.Message);
        }

        Assert.Equal(ImageDecoder.SupportedFormats, byDefault.AcceptedFormats);
        Assert.Contains("JPEG 2000", Decoder.AcceptedFormats);
    }

    [Fact]
    public void A_codestream_whose_siz_states_30000_by_30000_and_nothing_else_is_too_large()
    {
        var bomb = Codestream(30_000, 30_000, tileSize: 30_000);

        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(bomb));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("30000x30000", error.Message);
        // The upload-style check walks the framing first, and a main header with no tile-part is cut short.
        Assert.Equal(ImageDecodeError.Truncated, Assert.Throws<ImageDecodeException>(() => Decoder.Inspect(bomb)).Error);
    }

    [Fact]
    public void A_jp2_whose_image_header_states_30000_by_30000_is_too_large()
    {
        // Signature, file type, and a header box holding only 'ihdr': no codestream at all.
        byte[] ihdr = [.. BigEndian(30_000), .. BigEndian(30_000), 0, 3, 7, 7, 0, 0];
        byte[] jp2 = [.. Signature, .. Box("ftyp", [.. "jp2 "u8, 0, 0, 0, 0, .. "jp2 "u8]), .. Box("jp2h", Box("ihdr", ihdr))];

        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(jp2));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("30000x30000", error.Message);
    }

    [Fact]
    public void A_real_file_whose_siz_is_rewritten_to_30000_by_30000_is_too_large_for_the_check_and_the_decode()
    {
        using var source = Picture(Width, Height, seed: 5);
        var bomb = Jpeg2000Encoder.Encode(source, jp2Container: false);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(8), 30_000);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(12), 30_000);

        Assert.Equal(ImageDecodeError.TooLarge, Assert.Throws<ImageDecodeException>(() => Decoder.Inspect(bomb)).Error);
        Assert.Equal(ImageDecodeError.TooLarge, Assert.Throws<ImageDecodeException>(() => Decoder.Decode(bomb)).Error);
    }

    [Fact]
    public void A_small_image_declaring_a_tile_per_pixel_is_refused_before_openjpeg_sets_them_up()
    {
        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(Codestream(200, 200, tileSize: 1)));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("40000 tiles", error.Message);
    }

    [Fact]
    public void A_main_header_declaring_65535_quality_layers_and_tiny_precincts_is_refused()
    {
        // COD: precincts defined, LRCP, 65535 layers, no MCT, 5 levels, 64x64 code-blocks, 5/3, precincts of 2x2.
        byte[] cod = [0xFF, 0x52, 0, 18, 1, 0, 0xFF, 0xFF, 0, 5, 4, 4, 0, 1, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11];
        byte[] codestream = [.. Codestream(500, 500, tileSize: 500), .. cod];

        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(codestream));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("65535 quality layers", error.Message);
    }

    [Fact]
    public void Each_progression_of_a_main_header_poc_counts_its_packets_again()
    {
        // COD: precincts defined, LRCP, 10 layers, 5 levels, 64x64 code-blocks, 5/3, precincts of 2x2: about 840,000 packets.
        byte[] cod = [0xFF, 0x52, 0, 18, 1, 0, 0, 10, 0, 5, 4, 4, 0, 1, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11];
        // POC: five progressions over everything (resolutions 0-6, component 0-1, layers to 10, LRCP), six with the default.
        byte[] poc = [0xFF, 0x5F, 0, 37, .. Enumerable.Repeat<byte[]>([0, 0, 0, 10, 6, 1, 0], 5).SelectMany(e => e)];
        byte[] header = [.. Codestream(500, 500, tileSize: 500), .. cod];

        Assert.Equal(ImageDecodeError.Truncated, Assert.Throws<ImageDecodeException>(() => Decoder.Decode(header)).Error);
        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode([.. header, .. poc]));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("packets (10 quality layers)", error.Message);
    }

    [Theory]
    [InlineData("precincts", "packets")]
    [InlineData("code-blocks", "code-blocks")]
    public void A_main_header_coc_that_gives_one_component_more_work_than_the_cod_is_counted(string tiny, string counted)
    {
        // A real file stated at 6000x6000 in one tile: its COD (5 levels, 64x64 code-blocks, no precincts) is within the caps.
        using var source = Picture(Width, Height, seed: 8);
        var large = Jpeg2000Encoder.Encode(source, compressionRatio: 1, jp2Container: false);
        foreach (int field in new[] { 8, 12, 24, 28 })
        {
            BinaryPrimitives.WriteUInt32BigEndian(large.AsSpan(field), 6000);
        }

        Assert.Equal(6000, Decoder.Inspect(large).Width);
        // COC for component 0: 32 levels with 1x1 precincts at resolution 0 and 2x2 above (so 1x1 code-blocks), or
        // 5 levels of 4x4 code-blocks, the smallest there are.
        byte[] coc = tiny == "precincts"
            ? [0xFF, 0x53, 0, 42, 0, 1, 32, 4, 4, 0, 1, 0x00, .. Enumerable.Repeat((byte)0x11, 32)]
            : [0xFF, 0x53, 0, 9, 0, 0, 5, 0, 0, 0, 1];
        int codEnd = MainHeaderSegments(large).Single(s => s.Marker == 0xFF52).End;
        byte[] bomb = [.. large[..codEnd], .. coc, .. large[codEnd..]];

        var check = Assert.Throws<ImageDecodeException>(() => Decoder.Inspect(bomb));
        // Inspect reads the header and decodes nothing: refused there, the bomb never reaches opj_decode.
        var decode = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(bomb));

        Assert.Equal((ImageDecodeError.TooLarge, ImageDecodeError.TooLarge), (check.Error, decode.Error));
        Assert.Contains($" {counted}", decode.Message);
    }

    [Theory]
    [InlineData("COD")]
    [InlineData("COC")]
    [InlineData("POC")]
    public void A_coding_style_marker_in_a_tile_part_header_is_refused_before_openjpeg_decodes(string marker)
    {
        using var source = Picture(Width, Height, seed: 9);
        var encoded = Jpeg2000Encoder.Encode(source, compressionRatio: 1, jp2Container: false);
        var segments = MainHeaderSegments(encoded);
        var (_, codStart, codEnd) = segments.Single(s => s.Marker == 0xFF52);
        byte[] spcod = encoded[(codStart + 9)..codEnd];
        // The same coding style as the main header's (or a progression over all of it): valid, and decoded before the fix.
        byte[] inserted = marker switch
        {
            "COD" => encoded[codStart..codEnd],
            "COC" => [0xFF, 0x53, 0, (byte)(4 + spcod.Length), 0, 0, .. spcod],
            _ => [0xFF, 0x5F, 0, 9, 0, 0, 0, 1, (byte)(spcod[0] + 1), 3, encoded[codStart + 5]],
        };
        int sot = segments[^1].Start;
        byte[] changed = [.. encoded[..(sot + 12)], .. inserted, .. encoded[(sot + 12)..]];
        uint length = BinaryPrimitives.ReadUInt32BigEndian(changed.AsSpan(sot + 6));
        BinaryPrimitives.WriteUInt32BigEndian(changed.AsSpan(sot + 6), length + (uint)inserted.Length);

        var check = Assert.Throws<ImageDecodeException>(() => Decoder.Inspect(changed));
        var decode = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(changed));

        Assert.Equal((ImageDecodeError.UnsupportedFormat, ImageDecodeError.UnsupportedFormat), (check.Error, decode.Error));
        Assert.Contains($"tile-part header ({marker})", decode.Message);
        using var decoded = Decoder.Decode(encoded);
        Assert.Equal(source.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_cut_of_a_file_is_refused_as_truncated_by_the_check_and_the_decode(bool jp2)
    {
        using var source = Picture(Width, Height, seed: 6);
        var encoded = Jpeg2000Encoder.Encode(source, compressionRatio: 4, jp2Container: jp2);
        Assert.Equal(Width, Decoder.Inspect([.. encoded, .. new byte[100]]).Width);

        for (int cut = 12; cut < encoded.Length; cut += Math.Max(1, encoded.Length / 50))
        {
            var check = Assert.Throws<ImageDecodeException>(() => Decoder.Inspect(encoded.AsSpan(0, cut)));
            var decode = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(encoded.AsSpan(0, cut)));
            Assert.True(check.Error == ImageDecodeError.Truncated, $"check at {cut} of {encoded.Length}: {check.Error} ({check.Message})");
            Assert.True(decode.Error == ImageDecodeError.Truncated, $"decode at {cut} of {encoded.Length}: {decode.Error} ({decode.Message})");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Garbage_after_a_valid_signature_is_corrupt(bool jp2)
    {
        var garbage = new byte[400];
        new Random(7).NextBytes(garbage);
        byte[] data = jp2 ? [.. Signature, .. garbage] : [0xFF, 0x4F, 0xFF, 0x51, .. garbage];

        Assert.Equal(ImageDecodeError.Corrupt, Assert.Throws<ImageDecodeException>(() => Decoder.Decode(data)).Error);
        Assert.Equal(ImageDecodeError.Corrupt, Assert.Throws<ImageDecodeException>(() => Decoder.Inspect(data)).Error);
    }

    [Fact]
    public void Four_components_are_an_unsupported_variant()
    {
        var plane = new Jpeg2000Plane(Samples(16, 16, (x, y) => x + y), 16, 16);
        var encoded = Jpeg2000Encoder.Encode([plane, plane, plane], 16, 16, OpenJpegNative.ColorSpaceSrgb, 1, jp2Container: false);
        // Rewrite Csiz to 4 with a fourth component's line: the same bytes a four-component encoder would write there.
        byte[] four = [.. encoded[..4], 0, 50, .. encoded[6..40], 0, 4, .. encoded[42..51], 7, 1, 1, .. encoded[51..]];

        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(four));

        Assert.Equal(ImageDecodeError.UnsupportedFormat, error.Error);
    }

    [Fact]
    public async Task Eight_decodes_at_once_each_get_their_own_pixels()
    {
        var sources = Enumerable.Range(0, 8).Select(i => Picture(40 + i, 30 + i, seed: 10 + i)).ToArray();
        try
        {
            var encoded = sources.Select((s, i) => Jpeg2000Encoder.Encode(s, compressionRatio: 1, jp2Container: i % 2 == 0)).ToArray();
            for (int round = 0; round < 5; round++)
            {
                var decoded = await Task.WhenAll(encoded.Select(e => Task.Run(() =>
                {
                    using var image = Decoder.Decode(e);
                    return image.Pixels.ToArray();
                })));

                for (int i = 0; i < sources.Length; i++)
                {
                    Assert.Equal(sources[i].Pixels.ToArray(), decoded[i]);
                }
            }
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Dispose();
            }
        }
    }

    private static byte[] Signature => [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    /// <summary>SOC and a SIZ for one 8-bit component of the given size and square tiles; nothing after.</summary>
    private static byte[] Codestream(uint width, uint height, uint tileSize) =>
        [0xFF, 0x4F, 0xFF, 0x51, 0, 41, 0, 0, .. BigEndian(width), .. BigEndian(height), .. BigEndian(0), .. BigEndian(0),
            .. BigEndian(tileSize), .. BigEndian(tileSize), .. BigEndian(0), .. BigEndian(0), 0, 1, 7, 1, 1];

    /// <summary>The main header's marker segments (marker, start, end) after SOC; the last is the first SOT, empty.</summary>
    private static List<(ushort Marker, int Start, int End)> MainHeaderSegments(byte[] codestream)
    {
        var segments = new List<(ushort Marker, int Start, int End)>();
        for (int position = 2; ;)
        {
            ushort marker = BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(position));
            if (marker == 0xFF90)
            {
                segments.Add((marker, position, position));
                return segments;
            }

            int end = position + 2 + BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(position + 2));
            segments.Add((marker, position, end));
            position = end;
        }
    }

    private static byte[] Box(string type, byte[] content) => [.. BigEndian((uint)(8 + content.Length)), .. System.Text.Encoding.ASCII.GetBytes(type), .. content];

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Smooth gradients with a little seeded texture, like a face more than like noise.</summary>
    private static RgbImage Picture(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = ((y * width) + x) * 3;
                pixels[i] = (byte)Math.Clamp((x * 255 / width) + random.Next(-6, 7), 0, 255);
                pixels[i + 1] = (byte)Math.Clamp((y * 255 / height) + random.Next(-6, 7), 0, 255);
                pixels[i + 2] = (byte)Math.Clamp(128 + (int)(60 * Math.Sin((x + y) / 9.0)), 0, 255);
            }
        }

        return RgbImage.FromPixels(width, height, pixels);
    }

    private static RgbImage Blocks(int width, int height)
    {
        byte[][] colours = [[200, 30, 40], [20, 180, 60], [30, 40, 210], [240, 240, 240], [10, 10, 10], [250, 200, 20]];
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                colours[((x / 8) + (y / 8)) % colours.Length].CopyTo(pixels, ((y * width) + x) * 3);
            }
        }

        return RgbImage.FromPixels(width, height, pixels);
    }

    private static (int[] Luma, int[] Blue, int[] Red) ToYcc(RgbImage image)
    {
        int count = image.Width * image.Height;
        var (luma, blue, red) = (new int[count], new int[count], new int[count]);
        for (int i = 0; i < count; i++)
        {
            double r = image.Pixels[i * 3], g = image.Pixels[(i * 3) + 1], b = image.Pixels[(i * 3) + 2];
            luma[i] = (int)Math.Round((0.299 * r) + (0.587 * g) + (0.114 * b));
            blue[i] = (int)Math.Clamp(Math.Round(128 - (0.168736 * r) - (0.331264 * g) + (0.5 * b)), 0, 255);
            red[i] = (int)Math.Clamp(Math.Round(128 + (0.5 * r) - (0.418688 * g) - (0.081312 * b)), 0, 255);
        }

        return (luma, blue, red);
    }

    private static int[] Half(int[] plane, int width, int height) =>
        Samples(width / 2, height / 2, (x, y) => plane[(y * 2 * width) + (x * 2)]);

    private static int[] Samples(int width, int height, Func<int, int, int> value)
    {
        var samples = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                samples[(y * width) + x] = value(x, y);
            }
        }

        return samples;
    }

    private static double MeanAbsoluteError(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / (double)a.Length;
    }

    private static int MaxAbsoluteError(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
