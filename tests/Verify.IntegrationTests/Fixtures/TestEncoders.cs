using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Verify.Imaging.Codecs;
using Verify.Imaging.Exif;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>
/// Fixture encoders, so that fixtures are generated at test time instead of committed: JPEG, PNG and the JPEG
/// EXIF block come from the library's own encoders; WebP and HEIC (which the library only decodes) are test-only.
/// </summary>
internal static partial class TestEncoders
{
    public static byte[] Jpeg(byte[] rgb, int width, int height, int quality = 95, bool progressive = false) =>
        JpegEncoder.Encode(rgb, width, height, quality, progressive);

    /// <summary>PNG through the library's encoder; format flags as in png.h (1 alpha, 2 colour, 4 16-bit linear).</summary>
    public static byte[] Png(byte[] samples, int width, int height, uint format) => PngEncoder.Encode(samples, width, height, format);

    public static unsafe byte[] WebP(byte[] rgb, int width, int height, bool lossless)
    {
        byte* output = null;
        nuint size;
        fixed (byte* source = rgb)
        {
            size = lossless
                ? WebPEncodeLosslessRGB(source, width, height, width * 3, &output)
                : WebPEncodeRGB(source, width, height, width * 3, 90f, &output);
        }

        if (size == 0)
        {
            throw new InvalidOperationException("WebP encoding failed");
        }

        var bytes = new ReadOnlySpan<byte>(output, (int)size).ToArray();
        WebPFree(output);
        return bytes;
    }

    /// <summary>Lossless WebP with an alpha channel.</summary>
    public static unsafe byte[] WebPWithAlpha(byte[] rgba, int width, int height)
    {
        byte* output = null;
        nuint size;
        fixed (byte* source = rgba)
        {
            size = WebPEncodeLosslessRGBA(source, width, height, width * 4, &output);
        }

        var bytes = new ReadOnlySpan<byte>(output, (int)size).ToArray();
        WebPFree(output);
        return bytes;
    }

    /// <summary>HEIC through libheif's HEVC (x265) encoder, written to a temporary file; RGB or, with 4 channels, RGBA.</summary>
    public static unsafe byte[] Heic(byte[] pixels, int width, int height, int channels = 3)
    {
        const int compressionHevc = 1, colorspaceRgb = 1, channelInterleaved = 10;
        int chroma = channels == 4 ? 11 : 10;
        IntPtr context = heif_context_alloc();
        IntPtr encoder = IntPtr.Zero, image = IntPtr.Zero;
        string path = Path.Combine(Path.GetTempPath(), $"verify-{Guid.NewGuid():N}.heic");
        try
        {
            Check(heif_context_get_encoder_for_format(context, compressionHevc, &encoder));
            Check(heif_encoder_set_lossy_quality(encoder, 90));
            Check(heif_image_create(width, height, colorspaceRgb, chroma, &image));
            Check(heif_image_add_plane(image, channelInterleaved, width, height, 8));
            int stride;
            byte* plane = heif_image_get_plane(image, channelInterleaved, &stride);
            for (int y = 0; y < height; y++)
            {
                pixels.AsSpan(y * width * channels, width * channels).CopyTo(new Span<byte>(plane + (y * stride), width * channels));
            }

            Check(heif_context_encode_image(context, image, encoder, IntPtr.Zero, IntPtr.Zero));
            Check(heif_context_write_to_file(context, path));
            return File.ReadAllBytes(path);
        }
        finally
        {
            if (image != IntPtr.Zero)
            {
                heif_image_release(image);
            }

            if (encoder != IntPtr.Zero)
            {
                heif_encoder_release(encoder);
            }

            heif_context_free(context);
            File.Delete(path);
        }

        static void Check(HeifError error)
        {
            if (error.Code != 0)
            {
                throw new InvalidOperationException("libheif: " + Marshal.PtrToStringUTF8(error.Message));
            }
        }
    }

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

    [StructLayout(LayoutKind.Sequential)]
    private struct HeifError
    {
        public int Code;
        public int Subcode;
        public IntPtr Message;
    }

    [LibraryImport("libwebp.so.7")]
    private static unsafe partial nuint WebPEncodeRGB(byte* rgb, int width, int height, int stride, float quality, byte** output);

    [LibraryImport("libwebp.so.7")]
    private static unsafe partial nuint WebPEncodeLosslessRGB(byte* rgb, int width, int height, int stride, byte** output);

    [LibraryImport("libwebp.so.7")]
    private static unsafe partial nuint WebPEncodeLosslessRGBA(byte* rgba, int width, int height, int stride, byte** output);

    [LibraryImport("libwebp.so.7")]
    private static unsafe partial void WebPFree(void* pointer);

    [LibraryImport("libz.so.1")]
    private static unsafe partial nuint crc32(nuint crc, byte* buffer, uint length);

    [LibraryImport("libheif.so.1")]
    private static partial IntPtr heif_context_alloc();

    [LibraryImport("libheif.so.1")]
    private static partial void heif_context_free(IntPtr context);

    [LibraryImport("libheif.so.1")]
    private static unsafe partial HeifError heif_context_get_encoder_for_format(IntPtr context, int format, IntPtr* encoder);

    [LibraryImport("libheif.so.1")]
    private static partial HeifError heif_encoder_set_lossy_quality(IntPtr encoder, int quality);

    [LibraryImport("libheif.so.1")]
    private static partial void heif_encoder_release(IntPtr encoder);

    [LibraryImport("libheif.so.1")]
    private static unsafe partial HeifError heif_image_create(int width, int height, int colorspace, int chroma, IntPtr* image);

    [LibraryImport("libheif.so.1")]
    private static partial HeifError heif_image_add_plane(IntPtr image, int channel, int width, int height, int bitDepth);

    [LibraryImport("libheif.so.1")]
    private static unsafe partial byte* heif_image_get_plane(IntPtr image, int channel, int* stride);

    [LibraryImport("libheif.so.1")]
    private static partial void heif_image_release(IntPtr image);

    [LibraryImport("libheif.so.1")]
    private static partial HeifError heif_context_encode_image(IntPtr context, IntPtr image, IntPtr encoder, IntPtr options, IntPtr handle);

    [LibraryImport("libheif.so.1", StringMarshalling = StringMarshalling.Utf8)]
    private static partial HeifError heif_context_write_to_file(IntPtr context, string path);
}
