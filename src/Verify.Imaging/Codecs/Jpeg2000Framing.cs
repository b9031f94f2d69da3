using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Verify.Imaging.Codecs;

/// <summary>
/// Managed reading of a JPEG 2000 file's framing: the JP2 boxes (signature, file type, image header, codestream), the
/// codestream's main header (SIZ, COD) and its tile-parts up to the end-of-codestream marker. Sizes, tile and packet
/// counts and truncation are known from it before openjpeg sees a byte.
/// </summary>
internal static class Jpeg2000Framing
{
    /// <summary>
    /// Most tiles a codestream may declare. openjpeg sets up every tile's coding parameters while it reads the main
    /// header, so a header of a hundred bytes declaring 65,535 tiles costs hundreds of megabytes before any limit on
    /// pixels applies; real encoders use one tile for a portrait and a few hundred for the largest photos.
    /// </summary>
    public const int MaxTiles = 1024;

    /// <summary>
    /// Most packets (quality layers x components x resolutions x precincts) the main header may declare: openjpeg
    /// walks every one of them even where the data holds none. A 40-megapixel photo with 20 layers and 128-pixel
    /// precincts has about 200,000.
    /// </summary>
    public const double MaxPackets = 1 << 22;

    private const ushort StartOfCodestream = 0xFF4F;
    private const ushort ImageAndTileSize = 0xFF51;
    private const ushort CodingStyleDefault = 0xFF52;
    private const ushort StartOfTilePart = 0xFF90;
    private const ushort EndOfCodestream = 0xFFD9;

    private const uint FileTypeBox = 0x66747970; // 'ftyp'
    private const uint HeaderBox = 0x6A703268; // 'jp2h'
    private const uint ImageHeaderBox = 0x69686472; // 'ihdr'
    private const uint CodestreamBox = 0x6A703263; // 'jp2c'

    // The JP2 signature box: length 12, type 'jP  ', then CR LF 0x87 LF.
    private static ReadOnlySpan<byte> Signature => [0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A];

