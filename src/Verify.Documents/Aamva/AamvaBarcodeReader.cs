using System.Text;
using Verify.Imaging;
using ZXing;
using ZXing.Common;
using ZXing.PDF417;

namespace Verify.Documents.Aamva;

/// <summary>
/// Finds and decodes the PDF417 on the back of a US or Canadian driver's licence with ZXing.Net, then parses it with
/// <see cref="AamvaParser"/>: first the whole image as it is, then the largest barcode-like region (deskewed, cropped
/// with a margin and enlarged when small) at a few angles around its own.
/// </summary>
/// <remarks>
/// Thread-safe: every call makes its own ZXing reader and buffers. The region search runs on a reduced grey copy
/// (long side <see cref="SearchSide"/>) so that it costs little beside the decodes. Measured on 2000-pixel photos
/// (docs/evaluation.md, one core): CPU p50 about 40 ms on a careful photo and 70 ms on a poor one, mean 50 and 120 ms;
/// a photo with no readable symbol costs the most (up to 36 region decodes, about half a second).
/// </remarks>
public sealed class AamvaBarcodeReader
{
    /// <summary>Long side of the reduced grey image the region search looks at.</summary>
    public const int SearchSide = 1000;

    // The search's cells, in reduced pixels, and what makes a cell barcode-like: strong edges (mean absolute gradient in
    // grey levels) that mostly run one way (coherence of the gradient's structure tensor), between print and paper
    // (the range of grey in the cell). The reduction keeps a module at a pixel or more on a 2000-pixel photo.
    private const int Cell = 8;
    private const double MinEdgeStrength = 25;
    private const double MinCoherence = 0.5;
    private const int MinContrast = 90;
    private const int MinCells = 12;

    // A licence's back (ReadIfLicenceLike): its largest barcode-like region is at least this share of the photo's
    // long side, and this many times the area of the next. Measured on generated backs: licences 0.82 and alone, ID
    // cards' backs at most 0.31 with several of like size.
    private const double LicenceBandShare = 0.4;
    private const double LicenceBandDominance = 3;

    // The regions tried, largest first, and the angles (degrees) tried around each region's own.
    private const int MaxRegions = 2;
    private static readonly double[] AngleOffsets = [0, -3, 3];

    // A blurred photo smears single-module bars into grey: an unsharp mask gives them back their edges, and one
    // threshold for the whole region then sometimes holds where ZXing's local ones break up under a glare.
    private enum Variant
    {
        Plain,
        Sharpened,
        SharpenedGlobal,
    }

    private static readonly Variant[] Variants = [Variant.Plain, Variant.Sharpened, Variant.SharpenedGlobal];

    // A PDF417 across a card is about 250 to 350 modules wide; ZXing wants two pixels a module at least, three or more
    // once the photo is blurred, so a smaller region is enlarged to this width.
    private const int RegionWidth = 1200;

    private static readonly Dictionary<DecodeHintType, object> Hints = new()
    {
        [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.PDF_417 },
        [DecodeHintType.TRY_HARDER] = true,
        [DecodeHintType.CHARACTER_SET] = "ISO-8859-1",
    };

    /// <summary>Reads the licence barcode in <paramref name="image"/> (displayed orientation: EXIF already applied).</summary>
    public AamvaBarcodeScan Read(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var grey = Luma.From(image);
        return ReadFrom(grey, Regions(grey).Take(MaxRegions), cancellationToken);
    }

    /// <summary>
    /// Reads the barcode when the image's dominant feature is one wide barcode-like band, as on a licence's back (a PDF417
    /// spans most of the card); null otherwise, at the cost of the region search alone (a reduced grey copy), for
    /// ordering the work on a card's back. An MRZ, guilloches and small print give several small regions instead.
    /// </summary>
    public AamvaBarcodeScan? ReadIfLicenceLike(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var grey = Luma.From(image);
        var regions = Regions(grey).Take(MaxRegions).ToList();
        return IsLicenceLike(regions, Math.Max(image.Width, image.Height)) ? ReadFrom(grey, regions, cancellationToken) : null;
    }

