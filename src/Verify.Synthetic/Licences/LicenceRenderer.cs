using System.Globalization;
using Verify.Imaging;
using Verify.Imaging.Text;
using ZXing;
using ZXing.PDF417;
using ZXing.PDF417.Internal;

namespace Verify.Synthetic.Licences;

/// <summary>How a licence's PDF417 was drawn: its error correction level, columns, rows and module width.</summary>
public sealed record LicenceBarcodeLayout(int ErrorCorrectionLevel, int Columns, int Rows, double ModuleWidthMm, double RowHeightMm);

/// <summary>
/// Prints US and Canadian driver's licences on an ID-1 card (85.60 x 53.98 mm) at <see cref="DocumentRenderer.Dpi"/>:
/// the front with the jurisdiction's title, the portrait where an identity card has it and the fields under AAMVA's
/// numbered labels in DejaVu Sans; the back with the AAMVA PDF417 drawn by ZXing.Net's writer and some small print.
/// </summary>
/// <remarks>Not thread-safe (it uses the fonts).</remarks>
public sealed class LicenceRenderer(DocumentFonts fonts)
{
    public static (double Width, double Height) SizeMm => (85.60, 53.98);

    // The symbol spans most of the card's width, as on real licences; its height follows from the rows.
    private const double BarcodeWidthMm = 77;
    private const double BarcodeTopMm = 13.5;
    private const double BarcodeMaxHeightMm = 33;
    private const double QuietZoneMm = 1.6;

    private readonly DocumentRenderer _card = new(fonts);

    /// <summary>A date as the front prints it: MM/DD/YYYY in the USA, YYYY-MM-DD in Canada.</summary>
    public static string PrintedDate(DateOnly date, bool canadian) =>
        date.ToString(canadian ? "yyyy-MM-dd" : "MM/dd/yyyy", CultureInfo.InvariantCulture);

    /// <summary>Prints the front: title, portrait and the numbered fields.</summary>
    public RenderedSide RenderFront(LicenceIdentity identity, RgbImage photo, Random random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(random);
        var page = _card.NewSide(SizeMm, random, identity.Issuer.Name, SizeMm.Height, out var ink);
        var portrait = DocumentRenderer.CardPortrait;
        PortraitPrint.Draw(page, photo, portrait, ink);
        bool canadian = identity.IsCanadian;
        var heading = ink.Mix(RgbColor.Black, 0.3);
        _card.Heading(page, identity.Issuer.Name, 4, 5.2, 3.2, ink);
        DrawText(page, fonts.SansBold, canadian ? "DRIVER'S LICENCE" : "DRIVER LICENSE", 4, 9.0, 2.1, 60, heading);
        DrawText(page, fonts.SansBold, canadian ? "CANADA" : "USA", 70, 9.0, 2.1, 14, heading);

        var printed = new Dictionary<string, string>
        {
            ["document_number"] = identity.Number,
            ["family_name"] = identity.FamilyName,
            ["given_names"] = identity.GivenNames,
            ["date_of_birth"] = PrintedDate(identity.BirthDate, canadian),
            ["date_of_issue"] = PrintedDate(identity.IssueDate, canadian),
            ["date_of_expiry"] = PrintedDate(identity.ExpiryDate, canadian),
            ["sex"] = identity.PrintedSex,
        };
        var label = ink.Mix(new RgbColor(150, 20, 30), 0.6);
        const double Left = 31, Right = 83;
        Field(page, "4d DLN", printed["document_number"], Left, 14.2, 2.7, Right, label, new RgbColor(150, 24, 30));
        Field(page, "1", printed["family_name"], Left, 18.6, 2.7, Right, label);
        Field(page, "2", printed["given_names"], Left, 22.6, 2.5, Right, label);
        Field(page, "8", identity.Address.Street, Left, 26.4, 1.9, Right, label);
        Field(page, "", $"{identity.Address.City}, {identity.Issuer.Code} {identity.Address.PostalCode.Trim()}", Left, 29.0, 1.9, Right, label);
        Field(page, "3 DOB", printed["date_of_birth"], Left, 33.4, 2.5, 63, label, new RgbColor(150, 24, 30));
        Field(page, "15 SEX", printed["sex"], 65, 33.4, 2.5, Right, label);
        Field(page, "4a ISS", printed["date_of_issue"], Left, 37.6, 2.2, 63, label);
        Field(page, "4b EXP", printed["date_of_expiry"], Left, 41.8, 2.5, Right, label, new RgbColor(150, 24, 30));
        Field(page, "9 CLASS", identity.VehicleClass, Left, 45.8, 1.9, 52, label);
        Field(page, "12 RESTR", "NONE", 54, 45.8, 1.9, Right, label);
        Field(page, "16 HGT", PrintedHeight(identity.Physical.Height), 4, 45.8, 1.9, 29, label);
        Field(page, "18 EYES", identity.Physical.Eyes, 4, 49.6, 1.9, 29, label);
        Field(page, "5 DD", identity.Discriminator, Left, 49.6, 1.6, Right, label);
        return new RenderedSide { Side = "front", Image = page, SizeMm = SizeMm, Portrait = portrait, Printed = printed };
    }

