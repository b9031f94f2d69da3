using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>PNG encoding through libpng's simplified write API, the same library the decoder uses.</summary>
internal static partial class PngEncoder
{
    private const string Library = "libpng16.so.16";

    /// <summary>png_image format flags (png.h): 1 alpha, 2 colour, 4 16-bit linear; 0 is 8-bit grey.</summary>
    public const uint FormatRgb = 0x02;

    /// <summary>Encodes packed samples in the given png_image format (tightly packed rows).</summary>
    public static unsafe byte[] Encode(ReadOnlySpan<byte> samples, int width, int height, uint format)
    {
        var image = new PngCodec.PngImage { Version = 1, Width = (uint)width, Height = (uint)height, Format = format };
        nuint size = 0;
        fixed (byte* source = samples)
        {
            // The first call only measures; libpng writes nothing when the memory pointer is null.
            if (png_image_write_to_memory(&image, null, &size, 0, source, 0, null) == 0)
            {
                throw new InvalidOperationException("libpng could not encode the image: " + image.ReadMessage());
            }

            var output = new byte[checked((int)size)];
            fixed (byte* target = output)
            {
                if (png_image_write_to_memory(&image, target, &size, 0, source, 0, null) == 0)
                {
                    throw new InvalidOperationException("libpng could not encode the image: " + image.ReadMessage());
                }
            }

            return output.AsSpan(0, (int)size).ToArray();
        }
    }

    [LibraryImport(Library)]
    private static unsafe partial int png_image_write_to_memory(PngCodec.PngImage* image, void* memory, nuint* size,
        int convertTo8Bit, void* buffer, int rowStride, void* colormap);
}
