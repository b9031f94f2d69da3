using System.Globalization;
using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.Imaging.Text;

namespace Verify.Synthetic;

/// <summary>
/// Prints synthetic TD3 passport data pages (125 x 88 mm) and TD1 cards (85.6 x 54 mm, front and back) at
/// <see cref="Dpi"/>: security background, portrait, labelled fields in DejaVu Sans and the MRZ in OCR-B.
/// </summary>
/// <remarks>
/// MRZ proportions follow Doc 9303: a fixed 2.54 mm character pitch (10 characters per inch), characters about
/// 2.3 mm high, the lines centred across the document near its bottom edge. Not thread-safe (it uses the fonts).
/// </remarks>
public sealed class DocumentRenderer(DocumentFonts fonts)
{
    public const int Dpi = 300;

    /// <summary>Doc 9303 MRZ pitch: 10 characters per inch.</summary>
    public const double MrzPitchMm = 2.54;

    /// <summary>Height of an MRZ capital.</summary>
    public const double MrzCapHeightMm = 2.3;

    public static (double Width, double Height) Td3SizeMm => (125, 88);

    public static (double Width, double Height) Td1SizeMm => (85.6, 54);

    internal static readonly RgbColor ValueInk = new(28, 26, 34);

    /// <summary>Where an ID-1 card's front prints the portrait (identity cards and driver's licences alike).</summary>
    internal static DocumentRegion CardPortrait => Region(4, 11, 24, 30);

    /// <summary>Pixels of one millimetre at <see cref="Dpi"/>.</summary>
    public static double Px(double mm) => mm * Dpi / 25.4;

    /// <summary>The printed form of a date: 12 AUG 1974.</summary>
    public static string PrintedDate(DateOnly date) => date.ToString("dd MMM yyyy", CultureInfo.InvariantCulture).ToUpperInvariant();

    /// <summary>Prints the data page of a passport.</summary>
    public RenderedSide RenderPassportPage(SyntheticIdentity identity, RgbImage photo, Random random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var mrz = MrzComposer.Compose(identity.Mrz);
        var page = NewSide(Td3SizeMm, random, identity, mrzTopMm: 64.8, out var ink);
        var portrait = Region(5, 17, 35, 45);
        PortraitPrint.Draw(page, photo, portrait, ink);
        Heading(page, identity.Country.Name, 45, 5, 3.0, ink);
        Heading(page, "PASSPORT / PASSEPORT", 45, 9.2, 2.3, ink);
        var m = identity.Mrz;
        var printed = new Dictionary<string, string>
        {
            ["type"] = m.DocumentCode,
            ["code"] = m.IssuingState,
            ["passport_number"] = m.DocumentNumber,
            ["surname"] = m.Surname,
            ["given_names"] = m.GivenNames,
            ["nationality"] = identity.Country.Nationality,
            ["date_of_birth"] = PrintedDate(m.BirthDate),
            ["sex"] = identity.PrintedSex,
            ["place_of_birth"] = identity.PlaceOfBirth,
            ["date_of_issue"] = PrintedDate(identity.IssueDate),
            ["date_of_expiry"] = PrintedDate(m.ExpiryDate),
            ["authority"] = identity.Authority,
        };
        var large = new FieldStyle(1.9, 3.0, 6.5);
        Fields(page, large, ink, 11,
        [
            [("Type", printed["type"], 45), ("Code", printed["code"], 62), ("Passport No.", printed["passport_number"], 88)],
            [("Surname / Nom", printed["surname"], 45)],
            [("Given names / Prénoms", printed["given_names"], 45)],
            [("Nationality", printed["nationality"], 45)],
            [("Date of birth", printed["date_of_birth"], 45), ("Sex", printed["sex"], 95)],
            [("Place of birth", printed["place_of_birth"], 45)],
            [("Date of issue", printed["date_of_issue"], 45), ("Date of expiry", printed["date_of_expiry"], 88)],
            [("Authority", printed["authority"], 45)],
        ]);
        var mrzBox = Mrz(page, mrz, bottomBaselineMm: 83, lineSpacingMm: 5.6);
        return new RenderedSide { Side = "page", Image = page, SizeMm = Td3SizeMm, Portrait = portrait, Mrz = mrzBox, Printed = printed };
    }