    /// <summary>The whole image, then the largest barcode-like <paramref name="regions"/>.</summary>
    private static AamvaBarcodeScan ReadFrom(Luma grey, IEnumerable<Region> regions, CancellationToken cancellationToken)
    {
        // ZXing's PDF417 detector itself looks for the symbol at the four quarter turns, so the whole image is decoded once.
        if (Decode(grey) is { } whole)
        {
            return Scan(whole, 0, fromRegion: false);
        }

        foreach (var region in regions)
        {
            // The detector copes with a tilt of two or three degrees; the region's angle comes from its shape and edges,
            // which perspective shears apart, so a few angles around it are tried. The region stands upright or upside
            // down: both are tried, because ZXing's own half turn misses symbols that it reads the right way up.
            var candidates = AngleOffsets
                .Select(offset => region with { Angle = region.Angle + (offset * Math.PI / 180) })
                .SelectMany(candidate => new[] { (Region: candidate, HalfTurn: false), (Region: candidate, HalfTurn: true) })
                .ToList();
            var images = new Luma?[candidates.Count];
            foreach (var variant in Variants)
            {
                for (int i = 0; i < candidates.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (candidate, halfTurn) = candidates[i];
                    images[i] ??= halfTurn ? candidate.Warp(grey).Rotate(2) : candidate.Warp(grey);
                    var input = variant == Variant.Plain ? images[i]!.Value : images[i]!.Value.Sharpen();
                    if (Decode(input, globalThreshold: variant == Variant.SharpenedGlobal) is { } found)
                    {
                        return Scan(found, (candidate.QuarterTurns + (halfTurn ? 2 : 0)) % 4, fromRegion: true);
                    }
                }
            }
        }

        return AamvaBarcodeScan.NotFound;
    }

    /// <summary>Whether the largest of <paramref name="regions"/> (largest first) is a licence's band: long and alone, or far larger than the next.</summary>
    private static bool IsLicenceLike(IReadOnlyList<Region> regions, double longSide)
    {
        if (regions.Count == 0)
        {
            return false;
        }

        double area(Region region) => region.Length * region.Breadth;
        return regions[0].Length >= LicenceBandShare * longSide && (regions.Count == 1 || area(regions[0]) >= LicenceBandDominance * area(regions[1]));
    }

    private static AamvaBarcodeScan Scan(Result result, int quarterTurns, bool fromRegion)
    {
        // The detector reports the turn it gave the image to find the symbol (degrees, counter-clockwise), on top of the region's own.
        if (result.ResultMetadata is { } metadata && metadata.TryGetValue(ResultMetadataType.ORIENTATION, out var orientation) && orientation is int degrees)
        {
            quarterTurns = (quarterTurns + 4 - (degrees / 90 % 4)) % 4;
        }

        var parse = AamvaParser.Parse(Bytes(result));
        return new AamvaBarcodeScan(parse.Reading is null ? AamvaBarcodeStatus.NotAamva : AamvaBarcodeStatus.Read, parse, quarterTurns, fromRegion);
    }

    /// <summary>The symbol's bytes: ZXing's byte segments when it gives them, else its text as Latin-1 (one byte a character, as decoded).</summary>
    private static byte[] Bytes(Result result)
    {
        if (result.ResultMetadata is { } metadata && metadata.TryGetValue(ResultMetadataType.BYTE_SEGMENTS, out var segments) &&
            segments is IList<byte[]> { Count: > 0 } list)
        {
            return [.. list.SelectMany(segment => segment)];
        }

        return Encoding.Latin1.GetBytes(result.Text ?? "");
    }

