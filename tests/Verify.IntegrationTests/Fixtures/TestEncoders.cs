using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using PngImage = Verify.Imaging.Codecs.PngCodec.PngImage;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>
/// Test-only encoders over the same Debian libraries the decoders use, so that fixtures are generated at test
/// time instead of committed, plus helpers that add EXIF orientation to encoded files.
/// </summary>
internal static partial class TestEncoders
{
    public static unsafe byte[] Jpeg(byte[] rgb, int width, int height, int quality = 95, bool progressive = false)
    {
        const int pixelFormatRgb = 0, subsampling444 = 0, flagProgressive = 16384;
        IntPtr handle = tjInitCompress();
        try
        {
            byte* output = null;
            nuint size = 0;
            fixed (byte* source = rgb)
            {
                if (tjCompress2(handle, source, width, width * 3, height, pixelFormatRgb, &output, &size, subsampling444, quality,
                        progressive ? flagProgressive : 0) != 0)
                {
                    throw new InvalidOperationException("tjCompress2 failed");
                }
            }

            var bytes = new ReadOnlySpan<byte>(output, (int)size).ToArray();
            tjFree(output);
            return bytes;
        }
        finally
        {
            tjDestroy(handle);
        }
    }

    /// <summary>PNG through libpng's simplified writer; format flags as in png.h (1 alpha, 2 colour, 4 16-bit linear).</summary>
    public static unsafe byte[] Png(byte[] samples, int width, int height, uint format)
    {
        var image = new PngImage { Version = 1, Width = (uint)width, Height = (uint)height, Format = format };
        nuint size = 0;
        fixed (byte* source = samples)
        {
            if (png_image_write_to_memory(&image, null, &size, 0, source, 0, null) == 0)
            {
                throw new InvalidOperationException("png_image_write_to_memory (size) failed");
            }

            var output = new byte[(int)size];
            fixed (byte* target = output)
            {
                if (png_image_write_to_memory(&image, target, &size, 0, source, 0, null) == 0)
                {
                    throw new InvalidOperationException("png_image_write_to_memory failed");
                }
            }

            return output.AsSpan(0, (int)size).ToArray();
        }
    }

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

    /// <summary>A TIFF block with one IFD entry: the orientation tag (0x0112, SHORT).</summary>
    public static byte[] ExifOrientationBlock(int orientation, bool littleEndian = true)
    {
        var tiff = new byte[8 + 2 + 12 + 4];
        tiff[0] = tiff[1] = (byte)(littleEndian ? 'I' : 'M');
        Write16(tiff.AsSpan(2), 42, littleEndian);
        Write32(tiff.AsSpan(4), 8, littleEndian);
        Write16(tiff.AsSpan(8), 1, littleEndian);
        Write16(tiff.AsSpan(10), 0x0112, littleEndian);
        Write16(tiff.AsSpan(12), 3, littleEndian);
        Write32(tiff.AsSpan(14), 1, littleEndian);
        Write16(tiff.AsSpan(18), (ushort)orientation, littleEndian);
        return tiff;
    }

    /// <summary>Inserts an APP1 Exif segment with the given orientation right after the JPEG's SOI marker.</summary>
    public static byte[] WithJpegOrientation(byte[] jpeg, int orientation, bool littleEndian = true)
    {
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(ExifOrientationBlock(orientation, littleEndian)).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>Inserts an eXIf chunk with the given orientation right after the PNG's IHDR chunk.</summary>
    public static byte[] WithPngOrientation(byte[] png, int orientation) =>
        [.. png.AsSpan(0, 33), .. PngChunk("eXIf", ExifOrientationBlock(orientation, littleEndian: false)), .. png.AsSpan(33)];

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

    private static void Write16(Span<byte> target, ushort value, bool littleEndian)
    {
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(target, value);
        }
    }

    private static void Write32(Span<byte> target, uint value, bool littleEndian)
    {
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(target, value);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct HeifError
    {
        public int Code;
        public int Subcode;
        public IntPtr Message;
    }

    [LibraryImport("libturbojpeg.so.0")]
    private static partial IntPtr tjInitCompress();

    [LibraryImport("libturbojpeg.so.0")]
    private static unsafe partial int tjCompress2(IntPtr handle, byte* source, int width, int pitch, int height, int pixelFormat,
        byte** jpeg, nuint* size, int subsampling, int quality, int flags);

    [LibraryImport("libturbojpeg.so.0")]
    private static unsafe partial void tjFree(byte* buffer);

    [LibraryImport("libturbojpeg.so.0")]
    private static partial int tjDestroy(IntPtr handle);

    [LibraryImport("libpng16.so.16")]
    private static unsafe partial int png_image_write_to_memory(PngImage* image, void* memory, nuint* size, int convertTo8Bit,
        void* buffer, int rowStride, void* colormap);

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