    /// <summary>Prints the front of an identity card: portrait and personal data.</summary>
    public RenderedSide RenderCardFront(SyntheticIdentity identity, RgbImage photo, Random random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var page = NewSide(Td1SizeMm, random, identity, mrzTopMm: Td1SizeMm.Height, out var ink);
        var portrait = CardPortrait;
        PortraitPrint.Draw(page, photo, portrait, ink);
        Heading(page, identity.Country.Name, 4, 4.6, 2.4, ink);
        Heading(page, "IDENTITY CARD / CARTE D'IDENTITÉ", 4, 8.2, 1.9, ink);
        var m = identity.Mrz;
        var printed = new Dictionary<string, string>
        {
            ["surname"] = m.Surname,
            ["given_names"] = m.GivenNames,
            ["sex"] = identity.PrintedSex,
            ["nationality"] = identity.Country.Nationality,
            ["date_of_birth"] = PrintedDate(m.BirthDate),
            ["place_of_birth"] = identity.PlaceOfBirth,
            ["document_number"] = m.DocumentNumber,
            ["date_of_expiry"] = PrintedDate(m.ExpiryDate),
        };
        Fields(page, new FieldStyle(1.5, 2.5, 5.6), ink, 10.5,
        [
            [("Surname / Nom", printed["surname"], 31)],
            [("Given names / Prénoms", printed["given_names"], 31)],
            [("Sex", printed["sex"], 31), ("Nationality", printed["nationality"], 42)],
            [("Date of birth", printed["date_of_birth"], 31), ("Place of birth", printed["place_of_birth"], 55)],
            [("Document No.", printed["document_number"], 31), ("Date of expiry", printed["date_of_expiry"], 55)],
        ]);
        return new RenderedSide { Side = "front", Image = page, SizeMm = Td1SizeMm, Portrait = portrait, Printed = printed };
    }

    /// <summary>Prints the back of an identity card: address, issue data and the three-line MRZ.</summary>
    public RenderedSide RenderCardBack(SyntheticIdentity identity, Random random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var mrz = MrzComposer.Compose(identity.Mrz);
        var page = NewSide(Td1SizeMm, random, identity, mrzTopMm: 37.5, out var ink);
        var printed = new Dictionary<string, string>
        {
            ["address"] = string.Join('\n', identity.Address),
            ["date_of_issue"] = PrintedDate(identity.IssueDate),
            ["authority"] = identity.Authority,
        };
        var style = new FieldStyle(1.5, 2.5, 5.6);
        Fields(page, style, ink, 3.5, [[("Address / Adresse", identity.Address[0], 4)]]);
        Value(page, identity.Address[1], 4, 3.5 + style.ValueBaselineMm + 3.2, style.ValueMm, 78);
        Fields(page, style, ink, 15,
        [
            [("Date of issue", printed["date_of_issue"], 4)],
            [("Authority", printed["authority"], 4)],
        ]);
        var mrzBox = Mrz(page, mrz, bottomBaselineMm: 50.4, lineSpacingMm: 4.4);
        return new RenderedSide { Side = "back", Image = page, SizeMm = Td1SizeMm, Mrz = mrzBox, Printed = printed };
    }

    private RgbImage NewSide((double Width, double Height) sizeMm, Random random, SyntheticIdentity identity, double mrzTopMm, out RgbColor ink) =>
        NewSide(sizeMm, random, MrzComposer.Transliterate(identity.Country.Name).Replace('<', ' '), mrzTopMm, out ink);

    /// <summary>A blank side: security print in a random ink with <paramref name="microtext"/>, lightened from <paramref name="lightenFromMm"/> down, marked as a specimen.</summary>
    internal RgbImage NewSide((double Width, double Height) sizeMm, Random random, string microtext, double lightenFromMm, out RgbColor ink)
    {
        var page = RgbImage.Allocate((int)Math.Round(Px(sizeMm.Width)), (int)Math.Round(Px(sizeMm.Height)));
        // A darkish, saturated ink per document; the background uses it diluted.
        ink = new RgbColor((byte)random.Next(20, 140), (byte)random.Next(40, 140), (byte)random.Next(60, 170));
        SecurityPrint.Paint(page, random, ink, microtext, fonts.Sans, Px(lightenFromMm));
        // Marked as a specimen, faintly, so that no one mistakes a generated document for a real one.
        fonts.SansBold.DrawText(page, "SPECIMEN", page.Width * 0.55, page.Height * 0.3,
            FitSize(fonts.SansBold, "SPECIMEN", Px(sizeMm.Height / 9), page.Width * 0.42), new RgbColor(246, 244, 236).Mix(ink, 0.22));
        return page;
    }

