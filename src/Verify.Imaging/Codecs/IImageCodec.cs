namespace Verify.Imaging.Codecs;

/// <summary>Checks decoded dimensions before any pixel is decoded; throws <see cref="ImageDecodeException"/>.</summary>
internal delegate void SizeCheck(int width, int height);

/// <summary>One native decoder behind a thin interop layer.</summary>
internal interface IImageCodec
{
    ImageFormat Format { get; }

    /// <summary>
    /// Reads only the header: the stored width and height, and why the decoder would refuse this variant of the format
    /// (a CMYK JPEG, an animated WebP) when it would, else null.
    /// </summary>
    (int Width, int Height, string? Unsupported) ReadSize(ReadOnlySpan<byte> data);

    /// <summary>Reads the header, calls <paramref name="check"/>, then decodes into a new RGB image.</summary>
    RgbImage Decode(ReadOnlySpan<byte> data, SizeCheck check);
}
