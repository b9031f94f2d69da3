using System.Buffers.Binary;

namespace Verify.Imaging.Exif;

/// <summary>
/// Finds the EXIF block of a JPEG (APP1), PNG (eXIf) or WebP (EXIF chunk) and reads its orientation tag.
/// Everything is bounds-checked: a malformed block yields <see cref="ExifOrientation.Normal"/>, never an exception.
/// </summary>
/// <remarks>
/// Only the one tag the pipeline needs is read. HEIF carries its rotation in the container (irot/imir),
/// which libheif applies itself, so HEIF files are never rotated twice.
/// </remarks>
public static class ExifOrientationReader
{
    private const ushort OrientationTag = 0x0112;
    private const ushort ShortType = 3;
    private const int MaxSegments = 4096;

    private static ReadOnlySpan<byte> ExifHeader => "Exif\0\0"u8;

    public static ExifOrientation Read(ImageFormat format, ReadOnlySpan<byte> data) => format switch
    {
        ImageFormat.Jpeg => ReadTiff(FindJpegExif(data)),
        ImageFormat.Png => ReadTiff(FindPngExif(data)),
        ImageFormat.WebP => ReadTiff(FindWebPExif(data)),
        _ => ExifOrientation.Normal,
    };

    /// <summary>Reads the orientation from a TIFF-structured EXIF block (starting at the byte-order mark).</summary>
    public static ExifOrientation ReadTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.StartsWith(ExifHeader))
        {
            tiff = tiff[ExifHeader.Length..];
        }

        if (tiff.Length < 8)
        {
            return ExifOrientation.Normal;
        }

        bool littleEndian;
        if (tiff[0] == 'I' && tiff[1] == 'I')
        {
            littleEndian = true;
        }
        else if (tiff[0] == 'M' && tiff[1] == 'M')
        {
            littleEndian = false;
        }
        else
        {
            return ExifOrientation.Normal;
        }

        if (ReadUInt16(tiff[2..], littleEndian) != 42)
        {
            return ExifOrientation.Normal;
        }

        uint ifdOffset = ReadUInt32(tiff[4..], littleEndian);
        if (ifdOffset < 8 || ifdOffset > tiff.Length - 2)
        {
            return ExifOrientation.Normal;
        }

        var ifd = tiff[(int)ifdOffset..];
        int entries = ReadUInt16(ifd, littleEndian);
        for (int i = 0; i < entries; i++)
        {
            int entryOffset = 2 + (i * 12);
            if (entryOffset + 12 > ifd.Length)
            {
                break;
            }

            var entry = ifd.Slice(entryOffset, 12);
            if (ReadUInt16(entry, littleEndian) != OrientationTag)
            {
                continue;
            }

            if (ReadUInt16(entry[2..], littleEndian) != ShortType || ReadUInt32(entry[4..], littleEndian) != 1)
            {
                return ExifOrientation.Normal;
            }

            ushort value = ReadUInt16(entry[8..], littleEndian);
            return value is >= 1 and <= 8 ? (ExifOrientation)value : ExifOrientation.Normal;
        }

        return ExifOrientation.Normal;
    }

    private static ReadOnlySpan<byte> FindJpegExif(ReadOnlySpan<byte> data)
    {
        int position = 2;
        for (int segment = 0; segment < MaxSegments && position + 4 <= data.Length; segment++)
        {
            if (data[position] != 0xFF)
            {
                break;
            }

            byte marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            // Start of scan or end of image: metadata segments all come before.
            if (marker is 0xDA or 0xD9)
            {
                break;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2 || position + 2 + length > data.Length)
            {
                break;
            }

            var payload = data.Slice(position + 4, length - 2);
            if (marker == 0xE1 && payload.StartsWith(ExifHeader))
            {
                return payload;
            }

            position += 2 + length;
        }

        return [];
    }

    private static ReadOnlySpan<byte> FindPngExif(ReadOnlySpan<byte> data)
    {
        int position = 8;
        for (int chunk = 0; chunk < MaxSegments && position + 12 <= data.Length; chunk++)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var type = data.Slice(position + 4, 4);
            if (length > (uint)(data.Length - position - 12))
            {
                break;
            }

            if (type.SequenceEqual("eXIf"u8))
            {
                return data.Slice(position + 8, (int)length);
            }

            if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            position += 12 + (int)length;
        }

        return [];
    }

    private static ReadOnlySpan<byte> FindWebPExif(ReadOnlySpan<byte> data)
    {
        int position = 12;
        for (int chunk = 0; chunk < MaxSegments && position + 8 <= data.Length; chunk++)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
            if (length > (uint)(data.Length - position - 8))
            {
                break;
            }

            if (data.Slice(position, 4).SequenceEqual("EXIF"u8))
            {
                return data.Slice(position + 8, (int)length);
            }

            // Chunks are padded to an even size.
            position += 8 + (int)length + (int)(length & 1);
        }

        return [];
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16BigEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32BigEndian(data);
}
