using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>HEIC and AVIF (the primary image of the file) through libheif; transparency is composited onto white.</summary>
/// <remarks>
/// libheif applies the container's rotation and mirroring (irot/imir) itself, so the pixels it returns are
/// upright; the EXIF orientation inside a HEIF file describes the untransformed image and is ignored.
/// </remarks>
internal sealed partial class HeifCodec(ImageFormat format) : IImageCodec
{
    private const string Library = "libheif.so.1";
    private const int ColorspaceRgb = 1;
    private const int ChromaInterleavedRgb = 10;
    private const int ChromaInterleavedRgba = 11;
    private const int ChannelInterleaved = 10;

    private const int ErrorUnsupportedFiletype = 3;
    private const int ErrorUnsupportedFeature = 4;
    private const int ErrorDecoderPlugin = 7;
    private const int SuberrorEndOfData = 100;
    private const int SuberrorSecurityLimitExceeded = 1000;

    public ImageFormat Format { get; } = format;

    public unsafe (int Width, int Height, string? Unsupported) ReadSize(ReadOnlySpan<byte> data)
    {
        // libheif reads the caller's memory without copying: it stays pinned while the context lives.
        fixed (byte* source = data)
        {
            using var context = Open(source, data.Length);
            using var handle = PrimaryImage(context);
            return (heif_image_handle_get_width(handle), heif_image_handle_get_height(handle), null);
        }
    }

    public unsafe RgbImage Decode(ReadOnlySpan<byte> data, SizeCheck check)
    {
        fixed (byte* source = data)
        {
            using var context = Open(source, data.Length);
            using var handle = PrimaryImage(context);
            check(heif_image_handle_get_width(handle), heif_image_handle_get_height(handle));

            bool alpha = heif_image_handle_has_alpha_channel(handle) != 0;
            IntPtr decoded;
            ThrowOnError(heif_decode_image(handle, &decoded, ColorspaceRgb, alpha ? ChromaInterleavedRgba : ChromaInterleavedRgb, IntPtr.Zero), "decoding");
            using var image = new HeifImage(decoded);
            int width = heif_image_get_width(image, ChannelInterleaved);
            int height = heif_image_get_height(image, ChannelInterleaved);
            int stride;
            byte* plane = heif_image_get_plane_readonly(image, ChannelInterleaved, &stride);
            if (plane == null || width <= 0 || height <= 0)
            {
                throw new ImageDecodeException(ImageDecodeError.Corrupt, Format, "libheif returned no RGB plane.");
            }

            check(width, height);
            var rgb = RgbImage.Allocate(width, height);
            if (alpha)
            {
                // Composited onto white like PNG transparency, so that formats agree on what a photo looks like.
                var rgba = new ReadOnlySpan<byte>(plane, (stride * (height - 1)) + (width * 4));
                AlphaCompositing.OntoWhite(rgba, stride, heif_image_handle_is_premultiplied_alpha(handle) != 0, rgb);
            }
            else
            {
                for (int y = 0; y < height; y++)
                {
                    new ReadOnlySpan<byte>(plane + ((long)y * stride), rgb.Stride).CopyTo(rgb.Row(y));
                }
            }

            return rgb;
        }
    }

    private unsafe HeifContext Open(byte* source, int length)
    {
        var context = heif_context_alloc();
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new InvalidOperationException("libheif could not allocate a context.");
        }

        try
        {
            ThrowOnError(heif_context_read_from_memory_without_copy(context, source, (nuint)length, IntPtr.Zero), "reading");
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private unsafe HeifImageHandle PrimaryImage(HeifContext context)
    {
        IntPtr handle;
        ThrowOnError(heif_context_get_primary_image_handle(context, &handle), "finding the primary image of");
        return new HeifImageHandle(handle);
    }

    private void ThrowOnError(HeifError error, string stage)
    {
        if (error.Code == 0)
        {
            return;
        }

        string detail = Marshal.PtrToStringUTF8(error.Message) ?? "unknown error";
        string name = Format == ImageFormat.Avif ? "AVIF" : "HEIC";
        var kind = (error.Code, error.Subcode) switch
        {
            (_, SuberrorEndOfData) => ImageDecodeError.Truncated,
            (_, SuberrorSecurityLimitExceeded) => ImageDecodeError.TooLarge,
            (ErrorUnsupportedFiletype or ErrorUnsupportedFeature or ErrorDecoderPlugin, _) => ImageDecodeError.UnsupportedFormat,
            _ => ImageDecodeError.Corrupt,
        };
        string what = kind switch
        {
            ImageDecodeError.Truncated => "truncated",
            ImageDecodeError.TooLarge => "too large",
            ImageDecodeError.UnsupportedFormat => "not supported",
            _ => "corrupt",
        };
        throw new ImageDecodeException(kind, Format, $"The {name} data is {what} ({stage} it failed: {detail}).");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct HeifError
    {
        public int Code;
        public int Subcode;
        public IntPtr Message;
    }

    /// <summary>A libheif object, released by the function of its kind; null handles are invalid.</summary>
    private abstract class HeifObject : SafeHandle
    {
        protected HeifObject(IntPtr value)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(value);

        public override bool IsInvalid => handle == IntPtr.Zero;
    }

    private sealed class HeifContext() : HeifObject(IntPtr.Zero)
    {
        protected override bool ReleaseHandle()
        {
            heif_context_free(handle);
            return true;
        }
    }

    private sealed class HeifImageHandle(IntPtr value) : HeifObject(value)
    {
        protected override bool ReleaseHandle()
        {
            heif_image_handle_release(handle);
            return true;
        }
    }

    private sealed class HeifImage(IntPtr value) : HeifObject(value)
    {
        protected override bool ReleaseHandle()
        {
            heif_image_release(handle);
            return true;
        }
    }

    [LibraryImport(Library)]
    private static partial HeifContext heif_context_alloc();

    [LibraryImport(Library)]
    private static partial void heif_context_free(IntPtr context);

    [LibraryImport(Library)]
    private static unsafe partial HeifError heif_context_read_from_memory_without_copy(HeifContext context, byte* memory,
        nuint size, IntPtr options);

    [LibraryImport(Library)]
    private static unsafe partial HeifError heif_context_get_primary_image_handle(HeifContext context, IntPtr* handle);

    [LibraryImport(Library)]
    private static partial int heif_image_handle_get_width(HeifImageHandle handle);

    [LibraryImport(Library)]
    private static partial int heif_image_handle_get_height(HeifImageHandle handle);

    [LibraryImport(Library)]
    private static partial void heif_image_handle_release(IntPtr handle);

    [LibraryImport(Library)]
    private static partial int heif_image_handle_has_alpha_channel(HeifImageHandle handle);

    [LibraryImport(Library)]
    private static partial int heif_image_handle_is_premultiplied_alpha(HeifImageHandle handle);

    [LibraryImport(Library)]
    private static unsafe partial HeifError heif_decode_image(HeifImageHandle handle, IntPtr* image, int colorspace,
        int chroma, IntPtr options);

    [LibraryImport(Library)]
    private static partial int heif_image_get_width(HeifImage image, int channel);

    [LibraryImport(Library)]
    private static partial int heif_image_get_height(HeifImage image, int channel);

    [LibraryImport(Library)]
    private static unsafe partial byte* heif_image_get_plane_readonly(HeifImage image, int channel, int* stride);

    [LibraryImport(Library)]
    private static partial void heif_image_release(IntPtr image);
}
