using System.Text;
using Verify.Imaging.Codecs;

namespace Verify.Imaging;

/// <summary>Recognises an image format from its leading bytes; file names and declared types are never trusted.</summary>
public static class ImageFormatSniffer
{
    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> PngMagic => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly string[] HeicBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"];

    private static readonly string[] AvifBrands = ["avif", "avis"];

    /// <summary>The supported format the bytes start with, or <see cref="ImageFormat.Unknown"/>.</summary>
    public static ImageFormat Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(JpegMagic))
        {
            return ImageFormat.Jpeg;
        }

        if (data.StartsWith(PngMagic))
        {
            return ImageFormat.Png;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        if (Jpeg2000Framing.IsJp2(data) || Jpeg2000Framing.IsCodestream(data))
        {
            return ImageFormat.Jpeg2000;
        }

        return SniffIsoMediaBrand(data);
    }

    /// <summary>
    /// A short description of what unsupported bytes look like ("a PDF document"), for error messages;
    /// null when nothing is recognised.
    /// </summary>
    public static string? DescribeUnsupported(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("%PDF-"u8))
        {
            return "a PDF document";
        }

        if (Jpeg2000Framing.IsJp2(data) || Jpeg2000Framing.IsCodestream(data))
        {
            return "a JPEG 2000 image";
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return "a GIF image";
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return "a TIFF image";
        }

        if (data.Length >= 14 && data.StartsWith("BM"u8))
        {
            return "a BMP image";
        }

        if (data.StartsWith("PK\u0003\u0004"u8))
        {
            return "a ZIP archive or office document";
        }

        if (data.StartsWith("\u007fELF"u8))
        {
            return "an executable";
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8))
        {
            return "a RIFF container that is not WebP";
        }

        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return $"an ISO media file of brand '{Encoding.ASCII.GetString(data.Slice(8, 4))}' (a video, not a still image)";
        }

        var start = TrimLeadingWhitespace(data);
        if (start.StartsWith("<svg"u8) || start.StartsWith("<?xml"u8))
        {
            return "an SVG or XML document";
        }

        if (start.StartsWith("<"u8))
        {
            return "an HTML document";
        }

        return null;
    }

    /// <summary>HEIF-family files start with an 'ftyp' box listing brands; the brands tell HEIC from AVIF.</summary>
    private static ImageFormat SniffIsoMediaBrand(ReadOnlySpan<byte> data)
    {
        if (data.Length < 16 || !data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return ImageFormat.Unknown;
        }

        int boxSize = (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
        int end = Math.Min(boxSize is >= 16 and <= 4096 ? boxSize : 16, data.Length);
        var brands = new List<string> { Encoding.ASCII.GetString(data.Slice(8, 4)) };
        for (int offset = 16; offset + 4 <= end; offset += 4)
        {
            brands.Add(Encoding.ASCII.GetString(data.Slice(offset, 4)));
        }

        if (AvifBrands.Contains(brands[0]) || (brands[0] is "mif1" or "msf1" && brands.Any(AvifBrands.Contains)))
        {
            return ImageFormat.Avif;
        }

        if (HeicBrands.Contains(brands[0]) || brands.Any(HeicBrands.Contains))
        {
            return ImageFormat.Heic;
        }

        return ImageFormat.Unknown;
    }

    private static ReadOnlySpan<byte> TrimLeadingWhitespace(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("\uFEFF"u8))
        {
            data = data[3..];
        }

        int i = 0;
        while (i < data.Length && i < 256 && data[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return data[i..];
    }
}