    internal static DocumentRegion Region(double xMm, double yMm, double widthMm, double heightMm) =>
        new(Math.Round(Px(xMm)), Math.Round(Px(yMm)), Math.Round(Px(widthMm)), Math.Round(Px(heightMm)));

    internal void Heading(RgbImage page, string text, double xMm, double baselineMm, double emMm, RgbColor ink) =>
        fonts.SansBold.DrawText(page, text, Px(xMm), Px(baselineMm), FitSize(fonts.SansBold, text, Px(emMm), page.Width - Px(xMm) - Px(3)),
            ink.Mix(RgbColor.Black, 0.3));

    /// <summary>Rows of (label, value, x in mm) starting at <paramref name="topMm"/>; each label sits small above its value.</summary>
    private void Fields(RgbImage page, FieldStyle style, RgbColor ink, double topMm, (string Label, string Value, double XMm)[][] rows)
    {
        var labelInk = ink.Mix(RgbColor.Black, 0.45);
        double widthMm = page.Width * 25.4 / Dpi;
        for (int row = 0; row < rows.Length; row++)
        {
            double top = topMm + (row * style.RowMm);
            for (int i = 0; i < rows[row].Length; i++)
            {
                var (label, value, x) = rows[row][i];
                double right = i + 1 < rows[row].Length ? rows[row][i + 1].XMm - 2 : widthMm - 3;
                fonts.Sans.DrawText(page, label, Px(x), Px(top + (style.LabelMm * 0.9)), (int)Math.Round(Px(style.LabelMm)), labelInk);
                Value(page, value, x, top + style.ValueBaselineMm, style.ValueMm, right - x);
            }
        }
    }

    private void Value(RgbImage page, string text, double xMm, double baselineMm, double emMm, double maxWidthMm) =>
        fonts.Sans.DrawText(page, text, Px(xMm), Px(baselineMm), FitSize(fonts.Sans, text, Px(emMm), Px(maxWidthMm)), ValueInk);

    /// <summary>The largest pixel size up to <paramref name="em"/> at which the text fits <paramref name="maxWidth"/>: long names shrink, as printers do.</summary>
    internal static int FitSize(FontFace font, string text, double em, double maxWidth)
    {
        int size = (int)Math.Round(em);
        while (size > 8 && font.MeasureText(text, size) > maxWidth)
        {
            size--;
        }

        return size;
    }

    /// <summary>Draws the MRZ lines on the fixed pitch, centred across the page; returns their box with 1 mm around.</summary>
    private DocumentRegion Mrz(RgbImage page, string[] lines, double bottomBaselineMm, double lineSpacingMm)
    {
        double pitch = Px(MrzPitchMm);
        // OCR-B's cap height is a fixed share of its em: measure it once at a large size and scale.
        int em = (int)Math.Round(Px(MrzCapHeightMm) * 200.0 / fonts.Mrz.CapHeight(200));
        double left = (page.Width - (lines[0].Length * pitch)) / 2;
        double firstBaseline = Px(bottomBaselineMm - ((lines.Length - 1) * lineSpacingMm));
        for (int i = 0; i < lines.Length; i++)
        {
            fonts.Mrz.DrawText(page, lines[i], left, firstBaseline + (i * Px(lineSpacingMm)), em, RgbColor.Black, pitch);
        }

        double margin = Px(1);
        double top = firstBaseline - Px(MrzCapHeightMm) - margin;
        return new DocumentRegion(left - margin, top, (lines[0].Length * pitch) + (2 * margin), Px(bottomBaselineMm) + margin - top);
    }

    /// <summary>Label and value sizes (em, mm), the value baseline below the row top, and the row pitch.</summary>
    private readonly record struct FieldStyle(double LabelMm, double ValueMm, double RowMm)
    {
        public double ValueBaselineMm => LabelMm + (ValueMm * 0.95);
    }
}
