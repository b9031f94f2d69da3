using System.Buffers.Binary;
using System.Text;
using Verify.Imaging;
using Verify.Imaging.Exif;

namespace Verify.UnitTests.Imaging;

public sealed class ExifOrientationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_the_orientation_tag_in_either_byte_order(bool littleEndian)
    {
        for (int value = 1; value <= 8; value++)
        {
            Assert.Equal((ExifOrientation)value, ExifOrientationReader.ReadTiff(Tiff(value, littleEndian)));
        }
    }

    [Fact]
    public void Finds_the_exif_block_of_a_jpeg_after_other_segments()
    {
        var app0 = Segment(0xE0, Encoding.ASCII.GetBytes("JFIF\0\u0001\u0001\0\0\u0001\0\u0001\0\0"));
        var app1 = Segment(0xE1, [.. "Exif\0\0"u8, .. Tiff(6, littleEndian: false)]);
        byte[] jpeg = [0xFF, 0xD8, .. app0, .. app1, 0xFF, 0xDA, 0, 2];

        Assert.Equal(ExifOrientation.Rotate90Clockwise, ExifOrientationReader.Read(ImageFormat.Jpeg, jpeg));
    }

    [Fact]
    public void Ignores_an_exif_block_after_the_start_of_scan()
    {
        var app1 = Segment(0xE1, [.. "Exif\0\0"u8, .. Tiff(6, littleEndian: true)]);
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xDA, 0, 2, .. app1];

        Assert.Equal(ExifOrientation.Normal, ExifOrientationReader.Read(ImageFormat.Jpeg, jpeg));
    }

    [Fact]
    public void Finds_the_exif_chunk_of_a_png()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. PngChunk("IHDR", new byte[13]), .. PngChunk("eXIf", Tiff(8, true)), .. PngChunk("IEND", [])];

        Assert.Equal(ExifOrientation.Rotate90CounterClockwise, ExifOrientationReader.Read(ImageFormat.Png, png));
    }

    [Fact]
    public void Finds_the_exif_chunk_of_a_webp_with_or_without_the_exif_header()
    {
        foreach (byte[] payload in new[] { Tiff(3, true), [.. "Exif\0\0"u8, .. Tiff(3, true)] })
        {
            byte[] webp = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. RiffChunk("VP8X", new byte[10]), .. RiffChunk("EXIF", payload)];
            Assert.Equal(ExifOrientation.Rotate180, ExifOrientationReader.Read(ImageFormat.WebP, webp));
        }
    }

    [Fact]
    public void Malformed_blocks_mean_normal_orientation()
    {
        var valid = Tiff(6, true);
        Assert.Equal(ExifOrientation.Normal, ExifOrientationReader.ReadTiff(valid[..12]));          // entry cut off
        Assert.Equal(ExifOrientation.Normal, ExifOrientationReader.ReadTiff([.. "XX"u8, .. valid[2..]])); // no byte order
        var wrongType = (byte[])valid.Clone();
        wrongType[12] = 4;                                                                         // LONG, not SHORT
        Assert.Equal(ExifOrientation.Normal, ExifOrientationReader.ReadTiff(wrongType));
        Assert.Equal(ExifOrientation.Normal, ExifOrientationReader.ReadTiff(Tiff(9, true)));       // out of range
        var badOffset = (byte[])valid.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(badOffset.AsSpan(4), 0xFFFFFF00);
        Assert.Equal(ExifOrientation.Normal, ExifOrientationReader.ReadTiff(badOffset));
        Assert.Equal(ExifOrientation.Normal, ExifOrientationReader.Read(ImageFormat.Jpeg, [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 1]));
    }

    [Theory]
    [InlineData(ExifOrientation.Normal, "1 2 3 4 5 6")]
    [InlineData(ExifOrientation.FlipHorizontal, "3 2 1 6 5 4")]
    [InlineData(ExifOrientation.Rotate180, "6 5 4 3 2 1")]
    [InlineData(ExifOrientation.FlipVertical, "4 5 6 1 2 3")]
    [InlineData(ExifOrientation.Transpose, "1 4 2 5 3 6")]
    [InlineData(ExifOrientation.Rotate90Clockwise, "4 1 5 2 6 3")]
    [InlineData(ExifOrientation.Transverse, "6 3 5 2 4 1")]
    [InlineData(ExifOrientation.Rotate90CounterClockwise, "3 6 2 5 1 4")]
    public void Transforms_pixels_as_the_exif_definition_says(ExifOrientation orientation, string expectedRowMajor)
    {
        // Stored 3x2:  1 2 3 / 4 5 6  (each pixel's red channel holds its label).
        using var stored = RgbImage.FromPixels(3, 2, new byte[] { 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 5, 0, 0, 6, 0, 0 });

        using var upright = ExifOrientationTransform.Apply(stored, orientation);

        var labels = Enumerable.Range(0, 6).Select(i => upright.Pixels[i * 3].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expectedRowMajor, string.Join(' ', labels));
        Assert.Equal(ExifOrientationTransform.SwapsDimensions(orientation) ? (2, 3) : (3, 2), (upright.Width, upright.Height));
    }

    private static byte[] Tiff(int orientation, bool littleEndian)
    {
        var tiff = new byte[26];
        tiff[0] = tiff[1] = (byte)(littleEndian ? 'I' : 'M');
        void U16(int at, int value)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(at), (ushort)value);
            }
        }

        void U32(int at, uint value)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at), value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(at), value);
            }
        }

        U16(2, 42);
        U32(4, 8);
        U16(8, 1);
        U16(10, 0x0112);
        U16(12, 3);
        U32(14, 1);
        U16(18, orientation);
        return tiff;
    }

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return segment;
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        return chunk; // CRC left zero: the reader does not check it (libpng does, when decoding)
    }

    private static byte[] RiffChunk(string type, byte[] data)
    {
        var chunk = new byte[8 + data.Length + (data.Length & 1)];
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
        data.CopyTo(chunk, 8);
        return chunk;
    }
}