    /// <summary>The height as a US licence prints it (5'-09") from the encoded "069 IN"; centimetres as encoded.</summary>
    private static string PrintedHeight(string encoded) =>
        encoded.EndsWith(" IN", StringComparison.Ordinal) && int.TryParse(encoded[..3], CultureInfo.InvariantCulture, out int inches)
            ? string.Create(CultureInfo.InvariantCulture, $"{inches / 12}'-{inches % 12:D2}\"")
            : encoded.TrimStart('0').ToLowerInvariant();

    /// <summary>Prints the back: small print and the PDF417 of <paramref name="barcodeText"/> at the error correction level drawn.</summary>
    public (RenderedSide Side, LicenceBarcodeLayout Layout) RenderBack(LicenceIdentity identity, string barcodeText, Random random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(barcodeText);
        ArgumentNullException.ThrowIfNull(random);
        // AAMVA asks for error correction level 3 at least; issuers use 3 to 5.
        int level = random.Next(3, 6);
        int columns = random.Next(9, 14);
        var page = _card.NewSide(SizeMm, random, identity.Issuer.Name, BarcodeTopMm - QuietZoneMm - 1, out var ink);
        var smallInk = ink.Mix(RgbColor.Black, 0.5);
        string authority = identity.IsCanadian ? "MINISTRY OF TRANSPORTATION" : "DEPARTMENT OF MOTOR VEHICLES";
        DrawText(page, fonts.SansBold, $"{identity.Issuer.Name} {authority}", 4, 4.4, 1.8, 78, smallInk);
        string licence = identity.IsCanadian ? "licence" : "license";
        DrawText(page, fonts.Sans, $"This {licence} remains the property of the issuing jurisdiction. Report a found card to the issuer.", 4, 7.4, 1.4, 78, smallInk);
        DrawText(page, fonts.Sans, "Organ donor: see record.  Restrictions and endorsements on the front.", 4, 9.8, 1.4, 78, smallInk);

        var (modules, rows) = Encode(barcodeText, level, ref columns);
        double moduleMm = BarcodeWidthMm / modules[0].Length;
        // Rows three modules high, as the standard's minimum; a long text on few columns is squeezed to fit the card.
        double rowMm = Math.Min(3 * moduleMm, BarcodeMaxHeightMm / rows);
        double left = (SizeMm.Width - BarcodeWidthMm) / 2, height = rows * rowMm;
        var quiet = DocumentRenderer.Region(left - QuietZoneMm, BarcodeTopMm - QuietZoneMm, BarcodeWidthMm + (2 * QuietZoneMm), height + (2 * QuietZoneMm));
        Fill(page, quiet, new RgbColor(250, 250, 246));
        DrawModules(page, modules, DocumentRenderer.Px(left), DocumentRenderer.Px(BarcodeTopMm), DocumentRenderer.Px(moduleMm), DocumentRenderer.Px(rowMm));
        double below = BarcodeTopMm + height + QuietZoneMm + 3;
        DrawText(page, fonts.Sans, $"DD {identity.Discriminator}   REV 01/01/2017", 4, Math.Min(below, SizeMm.Height - 2), 1.4, 78, smallInk);
        var side = new RenderedSide { Side = "back", Image = page, SizeMm = SizeMm, Barcode = quiet, Printed = new Dictionary<string, string>() };
        return (side, new LicenceBarcodeLayout(level, columns, rows, Math.Round(moduleMm, 4), Math.Round(rowMm, 4)));
    }

    /// <summary>
    /// The symbol's modules, one bool per module and one array per row, from ZXing.Net's writer; more columns are
    /// taken while the rows would not fit the card at three modules a row.
    /// </summary>
    private static (bool[][] Modules, int Rows) Encode(string text, int level, ref int columns)
    {
        while (true)
        {
            var writer = new BarcodeWriterPixelData
            {
                Format = BarcodeFormat.PDF_417,
                Options = new PDF417EncodingOptions
                {
                    ErrorCorrection = (PDF417ErrorCorrectionLevel)level,
                    Dimensions = new Dimensions(columns, columns, 3, 90),
                    Compaction = Compaction.AUTO,
                    CharacterSet = "ISO-8859-1",
                    DisableECI = true,
                    Margin = 0,
                    Width = 1,
                    Height = 1,
                },
            };
            var pixels = writer.Write(text);
            var modules = Rows(pixels, 17 * (columns + 4) + 1);
            double moduleMm = BarcodeWidthMm / modules[0].Length;
            if (modules.Length * 3 * moduleMm <= BarcodeMaxHeightMm || columns >= 20)
            {
                return (modules, modules.Length);
            }

            columns++;
        }
    }