    /// <summary>Whether the data starts with the JP2 signature box.</summary>
    public static bool IsJp2(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>Whether the data starts as a raw codestream: SOC, then SIZ.</summary>
    public static bool IsCodestream(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && BinaryPrimitives.ReadUInt16BigEndian(data) == StartOfCodestream
        && BinaryPrimitives.ReadUInt16BigEndian(data[2..]) == ImageAndTileSize;

    /// <summary>
    /// Why the framing does not fit in the data (null when it does): a box or marker segment longer than the data, no
    /// codestream box, no end-of-codestream marker. Throws <see cref="ImageDecodeException"/> (Corrupt) for framing that
    /// is not JPEG 2000 at all.
    /// </summary>
    public static string? Truncation(ReadOnlySpan<byte> data)
    {
        if (!IsJp2(data))
        {
            return CodestreamTruncation(data);
        }

        var boxes = ReadBoxes(data);
        if (boxes.Truncated is not null)
        {
            return boxes.Truncated;
        }

        return boxes.Codestream is { } codestream ? CodestreamTruncation(data[codestream]) : "it ends before the codestream box";
    }

    /// <summary>
    /// The stated size (the JP2 image header's, else the SIZ marker's) and, when the codestream's main header is there,
    /// what it declares; throws <see cref="ImageDecodeException"/> when even the stated size cannot be read.
    /// </summary>
    public static Jpeg2000Header ReadHeader(ReadOnlySpan<byte> data)
    {
        if (!IsJp2(data))
        {
            var main = ReadMainHeader(data, out string? truncated) ?? throw Truncated(truncated!);
            return new Jpeg2000Header(Jp2: false, main.Width, main.Height, main);
        }

        var boxes = ReadBoxes(data);
        if (boxes.ImageHeader is not { } size)
        {
            throw boxes.Truncated is { } where ? Truncated(where) : Corrupt("no image header box precedes the codestream");
        }

        var codestream = boxes.Codestream is { } range ? ReadMainHeader(data[range], out _) : null;
        return new Jpeg2000Header(Jp2: true, size.Width, size.Height, codestream);
    }

    /// <summary>The "truncated" error of the format, with what was cut.</summary>
    public static ImageDecodeException Truncated(string what) =>
        new(ImageDecodeError.Truncated, ImageFormat.Jpeg2000, $"The JPEG 2000 data is truncated ({what}).");

    /// <summary>The "corrupt" error of the format, with what is wrong.</summary>
    public static ImageDecodeException Corrupt(string what) =>
        new(ImageDecodeError.Corrupt, ImageFormat.Jpeg2000, $"The JPEG 2000 data is corrupt ({what}).");

    /// <summary>Walks the top-level boxes after the signature up to the codestream box, reading the image header on the way.</summary>
    private static Jp2Boxes ReadBoxes(ReadOnlySpan<byte> data)
    {
        (int Width, int Height)? imageHeader = null;
        long position = Signature.Length;
        bool first = true;
        while (position < data.Length)
        {
            if (!TryReadBox(data, position, out uint type, out long content, out long end, out string? truncated))
            {
                return new Jp2Boxes(imageHeader, null, truncated);
            }

            // The file type box must follow the signature: anything else after it is not JP2, whatever its lengths say.
            if (first && type != FileTypeBox)
            {
                ThrowCorrupt("the signature is not followed by a file type box");
            }

            first = false;
            if (end > data.Length)
            {
                return new Jp2Boxes(imageHeader, null, "a box is larger than the data");
            }

            if (type == HeaderBox)
            {
                imageHeader = ReadImageHeader(data[(int)content..(int)end]) ?? imageHeader;
            }
            else if (type == CodestreamBox)
            {
                return new Jp2Boxes(imageHeader, (int)content..(int)end, null);
            }

            position = end;
        }

        return new Jp2Boxes(imageHeader, null, first ? "it ends after the signature" : null);
    }

    /// <summary>Reads a box header (32-bit, 64-bit or to-the-end length) at <paramref name="position"/>; false when the data ends inside it.</summary>
    private static bool TryReadBox(ReadOnlySpan<byte> data, long position, out uint type, out long content, out long end, out string? truncated)
    {
        (type, content, end, truncated) = (0, 0, 0, null);
        if (position + 8 > data.Length)
        {
            truncated = "it ends inside a box header";
            return false;
        }

        long size = BinaryPrimitives.ReadUInt32BigEndian(data[(int)position..]);
        type = BinaryPrimitives.ReadUInt32BigEndian(data[((int)position + 4)..]);
        int header = 8;
        if (size == 1)
        {
            if (position + 16 > data.Length)
            {
                truncated = "it ends inside a box header";
                return false;
            }

            ulong large = BinaryPrimitives.ReadUInt64BigEndian(data[((int)position + 8)..]);
            size = large > long.MaxValue ? long.MaxValue : (long)large;
            header = 16;
        }
        else if (size == 0)
        {
            size = data.Length - position;
        }

        if (size < header)
        {
            ThrowCorrupt("a box states a length smaller than its header");
        }

        content = position + header;
        end = position + Math.Min(size, long.MaxValue - position);
        return true;
    }

    /// <summary>The width and height of the 'ihdr' box inside a JP2 header box, null when it has none.</summary>
    private static (int Width, int Height)? ReadImageHeader(ReadOnlySpan<byte> header)
    {
        long position = 0;
        while (TryReadBox(header, position, out uint type, out long content, out long end, out _) && end <= header.Length)
        {
            if (type == ImageHeaderBox)
            {
                if (end - content < 14)
                {
                    ThrowCorrupt("the image header box is too short");
                }

                // HEIGHT comes before WIDTH in 'ihdr'.
                var fields = header[(int)content..];
                return (Clamp(BinaryPrimitives.ReadUInt32BigEndian(fields[4..])), Clamp(BinaryPrimitives.ReadUInt32BigEndian(fields)));
            }

            position = end;
        }

        return null;
    }

    /// <summary>Reads SIZ and, when the main header is there, COD; null with the reason when the data ends inside SIZ.</summary>
    private static Jpeg2000MainHeader? ReadMainHeader(ReadOnlySpan<byte> codestream, out string? truncated)
    {
        truncated = "it ends inside the image and tile size marker";
        if (codestream.Length < 6)
        {
            return null;
        }

        if (!IsCodestream(codestream))
        {
            ThrowCorrupt("the codestream does not start with the SOC and SIZ markers");
        }

        // Lsiz = 38 + 3 bytes per component; a length that cannot be is damage, not a cut.
        int length = BinaryPrimitives.ReadUInt16BigEndian(codestream[4..]);
        if (length < 41 || (length - 38) % 3 != 0)
        {
            ThrowCorrupt($"the image and tile size marker states a length of {length}");
        }

        if (codestream.Length < 42)
        {
            return null;
        }

        var siz = codestream[4..];
        static uint Field(ReadOnlySpan<byte> siz, int index) => BinaryPrimitives.ReadUInt32BigEndian(siz[(4 + (index * 4))..]);
        (uint x1, uint y1, uint x0, uint y0, uint tileWidth, uint tileHeight, uint tileX0, uint tileY0) =
            (Field(siz, 0), Field(siz, 1), Field(siz, 2), Field(siz, 3), Field(siz, 4), Field(siz, 5), Field(siz, 6), Field(siz, 7));
        int components = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        if (components == 0 || length != 38 + (3 * components))
        {
            ThrowCorrupt($"the image and tile size marker states {components} components in {length} bytes");
        }

        if (x1 <= x0 || y1 <= y0 || tileWidth == 0 || tileHeight == 0 || tileX0 > x0 || tileY0 > y0
            || (ulong)tileX0 + tileWidth <= x0 || (ulong)tileY0 + tileHeight <= y0)
        {
            ThrowCorrupt("the image and tile size marker states an impossible image or tile grid");
        }

        if (codestream.Length < 4 + length)
        {
            return null;
        }

        truncated = null;
        var subsampling = new (int Dx, int Dy)[components];
        for (int c = 0; c < components; c++)
        {
            (int dx, int dy) = (siz[39 + (3 * c)], siz[40 + (3 * c)]);
            if (dx == 0 || dy == 0)
            {
                ThrowCorrupt("a component states a subsampling of zero");
            }

            subsampling[c] = (dx, dy);
        }

        long tilesAcross = (long)CeilingDivide(x1 - tileX0, tileWidth);
        long tilesDown = (long)CeilingDivide(y1 - tileY0, tileHeight);
        var coding = FindCodingStyle(codestream, 4 + length);
        double packets = coding is { } style ? EstimatePackets(style, subsampling, x1 - x0, y1 - y0, tilesAcross, tilesDown) : 0;
        return new Jpeg2000MainHeader(Clamp(x1 - x0), Clamp(y1 - y0), components, tilesAcross * tilesDown, coding?.Layers ?? 0, packets);
    }

    /// <summary>The COD marker of the main header (layers, levels, precinct sizes), null when the data ends before it.</summary>
    private static CodingStyle? FindCodingStyle(ReadOnlySpan<byte> codestream, int position)
    {
        while (position + 4 <= codestream.Length)
        {
            ushort marker = BinaryPrimitives.ReadUInt16BigEndian(codestream[position..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(codestream[(position + 2)..]);
            if (marker == StartOfTilePart || marker < 0xFF30 || length < 2 || position + 2 + length > codestream.Length)
            {
                return null;
            }

            if (marker == CodingStyleDefault)
            {
                var cod = codestream.Slice(position + 4, length - 2);
                if (cod.Length < 10)
                {
                    ThrowCorrupt("the coding style marker is too short");
                }

                bool definedPrecincts = (cod[0] & 1) != 0;
                int layers = BinaryPrimitives.ReadUInt16BigEndian(cod[2..]);
                int levels = cod[5];
                if (layers == 0 || levels > 32 || (definedPrecincts && cod.Length < 10 + levels + 1))
                {
                    ThrowCorrupt("the coding style marker states impossible layers, levels or precincts");
                }

                // Precinct sizes are powers of two, one byte per resolution (width exponent low, height high); 2^15 when absent.
                var precincts = new (int Width, int Height)[levels + 1];
                for (int r = 0; r <= levels; r++)
                {
                    precincts[r] = definedPrecincts ? (cod[10 + r] & 0x0F, cod[10 + r] >> 4) : (15, 15);
                }

                return new CodingStyle(layers, levels, precincts);
            }

            position += 2 + length;
        }

        return null;
    }

    /// <summary>An upper estimate of the packets: per component and resolution, the precincts across the image plus one per tile boundary.</summary>
    private static double EstimatePackets(CodingStyle style, (int Dx, int Dy)[] subsampling, uint width, uint height, long tilesAcross, long tilesDown)
    {
        double precincts = 0;
        foreach (var (dx, dy) in subsampling)
        {
            for (int r = 0; r <= style.Levels; r++)
            {
                double scale = Math.Pow(2, style.Levels - r);
                double across = Math.Ceiling(Math.Ceiling(width / (double)dx) / scale / Math.Pow(2, style.Precincts[r].Width));
                double down = Math.Ceiling(Math.Ceiling(height / (double)dy) / scale / Math.Pow(2, style.Precincts[r].Height));
                precincts += (across + tilesAcross) * (down + tilesDown);
            }
        }

        return precincts * style.Layers;
    }

    /// <summary>Walks the main header's marker segments and the tile-parts (by their Psot lengths) to the EOC marker.</summary>
    private static string? CodestreamTruncation(ReadOnlySpan<byte> codestream)
    {
        if (ReadMainHeader(codestream, out string? truncated) is null)
        {
            return truncated;
        }

        int position = 2;
        while (true)
        {
            if (position + 2 > codestream.Length)
            {
                return "it ends inside the main header";
            }

            ushort marker = BinaryPrimitives.ReadUInt16BigEndian(codestream[position..]);
            if (marker == StartOfTilePart)
            {
                break;
            }

            if (marker < 0xFF30)
            {
                ThrowCorrupt("the main header holds something other than a marker segment");
            }

            if (position + 4 > codestream.Length)
            {
                return "it ends inside a marker segment";
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(codestream[(position + 2)..]);
            if (length < 2)
            {
                ThrowCorrupt("a marker segment states a length below 2");
            }

            position += 2 + length;
            if (position > codestream.Length)
            {
                return "a marker segment is longer than the data";
            }
        }

        while (true)
        {
            if (position + 2 > codestream.Length)
            {
                return "it ends before the end-of-codestream marker";
            }

            ushort marker = BinaryPrimitives.ReadUInt16BigEndian(codestream[position..]);
            if (marker == EndOfCodestream)
            {
                return null;
            }

            if (marker != StartOfTilePart)
            {
                ThrowCorrupt("a tile-part does not start with an SOT marker");
            }

            if (position + 12 > codestream.Length)
            {
                return "it ends inside a tile-part header";
            }

            // Psot 0: the last tile-part, which runs to the EOC marker at the end of the codestream.
            uint tilePart = BinaryPrimitives.ReadUInt32BigEndian(codestream[(position + 6)..]);
            if (tilePart == 0)
            {
                return codestream.EndsWith<byte>([0xFF, 0xD9]) ? null : "it ends before the end-of-codestream marker";
            }

            if (tilePart < 14)
            {
                ThrowCorrupt("a tile-part states a length shorter than its header");
            }

            if (tilePart > codestream.Length - position)
            {
                return "a tile-part is longer than the data";
            }

            position += (int)tilePart;
        }
    }

    private static ulong CeilingDivide(ulong value, ulong divisor) => (value + divisor - 1) / divisor;

    private static int Clamp(uint value) => (int)Math.Min(value, int.MaxValue);

    [DoesNotReturn]
    private static void ThrowCorrupt(string what) => throw Corrupt(what);

    private readonly record struct Jp2Boxes((int Width, int Height)? ImageHeader, Range? Codestream, string? Truncated);

    private sealed record CodingStyle(int Layers, int Levels, (int Width, int Height)[] Precincts);
}

/// <summary>What a JPEG 2000 file states before its pixels: the size to check (the JP2 image header's, else SIZ's) and the codestream's main header when present.</summary>
internal sealed record Jpeg2000Header(bool Jp2, int Width, int Height, Jpeg2000MainHeader? Codestream);

/// <summary>The codestream's main header: image size, components, tiles, quality layers (0 when COD was not reached) and the estimated packets.</summary>
internal sealed record Jpeg2000MainHeader(int Width, int Height, int Components, long Tiles, int Layers, double Packets);
