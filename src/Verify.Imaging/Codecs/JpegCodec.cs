using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>JPEG (baseline and progressive) through libjpeg-turbo's TurboJPEG 2.1 API.</summary>
internal sealed partial class JpegCodec : IImageCodec
{
    internal const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgb = 0;
    private const int ColorspaceCmyk = 3;
    private const int ColorspaceYcck = 4;

    // Fail on warnings (a truncated scan is only a warning to libjpeg) and bound the number of progressive
    // scans, which otherwise lets a small file keep the decoder busy for minutes.
    private const int DecodeFlags = FlagStopOnWarning | FlagLimitScans;
    private const int FlagStopOnWarning = 8192;
    private const int FlagLimitScans = 32768;

    public ImageFormat Format => ImageFormat.Jpeg;

    private const string CmykRefused = "CMYK JPEG images are not supported; save the photo as an RGB JPEG.";

    public (int Width, int Height, string? Unsupported) ReadSize(ReadOnlySpan<byte> data)
    {
        using var handle = TurboJpegHandle.Decompressor();
        var header = ReadHeader(handle, data);
        return (header.Width, header.Height, header.Colorspace is ColorspaceCmyk or ColorspaceYcck ? CmykRefused : null);
    }

    public unsafe RgbImage Decode(ReadOnlySpan<byte> data, SizeCheck check)
    {
        using var handle = TurboJpegHandle.Decompressor();
        var header = ReadHeader(handle, data);
        if (header.Colorspace is ColorspaceCmyk or ColorspaceYcck)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, Format, CmykRefused);
        }

        check(header.Width, header.Height);
        var image = RgbImage.Allocate(header.Width, header.Height);
        fixed (byte* source = data)
        fixed (byte* target = image.Pixels)
        {
            int result = tjDecompress2(handle, source, (nuint)data.Length, target, header.Width, image.Stride,
                header.Height, PixelFormatRgb, DecodeFlags);
            if (result != 0)
            {
                image.Dispose();
                throw Failure(handle, data, "decoding");
            }
        }

        return image;
    }

    private unsafe Header ReadHeader(TurboJpegHandle handle, ReadOnlySpan<byte> data)
    {
        int width, height, subsampling, colorspace;
        fixed (byte* source = data)
        {
            if (tjDecompressHeader3(handle, source, (nuint)data.Length, &width, &height, &subsampling, &colorspace) != 0)
            {
                throw Failure(handle, data, "reading the header of");
            }
        }

        return new Header(width, height, colorspace);
    }

    private ImageDecodeException Failure(TurboJpegHandle handle, ReadOnlySpan<byte> data, string stage)
    {
        string detail = handle.LastError();
        return EndsWithEndOfImage(data)
            ? new ImageDecodeException(ImageDecodeError.Corrupt, Format, $"The JPEG data is corrupt ({stage} it failed: {detail}).")
            : new ImageDecodeException(ImageDecodeError.Truncated, Format, $"The JPEG data is truncated ({stage} it failed: {detail}).");
    }

    /// <summary>A complete JPEG stream ends with the EOI marker (FF D9), possibly followed by zero padding.</summary>
    private static bool EndsWithEndOfImage(ReadOnlySpan<byte> data)
    {
        var trimmed = data.TrimEnd((byte)0);
        return trimmed.Length >= 2 && trimmed[^2] == 0xFF && trimmed[^1] == 0xD9;
    }

    private readonly record struct Header(int Width, int Height, int Colorspace);

    [LibraryImport(Library)]
    private static unsafe partial int tjDecompressHeader3(TurboJpegHandle handle, byte* jpeg, nuint size,
        int* width, int* height, int* subsampling, int* colorspace);

    [LibraryImport(Library)]
    private static unsafe partial int tjDecompress2(TurboJpegHandle handle, byte* jpeg, nuint size, byte* target,
        int width, int pitch, int height, int pixelFormat, int flags);
}
