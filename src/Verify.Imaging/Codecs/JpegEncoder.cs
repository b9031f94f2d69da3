using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>JPEG encoding through libjpeg-turbo's TurboJPEG 2.1 API, the same library the decoder uses.</summary>
internal static partial class JpegEncoder
{
    private const int PixelFormatRgb = 0;
    private const int Subsampling444 = 0;
    private const int Subsampling420 = 2;
    private const int FlagProgressive = 16384;

    /// <summary>Encodes packed RGB; quality 90 and above keeps full chroma, below uses 4:2:0 as phone cameras do.</summary>
    public static unsafe byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height, int quality, bool progressive = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (rgb.Length < (long)width * height * 3)
        {
            throw new ArgumentException($"Expected {width * height * 3} bytes for a {width}x{height} RGB image.", nameof(rgb));
        }

        using var handle = TurboJpegHandle.Compressor();
        byte* output = null;
        nuint size = 0;
        try
        {
            fixed (byte* source = rgb)
            {
                if (tjCompress2(handle, source, width, width * 3, height, PixelFormatRgb, &output, &size,
                        quality >= 90 ? Subsampling444 : Subsampling420, quality, progressive ? FlagProgressive : 0) != 0)
                {
                    throw new InvalidOperationException("libturbojpeg could not encode the image: " + handle.LastError());
                }
            }

            return new ReadOnlySpan<byte>(output, checked((int)size)).ToArray();
        }
        finally
        {
            // TurboJPEG allocates the output buffer itself and wants it back through tjFree.
            if (output != null)
            {
                tjFree(output);
            }
        }
    }

    [LibraryImport(JpegCodec.Library)]
    private static unsafe partial int tjCompress2(TurboJpegHandle handle, byte* source, int width, int pitch, int height,
        int pixelFormat, byte** jpeg, nuint* size, int subsampling, int quality, int flags);

    [LibraryImport(JpegCodec.Library)]
    private static unsafe partial void tjFree(byte* buffer);
}
