using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Verify.Imaging.Codecs;
using Verify.Imaging.Exif;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>
/// Fixture encoders, so that fixtures are generated at test time instead of committed: JPEG, PNG, WebP, HEIC and the
/// JPEG EXIF block all come from the library's own encoders.
/// </summary>
internal static partial class TestEncoders
{
    public static byte[] Jpeg(byte[] rgb, int width, int height, int quality = 95, bool progressive = false) =>
        JpegEncoder.Encode(rgb, width, height, quality, progressive);

    /// <summary>PNG through the library's encoder; format flags as in png.h (1 alpha, 2 colour, 4 16-bit linear).</summary>
    public static byte[] Png(byte[] samples, int width, int height, uint format) => PngEncoder.Encode(samples, width, height, format);

    public static byte[] WebP(byte[] rgb, int width, int height, bool lossless) => WebPEncoder.Encode(rgb, width, height, 3, lossless);

    /// <summary>Lossless WebP with an alpha channel.</summary>
    public static byte[] WebPWithAlpha(byte[] rgba, int width, int height) => WebPEncoder.Encode(rgba, width, height, 4, lossless: true);

    /// <summary>HEIC through libheif's HEVC (x265) encoder; RGB or, with 4 channels, RGBA.</summary>
    public static byte[] Heic(byte[] pixels, int width, int height, int channels = 3) => HeifEncoder.Encode(pixels, width, height, channels);

    /// <summary>Inserts an APP1 Exif segment with the given orientation right after the JPEG's SOI marker.</summary>
    public static byte[] WithJpegOrientation(byte[] jpeg, int orientation, bool littleEndian = true) =>
        ExifOrientationWriter.WithJpegOrientation(jpeg, (ushort)orientation, littleEndian);

    /// <summary>Inserts an eXIf chunk with the given orientation right after the PNG's IHDR chunk.</summary>
    public static byte[] WithPngOrientation(byte[] png, int orientation) =>
        [.. png.AsSpan(0, 33), .. PngChunk("eXIf", ExifOrientationWriter.TiffBlock((ushort)orientation, littleEndian: false)), .. png.AsSpan(33)];

    /// <summary>A PNG chunk with its CRC (zlib's crc32 over type and data).</summary>
    public static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static unsafe uint Crc32(ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            return (uint)crc32(0, bytes, (uint)data.Length);
        }
    }

    [LibraryImport("libz.so.1")]
    private static unsafe partial nuint crc32(nuint crc, byte* buffer, uint length);
}