    /// <summary>The writer's pixels reduced to one bool per module: scaled columns sampled at their centres, repeated rows merged.</summary>
    private static bool[][] Rows(ZXing.Rendering.PixelData pixels, int modulesPerRow)
    {
        int scale = pixels.Width / modulesPerRow;
        if (scale < 1 || pixels.Width % modulesPerRow != 0)
        {
            throw new InvalidOperationException($"The PDF417 is {pixels.Width} pixels wide, not a multiple of its {modulesPerRow} modules.");
        }

        var rows = new List<bool[]>();
        for (int y = 0; y < pixels.Height; y++)
        {
            var row = new bool[modulesPerRow];
            for (int m = 0; m < modulesPerRow; m++)
            {
                // BGRA; dark modules are black.
                row[m] = pixels.Pixels[(((y * pixels.Width) + (m * scale) + (scale / 2)) * 4) + 1] < 128;
            }

            // Neighbouring rows of a PDF417 always differ (their row indicators do), so equal rows are one row scaled.
            if (rows.Count == 0 || !rows[^1].AsSpan().SequenceEqual(row))
            {
                rows.Add(row);
            }
        }

        return [.. rows];
    }

    /// <summary>Paints the modules at a fractional module size, each pixel darkened by the share of it that dark modules cover.</summary>
    private static void DrawModules(RgbImage page, bool[][] modules, double left, double top, double moduleWidth, double rowHeight)
    {
        int columns = modules[0].Length;
        int x0 = (int)Math.Floor(left), x1 = (int)Math.Ceiling(left + (columns * moduleWidth));
        int y0 = (int)Math.Floor(top), y1 = (int)Math.Ceiling(top + (modules.Length * rowHeight));
        var dark = new RgbColor(22, 22, 26);
        var pixels = page.Pixels;
        for (int y = Math.Max(0, y0); y < Math.Min(page.Height, y1); y++)
        {
            for (int x = Math.Max(0, x0); x < Math.Min(page.Width, x1); x++)
            {
                double cover = 0;
                for (int r = (int)Math.Floor((y - top) / rowHeight); r <= (int)Math.Floor((y + 1 - top) / rowHeight) && r < modules.Length; r++)
                {
                    if (r < 0)
                    {
                        continue;
                    }

                    double vertical = Overlap(y, top + (r * rowHeight), rowHeight);
                    for (int m = (int)Math.Floor((x - left) / moduleWidth); m <= (int)Math.Floor((x + 1 - left) / moduleWidth) && m < columns; m++)
                    {
                        if (m >= 0 && modules[r][m])
                        {
                            cover += vertical * Overlap(x, left + (m * moduleWidth), moduleWidth);
                        }
                    }
                }

                if (cover > 0)
                {
                    int o = (y * page.Stride) + (x * 3);
                    pixels[o] = (byte)(pixels[o] + ((dark.R - pixels[o]) * cover));
                    pixels[o + 1] = (byte)(pixels[o + 1] + ((dark.G - pixels[o + 1]) * cover));
                    pixels[o + 2] = (byte)(pixels[o + 2] + ((dark.B - pixels[o + 2]) * cover));
                }
            }
        }
    }

    /// <summary>How much of the pixel [p, p + 1) the interval [start, start + length) covers.</summary>
    private static double Overlap(int p, double start, double length) => Math.Clamp(Math.Min(p + 1, start + length) - Math.Max(p, start), 0, 1);

    private static void Fill(RgbImage page, DocumentRegion region, RgbColor colour)
    {
        var pixels = page.Pixels;
        for (int y = Math.Max(0, (int)region.Y); y < Math.Min(page.Height, (int)(region.Y + region.Height)); y++)
        {
            for (int x = Math.Max(0, (int)region.X); x < Math.Min(page.Width, (int)(region.X + region.Width)); x++)
            {
                int o = (y * page.Stride) + (x * 3);
                pixels[o] = colour.R;
                pixels[o + 1] = colour.G;
                pixels[o + 2] = colour.B;
            }
        }
    }

    /// <summary>An AAMVA field as licences print it: the small numbered label, then the value on the same baseline.</summary>
    private void Field(RgbImage page, string label, string value, double xMm, double baselineMm, double emMm, double rightMm, RgbColor labelInk, RgbColor? valueInk = null)
    {
        double x = xMm;
        if (label.Length > 0)
        {
            int labelSize = (int)Math.Round(DocumentRenderer.Px(1.45));
            x += (fonts.Sans.MeasureText(label, labelSize) / DocumentRenderer.Px(1)) + 0.8;
            fonts.Sans.DrawText(page, label, DocumentRenderer.Px(xMm), DocumentRenderer.Px(baselineMm), labelSize, labelInk);
        }

        DrawText(page, fonts.SansBold, value, x, baselineMm, emMm, rightMm - x, valueInk ?? DocumentRenderer.ValueInk);
    }

    private static void DrawText(RgbImage page, FontFace font, string text, double xMm, double baselineMm, double emMm, double maxWidthMm, RgbColor colour) =>
        font.DrawText(page, text, DocumentRenderer.Px(xMm), DocumentRenderer.Px(baselineMm),
            DocumentRenderer.FitSize(font, text, DocumentRenderer.Px(emMm), DocumentRenderer.Px(maxWidthMm)), colour);
}
