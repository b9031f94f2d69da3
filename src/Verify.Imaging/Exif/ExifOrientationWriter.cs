using System.Buffers.Binary;

namespace Verify.Imaging.Exif;

/// <summary>Writes a minimal EXIF block holding only the orientation tag, and inserts it into a JPEG.</summary>
public static class ExifOrientationWriter
{
    private const ushort OrientationTag = 0x0112;
    private const ushort ShortType = 3;

    /// <summary>Returns a copy of <paramref name="jpeg"/> with an APP1 Exif segment carrying <paramref name="orientation"/> right after SOI.</summary>
    public static byte[] WithJpegOrientation(ReadOnlySpan<byte> jpeg, ExifOrientation orientation) =>
        WithJpegOrientation(jpeg, (ushort)orientation, littleEndian: true);

    /// <summary>The same with any tag value and byte order, so that tests can write invalid and big-endian blocks.</summary>
    internal static byte[] WithJpegOrientation(ReadOnlySpan<byte> jpeg, ushort orientation, bool littleEndian)
    {
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("The data does not start with a JPEG SOI marker.", nameof(jpeg));
        }

        var tiff = TiffBlock(orientation, littleEndian);
        ReadOnlySpan<byte> exifHeader = "Exif\0\0"u8;
        // APP1 marker, then a big-endian length that counts itself, the Exif header and the TIFF block.
        var segment = new byte[4 + exifHeader.Length + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        exifHeader.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment.AsSpan(4 + exifHeader.Length));
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>A TIFF block (header and one IFD) with a single entry: the orientation tag, type SHORT, count 1.</summary>
    internal static byte[] TiffBlock(ushort orientation, bool littleEndian)
    {
        // Header (8), entry count (2), one 12-byte entry, next-IFD offset (4, zero: no more IFDs).
        var tiff = new byte[8 + 2 + 12 + 4];
        tiff[0] = tiff[1] = (byte)(littleEndian ? 'I' : 'M');
        Write16(tiff.AsSpan(2), 42, littleEndian);
        Write32(tiff.AsSpan(4), 8, littleEndian);
        Write16(tiff.AsSpan(8), 1, littleEndian);
        Write16(tiff.AsSpan(10), OrientationTag, littleEndian);
        Write16(tiff.AsSpan(12), ShortType, littleEndian);
        Write32(tiff.AsSpan(14), 1, littleEndian);
        // A SHORT value sits left-justified in the 4-byte value field.
        Write16(tiff.AsSpan(18), orientation, littleEndian);
        return tiff;
    }

    private static void Write16(Span<byte> target, ushort value, bool littleEndian)
    {
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(target, value);
        }
    }

    private static void Write32(Span<byte> target, uint value, bool littleEndian)
    {
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(target, value);
        }
    }
}