    private static Result? Decode(Luma grey, bool globalThreshold = false)
    {
        var source = new RGBLuminanceSource(grey.Pixels, grey.Width, grey.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        var bitmap = new BinaryBitmap(globalThreshold ? new GlobalHistogramBinarizer(source) : new HybridBinarizer(source));
        try
        {
            return new PDF417Reader().decode(bitmap, Hints);
        }
        catch (Exception exception) when (exception is ReaderException or IndexOutOfRangeException or ArgumentException)
        {
            // ZXing reports most misses as null, some as exceptions (and a few of its decoder's bugs as index errors).
            return null;
        }
    }

    /// <summary>Barcode-like regions of the image, largest first.</summary>
    private static IEnumerable<Region> Regions(Luma grey)
    {
        int factor = Math.Max(1, (int)Math.Ceiling(Math.Max(grey.Width, grey.Height) / (double)SearchSide));
        var small = grey.Reduce(factor);
        int columns = small.Width / Cell, rows = small.Height / Cell;
        if (columns < 3 || rows < 3)
        {
            yield break;
        }

        // The gradient's structure tensor per cell: its sums give the edge strength, the main direction and how much
        // the edges agree on it (bars all run one way; text, faces and guilloches do not).
        var tensors = new (double Xx, double Yy, double Xy, double Strength, int Low, int High)[columns * rows];
        Array.Fill(tensors, (0, 0, 0, 0, 255, 0));
        var p = small.Pixels;
        for (int y = 1; y < (rows * Cell) - 1 && y < small.Height - 1; y++)
        {
            for (int x = 1; x < (columns * Cell) - 1 && x < small.Width - 1; x++)
            {
                int i = (y * small.Width) + x;
                double gx = p[i + 1] - p[i - 1], gy = p[i + small.Width] - p[i - small.Width];
                ref var t = ref tensors[((y / Cell) * columns) + (x / Cell)];
                t.Xx += gx * gx;
                t.Yy += gy * gy;
                t.Xy += gx * gy;
                t.Strength += Math.Abs(gx) + Math.Abs(gy);
                t.Low = Math.Min(t.Low, p[i]);
                t.High = Math.Max(t.High, p[i]);
            }
        }

        var barcodeLike = new bool[tensors.Length];
        for (int c = 0; c < tensors.Length; c++)
        {
            var t = tensors[c];
            double trace = t.Xx + t.Yy;
            double coherence = trace > 0 ? Math.Sqrt(((t.Xx - t.Yy) * (t.Xx - t.Yy)) + (4 * t.Xy * t.Xy)) / trace : 0;
            barcodeLike[c] = t.Strength / (Cell * Cell) >= MinEdgeStrength && coherence >= MinCoherence && t.High - t.Low >= MinContrast;
        }

        // An opening drops what is only a cell or two thick (a card's edge against the table, a line of text); a dilation
        // then groups what is left, so that a glare spot or a blank codeword does not split a symbol in two.
        var core = Neighbourhood(barcodeLike, columns, rows, minimum: 7);
        var opened = Neighbourhood(core, columns, rows, minimum: 1);
        for (int c = 0; c < opened.Length; c++)
        {
            opened[c] &= barcodeLike[c];
        }

        var components = Components(Neighbourhood(opened, columns, rows, minimum: 1), columns, rows).Select(cells => cells.Where(c => opened[c]).ToList());
        foreach (var component in components.Where(c => c.Count >= MinCells).OrderByDescending(c => c.Count))
        {
            double xx = 0, yy = 0, xy = 0;
            foreach (int c in component)
            {
                xx += tensors[c].Xx;
                yy += tensors[c].Yy;
                xy += tensors[c].Xy;
            }

            // The gradient's main direction runs across the bars. Perspective shears the bars apart from the rows, and
            // the detector wants the rows level, so a long region's own axis (along its rows) is taken when it has one.
            double angle = 0.5 * Math.Atan2(2 * xy, xx - yy);
            var (axis, elongation) = Axis(component, columns);
            if (elongation >= 1.8)
            {
                // The axis is known up to a half turn; take the one nearer the bars' direction.
                angle = Math.Abs(Math.IEEERemainder(axis - angle, Math.PI)) < Math.PI / 2 ? angle + Math.IEEERemainder(axis - angle, Math.PI) : axis;
            }

            yield return Region.Around(component, columns, angle, Cell * factor);
        }
    }

    /// <summary>Cells with at least <paramref name="minimum"/> marked cells in their 3 x 3 neighbourhood (themselves included).</summary>
    private static bool[] Neighbourhood(bool[] marked, int columns, int rows, int minimum)
    {
        var result = new bool[marked.Length];
        for (int c = 0; c < marked.Length; c++)
        {
            int cx = c % columns, cy = c / columns, count = 0;
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    int nx = cx + dx, ny = cy + dy;
                    if (nx >= 0 && ny >= 0 && nx < columns && ny < rows && marked[(ny * columns) + nx])
                    {
                        count++;
                    }
                }
            }

            result[c] = count >= minimum;
        }

