using Verify.Imaging.Codecs;
using Verify.Imaging.Exif;

namespace Verify.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, HEIC and AVIF (and JPEG 2000 where <see cref="ImageDecoderOptions.AllowJpeg2000"/> is set) into upright 8-bit RGB. The format is sniffed from the bytes,
/// the header is read and the size limits enforced before any full decode, and every failure is an
/// <see cref="ImageDecodeException"/> with a message fit for the person who sent the image.
/// </summary>
/// <remarks>Thread-safe: each call uses its own native decoder state.</remarks>
public sealed class ImageDecoder(ImageDecoderOptions options)
{
    private static readonly IImageCodec Jpeg = new JpegCodec();
    private static readonly IImageCodec Png = new PngCodec();
    private static readonly IImageCodec WebP = new WebPCodec();
    private static readonly IImageCodec Heic = new HeifCodec(ImageFormat.Heic);
    private static readonly IImageCodec Avif = new HeifCodec(ImageFormat.Avif);
    private static readonly IImageCodec Jpeg2000 = new Jpeg2000Codec();

    public ImageDecoder()
        : this(new ImageDecoderOptions())
    {
    }

    /// <summary>Supported formats, for messages and API documentation.</summary>
    public static string SupportedFormats => "JPEG, PNG, WebP, HEIC or AVIF";

    /// <summary>The formats this decoder accepts: <see cref="SupportedFormats"/>, and JPEG 2000 where the options allow it.</summary>
    public string AcceptedFormats => options.AllowJpeg2000 ? "JPEG, PNG, WebP, HEIC, AVIF or JPEG 2000" : SupportedFormats;

    /// <summary>Reads format, stored size and orientation from the header; enforces nothing.</summary>
    public ImageInfo Identify(ReadOnlySpan<byte> data)
    {
        var codec = CodecFor(data);
        (int width, int height, _) = codec.ReadSize(data);
        return new ImageInfo(codec.Format, width, height, ExifOrientationReader.Read(codec.Format, data));
    }

    /// <summary>
    /// The checks an untrusted upload gets where it is received, without decoding a pixel: the format from the bytes, the
    /// container's framing (<see cref="ImageStructure"/>), the variant (no CMYK JPEG, no animated WebP) and the size from
    /// the header within the limits (<see cref="CheckSize"/>), so that empty, unsupported, truncated and oversized images
    /// are refused precisely.
    /// A corrupt image that passes is found by the full <see cref="Decode"/> where the pipeline runs.
    /// </summary>
    public ImageInfo Inspect(ReadOnlySpan<byte> data)
    {
        // The framing first: a file cut inside its header is then truncated, not a header the reader calls corrupt.
        ImageStructure.Check(Sniff(data), data);
        var codec = CodecFor(data);
        (int width, int height, string? unsupported) = codec.ReadSize(data);
        if (unsupported is not null)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, codec.Format, unsupported);
        }

        CheckSize(codec.Format, width, height);
        return new ImageInfo(codec.Format, width, height, ExifOrientationReader.Read(codec.Format, data));
    }

    /// <summary>Decodes to upright RGB; the caller owns (and disposes) the result.</summary>
    public RgbImage Decode(ReadOnlySpan<byte> data)
    {
        var codec = CodecFor(data);
        var stored = codec.Decode(data, (width, height) => CheckSize(codec.Format, width, height));
        var orientation = ExifOrientationReader.Read(codec.Format, data);
        if (orientation == ExifOrientation.Normal)
        {
            return stored;
        }

        using (stored)
        {
            return ExifOrientationTransform.Apply(stored, orientation);
        }
    }

    /// <summary>Throws <see cref="ImageDecodeException"/> with <see cref="ImageDecodeError.TooLarge"/> past the limits.</summary>
    public void CheckSize(ImageFormat format, int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException(ImageDecodeError.Corrupt, format, $"The image header states an impossible size ({width}x{height}).");
        }

        long pixels = (long)width * height;
        if (pixels > options.MaxPixels || width > options.MaxDimension || height > options.MaxDimension)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge, format,
                $"The image is {width}x{height} pixels ({pixels / 1e6:0.##} megapixels); the limit is " +
                $"{options.MaxPixels / 1e6:0.#} megapixels and {options.MaxDimension} pixels a side.");
        }
    }

    /// <summary>The sniffed format; JPEG 2000 counts as unknown unless the options allow it.</summary>
    private ImageFormat Sniff(ReadOnlySpan<byte> data) => ImageFormatSniffer.Sniff(data) switch
    {
        ImageFormat.Jpeg2000 when !options.AllowJpeg2000 => ImageFormat.Unknown,
        var format => format,
    };

    private IImageCodec CodecFor(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ImageDecodeException(ImageDecodeError.Empty, ImageFormat.Unknown, "The image is empty (zero bytes).");
        }

        return Sniff(data) switch
        {
            ImageFormat.Jpeg => Jpeg,
            ImageFormat.Png => Png,
            ImageFormat.WebP => WebP,
            ImageFormat.Heic => Heic,
            ImageFormat.Avif => Avif,
            ImageFormat.Jpeg2000 => Jpeg2000,
            _ => throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, ImageFormat.Unknown,
                ImageFormatSniffer.DescribeUnsupported(data) is { } what
                    ? $"The data is {what}, not an image in a supported format ({AcceptedFormats})."
                    : $"The data is not an image in a supported format ({AcceptedFormats})."),
        };
    }
}
