using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>PNG (any bit depth, grey, palette, alpha) through libpng's simplified read API.</summary>
/// <remarks>
/// libpng converts every variant to 8-bit RGB: 16-bit samples are reduced (as sRGB unless the file says
/// otherwise), grey is expanded, and alpha is composited onto white, the usual backdrop of a scanned or
/// exported document.
/// </remarks>
internal sealed partial class PngCodec : IImageCodec
{
    private const string Library = "libpng16.so.16";
    private const uint ImageVersion = 1;
    private const uint FormatRgb = 0x02;

    // Without it libpng takes 16-bit samples without gamma information for linear light, which almost no
    // real file is: they come from editors and cameras in sRGB.
    private const uint FlagSixteenBitSrgb = 0x04;
    private const uint ErrorBit = 2;

    private static ReadOnlySpan<byte> EndChunk => [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    public ImageFormat Format => ImageFormat.Png;

    public unsafe (int Width, int Height, string? Unsupported) ReadSize(ReadOnlySpan<byte> data)
    {
        var image = new PngImage { Version = ImageVersion };
        fixed (byte* source = data)
        {
            try
            {
                BeginRead(ref image, source, data);
                return ((int)image.Width, (int)image.Height, null);
            }
            finally
            {
                png_image_free(ref image);
            }
        }
    }

    public unsafe RgbImage Decode(ReadOnlySpan<byte> data, SizeCheck check)
    {
        var image = new PngImage { Version = ImageVersion };
        // libpng keeps a pointer to the input between the two calls: it stays pinned throughout.
        fixed (byte* source = data)
        {
            try
            {
                BeginRead(ref image, source, data);
                // The PNG format caps both dimensions at 2^31 - 1, so the casts are exact.
                check((int)image.Width, (int)image.Height);
                image.Format = FormatRgb;
                image.Flags |= FlagSixteenBitSrgb;
                var rgb = RgbImage.Allocate((int)image.Width, (int)image.Height);
                var white = new PngColor { Red = 255, Green = 255, Blue = 255 };
                fixed (byte* target = rgb.Pixels)
                {
                    if (png_image_finish_read(ref image, &white, target, rgb.Stride, null) == 0)
                    {
                        rgb.Dispose();
                        throw Failure(ref image, data, "decoding");
                    }
                }

                return rgb;
            }
            finally
            {
                png_image_free(ref image);
            }
        }
    }

    private unsafe void BeginRead(ref PngImage image, byte* source, ReadOnlySpan<byte> data)
    {
        if (png_image_begin_read_from_memory(ref image, source, (nuint)data.Length) == 0 || (image.WarningOrError & ErrorBit) != 0)
        {
            throw Failure(ref image, data, "reading the header of");
        }
    }

    private ImageDecodeException Failure(ref PngImage image, ReadOnlySpan<byte> data, string stage)
    {
        string detail = image.ReadMessage();
        return data.EndsWith(EndChunk)
            ? new ImageDecodeException(ImageDecodeError.Corrupt, Format, $"The PNG data is corrupt ({stage} it failed: {detail}).")
            : new ImageDecodeException(ImageDecodeError.Truncated, Format, $"The PNG data is truncated ({stage} it failed: {detail}).");
    }

    /// <summary>libpng's png_image control structure (png.h, PNG_IMAGE_VERSION 1); the test encoders share it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct PngImage
    {
        public IntPtr Opaque;
        public uint Version;
        public uint Width;
        public uint Height;
        public uint Format;
        public uint Flags;
        public uint ColormapEntries;
        public uint WarningOrError;
        public fixed byte Message[64];

        public string ReadMessage()
        {
            fixed (byte* message = Message)
            {
                return Marshal.PtrToStringUTF8((IntPtr)message) is { Length: > 0 } text ? text : "unknown error";
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PngColor
    {
        public byte Red;
        public byte Green;
        public byte Blue;
    }

    [LibraryImport(Library)]
    private static unsafe partial int png_image_begin_read_from_memory(ref PngImage image, byte* memory, nuint size);

    [LibraryImport(Library)]
    private static unsafe partial int png_image_finish_read(ref PngImage image, PngColor* background, byte* buffer,
        int rowStride, void* colormap);

    [LibraryImport(Library)]
    private static partial void png_image_free(ref PngImage image);
}
