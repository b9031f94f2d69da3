using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Verify.Imaging.Codecs;

/// <summary>
/// Managed reading of a JPEG 2000 file's framing: the JP2 boxes (signature, file type, image header, codestream), the
/// codestream's main header (SIZ, COD, COC, POC) and its tile-parts up to the end-of-codestream marker. Sizes, tile,
/// packet and code-block counts, coding styles set in tile-part headers and truncation are known from it before
/// openjpeg sees a byte.
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

    /// <summary>
    /// Most code-blocks the main header may declare: openjpeg allocates each one (and its tag-tree nodes) when it sets
    /// up a tile, whatever the data holds. Precincts clip code-blocks, so tiny precincts make 1x1 code-blocks. A
    /// 40-megapixel colour photo in 32x32 code-blocks has about 120,000; a chip portrait in the smallest (4x4) 60,000.
    /// </summary>
    public const double MaxCodeBlocks = 1 << 20;

    private const ushort StartOfCodestream = 0xFF4F;
    private const ushort ImageAndTileSize = 0xFF51;
    private const ushort CodingStyleDefault = 0xFF52;
    private const ushort CodingStyleComponent = 0xFF53;
    private const ushort ProgressionOrderChange = 0xFF5F;
    private const ushort StartOfTilePart = 0xFF90;
    private const ushort StartOfData = 0xFF93;
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
    public static string? Truncation(ReadOnlySpan<byte> data) => Walk(data, out _);

    /// <summary>
    /// The first marker that changes the coding style in a tile-part header (COD, COC or POC, named), null when the
    /// tile-part headers present hold none; throws <see cref="ImageDecodeException"/> (Corrupt) like <see cref="Truncation"/>.
    /// </summary>
    /// <remarks>
    /// Such markers are refused rather than counted: they would let each tile raise the levels, layers and progressions
    /// that the caps count from the main header, and no chip portrait needs them. Real encoders (openjpeg, which our
    /// <see cref="Jpeg2000Encoder"/> uses, among them) state the coding style once, in the main header.
    /// </remarks>
    public static string? TilePartCodingStyle(ReadOnlySpan<byte> data)
    {
        Walk(data, out string? marker);
        return marker;
    }

    private static string? Walk(ReadOnlySpan<byte> data, out string? tilePartCodingStyle)
    {
        tilePartCodingStyle = null;
        if (!IsJp2(data))
        {
            return CodestreamTruncation(data, out tilePartCodingStyle);
        }

        var boxes = ReadBoxes(data);
        if (boxes.Truncated is not null)
        {
            return boxes.Truncated;
        }

        return boxes.Codestream is { } codestream ? CodestreamTruncation(data[codestream], out tilePartCodingStyle) : "it ends before the codestream box";
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

    /// <summary>Reads SIZ and, when the main header is there, its coding style; null with the reason when the data ends inside SIZ.</summary>
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
        var coding = ReadCodingStyles(codestream, 4 + length, components);
        (double packets, double codeBlocks) = coding is { } styles ? Estimate(styles, subsampling, x1 - x0, y1 - y0, tilesAcross, tilesDown) : (0, 0);
        return new Jpeg2000MainHeader(Clamp(x1 - x0), Clamp(y1 - y0), components, tilesAcross * tilesDown, coding?.Layers ?? 0, packets, codeBlocks);
    }

    /// <summary>
    /// The main header's COD (layers and every component's style), its COC markers (one component's style each) and
    /// the progressions its POC markers add; null when the data ends before the COD marker.
    /// </summary>
    private static MainCoding? ReadCodingStyles(ReadOnlySpan<byte> codestream, int position, int components)
    {
        int layers = 0, progressions = 1;
        var defaults = new List<ComponentStyle>();
        var perComponent = new List<(int Component, ComponentStyle Style)>();
        while (position + 4 <= codestream.Length)
        {
            ushort marker = BinaryPrimitives.ReadUInt16BigEndian(codestream[position..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(codestream[(position + 2)..]);
            if (marker == StartOfTilePart || marker < 0xFF30 || length < 2 || position + 2 + length > codestream.Length)
            {
                break;
            }

            var segment = codestream.Slice(position + 4, length - 2);
            if (marker == CodingStyleDefault)
            {
                if (segment.Length < 10)
                {
                    ThrowCorrupt("the coding style marker is too short");
                }

                layers = Math.Max(layers, BinaryPrimitives.ReadUInt16BigEndian(segment[2..]));
                if (layers == 0)
                {
                    ThrowCorrupt("the coding style marker states no quality layers");
                }

                defaults.Add(ReadComponentStyle(segment[5..], definedPrecincts: (segment[0] & 1) != 0));
            }
            else if (marker == CodingStyleComponent)
            {
                // Ccoc is one byte below 257 components, two from there; then Scoc and the same fields as COD's SPcod.
                int index = components < 257 ? 1 : 2;
                if (segment.Length < index + 6)
                {
                    ThrowCorrupt("a component coding style marker is too short");
                }

                int component = index == 1 ? segment[0] : BinaryPrimitives.ReadUInt16BigEndian(segment);
                if (component >= components)
                {
                    ThrowCorrupt($"a component coding style marker names component {component} of {components}");
                }

                perComponent.Add((component, ReadComponentStyle(segment[(index + 1)..], definedPrecincts: (segment[index] & 1) != 0)));
            }
            else if (marker == ProgressionOrderChange)
            {
                // Each entry is one more progression openjpeg walks, on top of the default one.
                progressions += segment.Length / (components < 257 ? 7 : 9);
            }

            position += 2 + length;
        }

        if (defaults.Count == 0)
        {
            return null;
        }

        // openjpeg keeps whichever marker it read last for a component, so every COD and that component's COCs may
        // apply: each is counted and the largest count wins.
        var styles = new ComponentStyle[components][];
        for (int c = 0; c < components; c++)
        {
            styles[c] = [.. defaults, .. perComponent.Where(p => p.Component == c).Select(p => p.Style)];
        }

        return new MainCoding(layers, progressions, styles);
    }

    /// <summary>SPcod or SPcoc: levels, code-block size, and one precinct size per resolution when defined.</summary>
    private static ComponentStyle ReadComponentStyle(ReadOnlySpan<byte> fields, bool definedPrecincts)
    {
        int levels = fields[0];
        // Code-block exponents are stored less 2: 4 to 1,024 samples a side, 4,096 at most in all.
        (int width, int height) = (fields[1] + 2, fields[2] + 2);
        if (levels > 32 || width > 10 || height > 10 || width + height > 12 || (definedPrecincts && fields.Length < 5 + levels + 1))
        {
            ThrowCorrupt("a coding style marker states impossible levels, code-blocks or precincts");
        }

        // Precinct sizes are powers of two, one byte per resolution (width exponent low, height high); 2^15 when absent.
        var precincts = new (int Width, int Height)[levels + 1];
        for (int r = 0; r <= levels; r++)
        {
            precincts[r] = definedPrecincts ? (fields[5 + r] & 0x0F, fields[5 + r] >> 4) : (15, 15);
        }

        return new ComponentStyle(levels, width, height, precincts);
    }

    /// <summary>
    /// Upper estimates of the packets (layers x progressions x precincts) and code-blocks: per component, the largest
    /// count of the styles that may apply to it; per resolution and band, the count across the image plus one per tile
    /// boundary.
    /// </summary>
    private static (double Packets, double CodeBlocks) Estimate(MainCoding coding, (int Dx, int Dy)[] subsampling, uint width, uint height, long tilesAcross, long tilesDown)
    {
        double precincts = 0, codeBlocks = 0;
        for (int c = 0; c < subsampling.Length; c++)
        {
            double componentWidth = Math.Ceiling(width / (double)subsampling[c].Dx), componentHeight = Math.Ceiling(height / (double)subsampling[c].Dy);
            double mostPrecincts = 0, mostCodeBlocks = 0;
            foreach (var style in coding.Styles[c])
            {
                double stylePrecincts = 0, styleCodeBlocks = 0;
                for (int r = 0; r <= style.Levels; r++)
                {
                    double scale = Math.Pow(2, style.Levels - r);
                    (double across, double down) = (Math.Ceiling(componentWidth / scale), Math.Ceiling(componentHeight / scale));
                    var precinct = style.Precincts[r];
                    stylePrecincts += Grid(across, down, precinct.Width, precinct.Height, tilesAcross, tilesDown);

                    // Resolution 0 is one band the size of the resolution; the others three of half its size, whose
                    // precincts (and so code-blocks) are half the resolution's.
                    (int bands, int half) = r == 0 ? (1, 0) : (3, 1);
                    int codeBlockWidth = Math.Max(0, Math.Min(style.CodeBlockWidth, precinct.Width - half));
                    int codeBlockHeight = Math.Max(0, Math.Min(style.CodeBlockHeight, precinct.Height - half));
                    styleCodeBlocks += bands * Grid(Math.Ceiling(across / (1 << half)), Math.Ceiling(down / (1 << half)), codeBlockWidth, codeBlockHeight, tilesAcross, tilesDown);
                }

                (mostPrecincts, mostCodeBlocks) = (Math.Max(mostPrecincts, stylePrecincts), Math.Max(mostCodeBlocks, styleCodeBlocks));
            }

            (precincts, codeBlocks) = (precincts + mostPrecincts, codeBlocks + mostCodeBlocks);
        }

        return (precincts * coding.Layers * coding.Progressions, codeBlocks);
    }

    /// <summary>Cells of 2^widthExponent x 2^heightExponent over an area, plus one per tile boundary each way.</summary>
    private static double Grid(double width, double height, int widthExponent, int heightExponent, long tilesAcross, long tilesDown) =>
        (Math.Ceiling(width / Math.Pow(2, widthExponent)) + tilesAcross) * (Math.Ceiling(height / Math.Pow(2, heightExponent)) + tilesDown);

    /// <summary>
    /// Walks the main header's marker segments and the tile-parts (by their Psot lengths, and through each one's header)
    /// to the EOC marker; <paramref name="tilePartCodingStyle"/> names the first COD, COC or POC in a tile-part header.
    /// </summary>
    private static string? CodestreamTruncation(ReadOnlySpan<byte> codestream, out string? tilePartCodingStyle)
    {
        tilePartCodingStyle = null;
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
            if (tilePart is > 0 and < 14)
            {
                ThrowCorrupt("a tile-part states a length shorter than its header");
            }

            long end = tilePart == 0 ? codestream.Length : Math.Min(codestream.Length, position + (long)tilePart);
            tilePartCodingStyle ??= TilePartHeaderCodingStyle(codestream[(position + 12)..(int)end]);
            if (tilePart == 0)
            {
                return codestream.EndsWith<byte>([0xFF, 0xD9]) ? null : "it ends before the end-of-codestream marker";
            }

            if (tilePart > codestream.Length - position)
            {
                return "a tile-part is longer than the data";
            }

            position += (int)tilePart;
        }
    }

    /// <summary>
    /// The first COD, COC or POC among a tile-part header's marker segments (up to SOD), null when none; a header cut
    /// by the end of the data is read as far as it goes.
    /// </summary>
    private static string? TilePartHeaderCodingStyle(ReadOnlySpan<byte> tilePart)
    {
        int position = 0;
        while (position + 2 <= tilePart.Length)
        {
            ushort marker = BinaryPrimitives.ReadUInt16BigEndian(tilePart[position..]);
            switch (marker)
            {
                case StartOfData:
                    return null;
                case CodingStyleDefault:
                    return "COD";
                case CodingStyleComponent:
                    return "COC";
                case ProgressionOrderChange:
                    return "POC";
                case < 0xFF30:
                    ThrowCorrupt("a tile-part header holds something other than a marker segment");
                    break;
            }

            if (position + 4 > tilePart.Length)
            {
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(tilePart[(position + 2)..]);
            if (length < 2)
            {
                ThrowCorrupt("a marker segment states a length below 2");
            }

            position += 2 + length;
        }

        return null;
    }

    private static ulong CeilingDivide(ulong value, ulong divisor) => (value + divisor - 1) / divisor;

    private static int Clamp(uint value) => (int)Math.Min(value, int.MaxValue);

    [DoesNotReturn]
    private static void ThrowCorrupt(string what) => throw Corrupt(what);

    private readonly record struct Jp2Boxes((int Width, int Height)? ImageHeader, Range? Codestream, string? Truncated);

    /// <summary>One component's coding style (from COD or COC): levels, code-block and precinct size exponents.</summary>
    private sealed record ComponentStyle(int Levels, int CodeBlockWidth, int CodeBlockHeight, (int Width, int Height)[] Precincts);

    /// <summary>The main header's quality layers, progressions (1 plus the POC entries) and, per component, the styles that may apply.</summary>
    private sealed record MainCoding(int Layers, int Progressions, ComponentStyle[][] Styles);
}

/// <summary>What a JPEG 2000 file states before its pixels: the size to check (the JP2 image header's, else SIZ's) and the codestream's main header when present.</summary>
internal sealed record Jpeg2000Header(bool Jp2, int Width, int Height, Jpeg2000MainHeader? Codestream);

/// <summary>The codestream's main header: image size, components, tiles, quality layers (0 when COD was not reached) and the estimated packets and code-blocks.</summary>
internal sealed record Jpeg2000MainHeader(int Width, int Height, int Components, long Tiles, int Layers, double Packets, double CodeBlocks);
