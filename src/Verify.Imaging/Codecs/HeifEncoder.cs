using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>
/// HEIC encoding through libheif's HEVC (x265) encoder, written to memory; for fixtures and the decoders' fuzz corpus,
/// never for uploads.
/// </summary>
internal static unsafe partial class HeifEncoder
{
    private const string Library = "libheif.so.1";
    private const int CompressionHevc = 1;
    private const int ColorspaceRgb = 1;
    private const int ChromaInterleavedRgb = 10;
    private const int ChromaInterleavedRgba = 11;
    private const int ChannelInterleaved = 10;

    /// <summary>Encodes packed RGB (3 channels) or RGBA (4 channels) at lossy quality 90.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> samples, int width, int height, int channels = 3)
    {
        if (channels is not (3 or 4) || samples.Length < (long)width * height * channels)
        {
            throw new ArgumentException($"Expected {width}x{height} packed samples of 3 or 4 channels.", nameof(samples));
        }

        IntPtr context = heif_context_alloc();
        IntPtr encoder = IntPtr.Zero, image = IntPtr.Zero;
        var output = new MemoryStream();
        var target = GCHandle.Alloc(output);
        try
        {
            Check(heif_context_get_encoder_for_format(context, CompressionHevc, &encoder));
            Check(heif_encoder_set_lossy_quality(encoder, 90));
            Check(heif_image_create(width, height, ColorspaceRgb, channels == 4 ? ChromaInterleavedRgba : ChromaInterleavedRgb, &image));
            Check(heif_image_add_plane(image, ChannelInterleaved, width, height, 8));
            int stride;
            byte* plane = heif_image_get_plane(image, ChannelInterleaved, &stride);
            for (int y = 0; y < height; y++)
            {
                samples.Slice(y * width * channels, width * channels).CopyTo(new Span<byte>(plane + ((long)y * stride), width * channels));
            }

            Check(heif_context_encode_image(context, image, encoder, IntPtr.Zero, IntPtr.Zero));
            var writer = new HeifWriter { Version = 1, Write = &Write };
            Check(heif_context_write(context, &writer, (void*)GCHandle.ToIntPtr(target)));
            return output.ToArray();
        }
        finally
        {
            target.Free();
            if (image != IntPtr.Zero)
            {
                heif_image_release(image);
            }

            if (encoder != IntPtr.Zero)
            {
                heif_encoder_release(encoder);
            }

            heif_context_free(context);
        }
    }

    /// <summary>libheif's writer callback: appends to the <see cref="MemoryStream"/> the user data points at.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static HeifError Write(IntPtr context, void* data, nuint size, void* userData)
    {
        var stream = (MemoryStream)GCHandle.FromIntPtr((IntPtr)userData).Target!;
        stream.Write(new ReadOnlySpan<byte>(data, checked((int)size)));
        return default;
    }

    private static void Check(HeifError error)
    {
        if (error.Code != 0)
        {
            throw new InvalidOperationException("libheif could not encode the image: " + Marshal.PtrToStringUTF8(error.Message));
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct HeifError
    {
        public int Code;
        public int Subcode;
        public IntPtr Message;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct HeifWriter
    {
        public int Version;
        public delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, void*, HeifError> Write;
    }

    [LibraryImport(Library)]
    private static partial IntPtr heif_context_alloc();

    [LibraryImport(Library)]
    private static partial void heif_context_free(IntPtr context);

    [LibraryImport(Library)]
    private static partial HeifError heif_context_get_encoder_for_format(IntPtr context, int format, IntPtr* encoder);

    [LibraryImport(Library)]
    private static partial HeifError heif_encoder_set_lossy_quality(IntPtr encoder, int quality);

    [LibraryImport(Library)]
    private static partial void heif_encoder_release(IntPtr encoder);

    [LibraryImport(Library)]
    private static partial HeifError heif_image_create(int width, int height, int colorspace, int chroma, IntPtr* image);

    [LibraryImport(Library)]
    private static partial HeifError heif_image_add_plane(IntPtr image, int channel, int width, int height, int bitDepth);

    [LibraryImport(Library)]
    private static partial byte* heif_image_get_plane(IntPtr image, int channel, int* stride);

    [LibraryImport(Library)]
    private static partial void heif_image_release(IntPtr image);

    [LibraryImport(Library)]
    private static partial HeifError heif_context_encode_image(IntPtr context, IntPtr image, IntPtr encoder, IntPtr options, IntPtr handle);

    [LibraryImport(Library)]
    private static partial HeifError heif_context_write(IntPtr context, HeifWriter* writer, void* userData);
}
