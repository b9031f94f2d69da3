using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>WebP encoding through libwebp, the library the decoder uses; for fixtures and the decoders' fuzz corpus, never for uploads.</summary>
internal static partial class WebPEncoder
{
    private const string Library = "libwebp.so.7";

    /// <summary>Encodes packed RGB (3 channels) or RGBA (4 channels, always lossless); RGB lossy at quality 90 unless <paramref name="lossless"/>.</summary>
    public static unsafe byte[] Encode(ReadOnlySpan<byte> samples, int width, int height, int channels, bool lossless)
    {
        if (channels is not (3 or 4) || samples.Length < (long)width * height * channels)
        {
            throw new ArgumentException($"Expected {width}x{height} packed samples of 3 or 4 channels.", nameof(samples));
        }

        byte* output = null;
        nuint size;
        fixed (byte* source = samples)
        {
            int stride = width * channels;
            size = channels == 4 ? WebPEncodeLosslessRGBA(source, width, height, stride, &output)
                : lossless ? WebPEncodeLosslessRGB(source, width, height, stride, &output)
                : WebPEncodeRGB(source, width, height, stride, 90f, &output);
        }

        try
        {
            return size == 0 ? throw new InvalidOperationException("libwebp could not encode the image.") : new ReadOnlySpan<byte>(output, checked((int)size)).ToArray();
        }
        finally
        {
            if (output != null)
            {
                WebPFree(output);
            }
        }
    }

    [LibraryImport(Library)]
    private static unsafe partial nuint WebPEncodeRGB(byte* rgb, int width, int height, int stride, float quality, byte** output);

    [LibraryImport(Library)]
    private static unsafe partial nuint WebPEncodeLosslessRGB(byte* rgb, int width, int height, int stride, byte** output);

    [LibraryImport(Library)]
    private static unsafe partial nuint WebPEncodeLosslessRGBA(byte* rgba, int width, int height, int stride, byte** output);

    [LibraryImport(Library)]
    private static unsafe partial void WebPFree(void* pointer);
}
