using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>WebP (lossy, lossless, with or without alpha; still images only) through libwebp.</summary>
internal sealed partial class WebPCodec : IImageCodec
{
    private const string Library = "libwebp.so.7";

    // WEBP_DECODER_ABI_VERSION of libwebp 1.2: the features call checks the caller was built against it.
    private const int DecoderAbiVersion = 0x0209;
    private const int StatusOk = 0;
    private const int StatusNotEnoughData = 7;

    public ImageFormat Format => ImageFormat.WebP;

    private const string AnimationRefused = "Animated WebP images are not supported; send a still photo.";

    public (int Width, int Height, string? Unsupported) ReadSize(ReadOnlySpan<byte> data)
    {
        var features = ReadFeatures(data);
        return (features.Width, features.Height, features.HasAnimation != 0 ? AnimationRefused : null);
    }

    public unsafe RgbImage Decode(ReadOnlySpan<byte> data, SizeCheck check)
    {
        var features = ReadFeatures(data);
        if (features.HasAnimation != 0)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, Format, AnimationRefused);
        }

        check(features.Width, features.Height);
        var image = RgbImage.Allocate(features.Width, features.Height);
        try
        {
            if (features.HasAlpha != 0)
            {
                DecodeOntoWhite(data, image);
            }
            else
            {
                fixed (byte* source = data)
                fixed (byte* target = image.Pixels)
                {
                    if (WebPDecodeRGBInto(source, (nuint)data.Length, target, (nuint)image.Length, image.Stride) == null)
                    {
                        throw DecodeFailure(data);
                    }
                }
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Decodes RGBA into a pooled scratch buffer and composites it onto white, as PNG transparency is.</summary>
    private unsafe void DecodeOntoWhite(ReadOnlySpan<byte> data, RgbImage image)
    {
        int stride = image.Width * 4;
        byte[] rgba = System.Buffers.ArrayPool<byte>.Shared.Rent(stride * image.Height);
        try
        {
            fixed (byte* source = data)
            fixed (byte* target = rgba)
            {
                if (WebPDecodeRGBAInto(source, (nuint)data.Length, target, (nuint)(stride * image.Height), stride) == null)
                {
                    throw DecodeFailure(data);
                }
            }

            AlphaCompositing.OntoWhite(rgba, stride, premultiplied: false, image);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rgba, clearArray: true);
        }
    }

    private ImageDecodeException DecodeFailure(ReadOnlySpan<byte> data) => DeclaresMoreThanPresent(data)
        ? new ImageDecodeException(ImageDecodeError.Truncated, Format, "The WebP data is truncated.")
        : new ImageDecodeException(ImageDecodeError.Corrupt, Format, "The WebP data is corrupt.");

    private unsafe BitstreamFeatures ReadFeatures(ReadOnlySpan<byte> data)
    {
        BitstreamFeatures features;
        int status;
        fixed (byte* source = data)
        {
            status = WebPGetFeaturesInternal(source, (nuint)data.Length, &features, DecoderAbiVersion);
        }

        return status switch
        {
            StatusOk => features,
            StatusNotEnoughData => throw new ImageDecodeException(ImageDecodeError.Truncated, Format,
                "The WebP data is truncated (the header is incomplete)."),
            _ => throw new ImageDecodeException(ImageDecodeError.Corrupt, Format,
                $"The WebP data is corrupt (libwebp status {status})."),
        };
    }

    /// <summary>The RIFF header states the file length; a shorter buffer was cut off.</summary>
    private static bool DeclaresMoreThanPresent(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L > data.Length;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct BitstreamFeatures
    {
        public int Width;
        public int Height;
        public int HasAlpha;
        public int HasAnimation;
        public int Format;
        public fixed uint Padding[5];
    }

    [LibraryImport(Library)]
    private static unsafe partial int WebPGetFeaturesInternal(byte* data, nuint size, BitstreamFeatures* features, int version);

    [LibraryImport(Library)]
    private static unsafe partial byte* WebPDecodeRGBAInto(byte* data, nuint size, byte* output, nuint outputSize, int stride);

    [LibraryImport(Library)]
    private static unsafe partial byte* WebPDecodeRGBInto(byte* data, nuint size, byte* output, nuint outputSize, int stride);
}
