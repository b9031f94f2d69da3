using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Verify.Imaging.Codecs;

namespace Verify.Imaging;

/// <summary>
/// Cheap structural checks of an encoded image, in managed code and without a decoder: whether the container's own
/// framing (JPEG segments up to the end-of-image marker, PNG chunks up to IEND, the RIFF size and chunks of a WebP,
/// the top-level boxes of a HEIF file, a JPEG 2000 file's boxes and tile-parts) fits in the bytes. The API runs them on untrusted uploads instead of a full
/// native decode, so that a cut-off upload is still refused as truncated while only the worker decodes pixels.
/// </summary>
/// <remarks>
/// Only the framing is read: the compressed data inside is not. Whatever follows a complete image (a phone's motion
/// photo after the JPEG's end marker, padding after IEND) is ignored, as the decoders ignore it.
/// </remarks>
public static class ImageStructure
{
    /// <summary>Throws <see cref="ImageDecodeException"/> (<see cref="ImageDecodeError.Truncated"/> or <see cref="ImageDecodeError.Corrupt"/>) when the framing does not fit.</summary>
    public static void Check(ImageFormat format, ReadOnlySpan<byte> data)
    {
        string? truncated = format switch
        {
            ImageFormat.Jpeg => CheckJpeg(data),
            ImageFormat.Png => CheckPng(data),
            ImageFormat.WebP => CheckRiff(data),
            ImageFormat.Heic or ImageFormat.Avif => CheckIsoBoxes(format, data),
            ImageFormat.Jpeg2000 => Jpeg2000Framing.Truncation(data),
            _ => null,
        };
        if (truncated is not null)
        {
            throw new ImageDecodeException(ImageDecodeError.Truncated, format, $"The {Name(format)} data is truncated ({truncated}).");
        }
    }

    /// <summary>Walks the JPEG markers from SOI to EOI, skipping each segment by its length and each scan's entropy-coded data.</summary>
    private static string? CheckJpeg(ReadOnlySpan<byte> data)
    {
        int position = 2;
        while (true)
        {
            // Fill bytes and (tolerated, as libjpeg tolerates them) stray bytes before a marker.
            int marker = data[position..].IndexOf((byte)0xFF);
            if (marker < 0)
            {
                return "it ends before the end-of-image marker";
            }

            position += marker;
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return "it ends inside a marker";
            }

            byte code = data[position++];
            if (code == 0xD9)
            {
                return null;
            }

            if (code is 0x00 or 0x01 or (>= 0xD0 and <= 0xD8))
            {
                continue;
            }

            if (position + 2 > data.Length)
            {
                return "it ends inside a segment header";
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2)
            {
                Corrupt(ImageFormat.Jpeg, "a segment states a length below 2");
            }

            if ((long)position + length > data.Length)
            {
                return "a segment is longer than the data";
            }

            position += length;
            if (code == 0xDA)
            {
                position = SkipEntropyCodedData(data, position);
                if (position < 0)
                {
                    return "it ends inside the compressed image data";
                }
            }
        }
    }

    /// <summary>The position of the first marker after a scan's data (a 0xFF not followed by 0x00 or a restart marker); -1 when the data ends first.</summary>
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int position)
    {
        while (true)
        {
            int next = data[position..].IndexOf((byte)0xFF);
            if (next < 0 || position + next + 1 >= data.Length)
            {
                return -1;
            }

            position += next;
            byte following = data[position + 1];
            if (following is 0x00 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }

            if (following == 0xFF)
            {
                position++;
                continue;
            }

            return position;
        }
    }

    /// <summary>Walks the PNG chunks after the signature, each by its stated length, up to IEND.</summary>
    private static string? CheckPng(ReadOnlySpan<byte> data)
    {
        long position = 8;
        while (true)
        {
            if (position + 8 > data.Length)
            {
                return "it ends before the IEND chunk";
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)position..]);
            if (length > int.MaxValue)
            {
                Corrupt(ImageFormat.Png, "a chunk states a length above 2^31 - 1");
            }

            bool end = data.Slice((int)position + 4, 4).SequenceEqual("IEND"u8);
            position += 12L + length;
            if (position > data.Length)
            {
                return "a chunk is longer than the data";
            }

            if (end)
            {
                return null;
            }
        }
    }

    /// <summary>Checks the RIFF size against the data and walks the chunks inside it (each padded to an even length).</summary>
    private static string? CheckRiff(ReadOnlySpan<byte> data)
    {
        long end = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L;
        if (end > data.Length)
        {
            return "the RIFF header states more bytes than were sent";
        }

        long position = 12;
        while (position < end)
        {
            if (position + 8 > end)
            {
                return "it ends inside a chunk header";
            }

            uint size = BinaryPrimitives.ReadUInt32LittleEndian(data[((int)position + 4)..]);
            position += 8L + size + (size & 1);
            // The last chunk's padding byte is often left out; the chunk itself must fit.
            if (position - (size & 1) > end)
            {
                return "a chunk is longer than the data";
            }
        }

        return null;
    }

    /// <summary>Walks the top-level ISO-BMFF boxes (32-bit, 64-bit and to-the-end sizes) to the end of the data.</summary>
    private static string? CheckIsoBoxes(ImageFormat format, ReadOnlySpan<byte> data)
    {
        long position = 0;
        while (position < data.Length)
        {
            if (position + 8 > data.Length)
            {
                return "it ends inside a box header";
            }

            long size = BinaryPrimitives.ReadUInt32BigEndian(data[(int)position..]);
            int header = 8;
            if (size == 1)
            {
                if (position + 16 > data.Length)
                {
                    return "it ends inside a box header";
                }

                ulong large = BinaryPrimitives.ReadUInt64BigEndian(data[((int)position + 8)..]);
                size = large > long.MaxValue ? long.MaxValue : (long)large;
                header = 16;
            }
            else if (size == 0)
            {
                return null;
            }

            if (size < header)
            {
                Corrupt(format, "a box states a size smaller than its header");
            }

            if (size > data.Length - position)
            {
                return "a box is larger than the data";
            }

            position += size;
        }

        return null;
    }

    [DoesNotReturn]
    private static void Corrupt(ImageFormat format, string what) =>
        throw new ImageDecodeException(ImageDecodeError.Corrupt, format, $"The {Name(format)} data is corrupt ({what}).");

    private static string Name(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "JPEG",
        ImageFormat.Png => "PNG",
        ImageFormat.WebP => "WebP",
        ImageFormat.Heic => "HEIC",
        ImageFormat.Avif => "AVIF",
        ImageFormat.Jpeg2000 => "JPEG 2000",
        _ => "image",
    };
}