        return result;
    }

    /// <summary>The direction of a group of cells' long axis, and how much longer than wide it is (ratio of standard deviations).</summary>
    private static (double Angle, double Elongation) Axis(List<int> cells, int columns)
    {
        double mx = cells.Average(c => c % columns), my = cells.Average(c => c / columns);
        double xx = 0, yy = 0, xy = 0;
        foreach (int c in cells)
        {
            double dx = (c % columns) - mx, dy = (c / columns) - my;
            xx += dx * dx;
            yy += dy * dy;
            xy += dx * dy;
        }

        double half = (xx + yy) / 2, spread = Math.Sqrt((((xx - yy) / 2) * ((xx - yy) / 2)) + (xy * xy));
        double major = half + spread, minor = Math.Max(half - spread, 1e-9);
        return (0.5 * Math.Atan2(2 * xy, xx - yy), Math.Sqrt(major / minor));
    }

    /// <summary>The 8-connected groups of marked cells.</summary>
    private static List<List<int>> Components(bool[] marked, int columns, int rows)
    {
        var seen = new bool[marked.Length];
        var components = new List<List<int>>();
        var stack = new Stack<int>();
        for (int start = 0; start < marked.Length; start++)
        {
            if (!marked[start] || seen[start])
            {
                continue;
            }

            var component = new List<int>();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int c = stack.Pop();
                component.Add(c);
                int cx = c % columns, cy = c / columns;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = cx + dx, ny = cy + dy, n = (ny * columns) + nx;
                        if (nx >= 0 && ny >= 0 && nx < columns && ny < rows && marked[n] && !seen[n])
                        {
                            seen[n] = true;
                            stack.Push(n);
                        }
                    }
                }
            }

            components.Add(component);
        }

        return components;
    }

    /// <summary>An oriented rectangle around a barcode-like region, in full-resolution pixels, and how to stand it upright.</summary>
    /// <param name="CentreX">Centre of the rectangle.</param>
    /// <param name="CentreY">Centre of the rectangle.</param>
    /// <param name="Angle">Direction across the bars, radians from the x axis.</param>
    /// <param name="Length">Extent across the bars, margin included.</param>
    /// <param name="Breadth">Extent along the bars, margin included.</param>
    private sealed record Region(double CentreX, double CentreY, double Angle, double Length, double Breadth)
    {
        /// <summary>The quarter turn nearest to the deskew, clockwise.</summary>
        public int QuarterTurns => (((int)Math.Round(-Angle / (Math.PI / 2)) % 4) + 4) % 4;

        public static Region Around(List<int> cells, int columns, double angle, double cellSize)
        {
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            double minU = double.MaxValue, maxU = double.MinValue, minV = double.MaxValue, maxV = double.MinValue;
            foreach (int c in cells)
            {
                double x = ((c % columns) + 0.5) * cellSize, y = ((c / columns) + 0.5) * cellSize;
                double u = (x * cos) + (y * sin), v = (-x * sin) + (y * cos);
                (minU, maxU, minV, maxV) = (Math.Min(minU, u), Math.Max(maxU, u), Math.Min(minV, v), Math.Max(maxV, v));
            }

            // Cell centres stop half a cell inside the region; the margin adds the quiet zone and what the cells missed.
            double length = maxU - minU + (2 * cellSize), breadth = maxV - minV + (2 * cellSize);
            length += 0.12 * length;
            breadth += 0.3 * breadth;
            double cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
            return new Region((cu * cos) - (cv * sin), (cu * sin) + (cv * cos), angle, length, breadth);
        }

        /// <summary>The region turned upright (bars vertical), enlarged to <see cref="RegionWidth"/> across when smaller.</summary>
        public Luma Warp(Luma source)
        {
            double scale = Math.Clamp(RegionWidth / Length, 1, 4);
            int width = (int)Math.Ceiling(Length * scale), height = (int)Math.Ceiling(Breadth * scale);
            double cos = Math.Cos(Angle), sin = Math.Sin(Angle);
            var pixels = new byte[width * height];
            for (int y = 0; y < height; y++)
            {
                double v = ((y + 0.5) / scale) - (Breadth / 2);
                for (int x = 0; x < width; x++)
                {
                    double u = ((x + 0.5) / scale) - (Length / 2);
                    pixels[(y * width) + x] = source.Sample(CentreX + (u * cos) - (v * sin), CentreY + (u * sin) + (v * cos));
                }
            }

            return new Luma(pixels, width, height);
        }
    }

    /// <summary>A grey image in a plain array, as ZXing's luminance source takes it.</summary>
    private readonly record struct Luma(byte[] Pixels, int Width, int Height)
    {
        public static Luma From(RgbImage image)
        {
            using var grey = GrayImage.FromRgb(image);
            return new Luma(grey.Pixels.ToArray(), grey.Width, grey.Height);
        }

        /// <summary>Each pixel the mean of a <paramref name="factor"/> square block.</summary>
        public Luma Reduce(int factor)
        {
            if (factor == 1)
            {
                return this;
            }

            int width = Width / factor, height = Height / factor;
            var pixels = new byte[width * height];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++)
                    {
                        int row = (((y * factor) + dy) * Width) + (x * factor);
                        for (int dx = 0; dx < factor; dx++)
                        {
                            sum += Pixels[row + dx];
                        }
                    }

                    pixels[(y * width) + x] = (byte)(sum / (factor * factor));
                }
            }

            return new Luma(pixels, width, height);
        }

        /// <summary>The image turned clockwise by <paramref name="turns"/> quarter turns.</summary>
        public Luma Rotate(int turns)
        {
            bool swap = turns % 2 == 1;
            int width = swap ? Height : Width, height = swap ? Width : Height;
            var pixels = new byte[Pixels.Length];
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    var (tx, ty) = (turns % 4) switch
                    {
                        1 => (Height - 1 - y, x),
                        2 => (Width - 1 - x, Height - 1 - y),
                        3 => (y, Width - 1 - x),
                        _ => (x, y),
                    };
                    pixels[(ty * width) + tx] = Pixels[(y * Width) + x];
                }
            }

            return new Luma(pixels, width, height);
        }

        /// <summary>An unsharp mask: each pixel pushed away from the mean of the 5 x 5 block around it, by as much again.</summary>
        public Luma Sharpen()
        {
            // Box means by running sums, rows then columns.
            const int Radius = 2;
            var rowMean = new int[Pixels.Length];
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int sum = 0, n = 0;
                    for (int dx = -Radius; dx <= Radius; dx++)
                    {
                        int sx = x + dx;
                        if (sx >= 0 && sx < Width)
                        {
                            sum += Pixels[(y * Width) + sx];
                            n++;
                        }
                    }

                    rowMean[(y * Width) + x] = sum / n;
                }
            }

            var pixels = new byte[Pixels.Length];
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int sum = 0, n = 0;
                    for (int dy = -Radius; dy <= Radius; dy++)
                    {
                        int sy = y + dy;
                        if (sy >= 0 && sy < Height)
                        {
                            sum += rowMean[(sy * Width) + x];
                            n++;
                        }
                    }

                    int i = (y * Width) + x;
                    pixels[i] = (byte)Math.Clamp((2 * Pixels[i]) - (sum / n), 0, 255);
                }
            }

            return new Luma(pixels, Width, Height);
        }

        /// <summary>Bilinear sample at continuous coordinates (pixel centres at +0.5); white outside, as paper around a card.</summary>
        public byte Sample(double x, double y)
        {
            x -= 0.5;
            y -= 0.5;
            int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
            if (x0 < 0 || y0 < 0 || x0 + 1 >= Width || y0 + 1 >= Height)
            {
                return 255;
            }

            double fx = x - x0, fy = y - y0;
            int i = (y0 * Width) + x0;
            double top = Pixels[i] + ((Pixels[i + 1] - Pixels[i]) * fx);
            double bottom = Pixels[i + Width] + ((Pixels[i + Width + 1] - Pixels[i + Width]) * fx);
            return (byte)(top + ((bottom - top) * fy) + 0.5);
        }
    }
}
