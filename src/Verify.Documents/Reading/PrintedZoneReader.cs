using Verify.Documents.Ocr;
using Verify.Documents.PrintedZone;
using Verify.Imaging;

namespace Verify.Documents.Reading;

/// <summary>Reads the visual inspection zone (the printed labels and values) of a document photo with its own Tesseract pool.</summary>
public sealed class PrintedZoneReader(TesseractPool pool) : IDisposable
{
    /// <summary>Photos are read at up to this long side: field labels are small print, and the legacy engine misread
    /// them at 1400 pixels (measured) while 2000 still reads a page in about 400 ms.</summary>
    public const int ReadingLongSide = 2000;

    /// <summary>Tesseract's own deskew handles a few degrees; the text direction is measured when the caller only knows a quarter turn.</summary>
    private const double RefinementRange = 30;

    /// <param name="image">The document photo, EXIF orientation applied.</param>
    /// <param name="textAngleDegrees">The clockwise direction of the document's text in the image: exact from the MRZ,
    /// or a quarter turn from the portrait, which is refined here from the direction of the printed lines.</param>
    /// <param name="refine">Whether to measure the exact direction near <paramref name="textAngleDegrees"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a Tesseract instance and stops its recognition.</param>
    public PrintedZoneReading Read(RgbImage image, double textAngleDegrees, bool refine, CancellationToken cancellationToken = default) =>
        PrintedZoneParser.Parse(LabelsWithValues(Recognize(image, textAngleDegrees, refine, cancellationToken)));

    /// <summary>
    /// Reads a driver's licence front: the holder's names, birth date, expiry and licence number under AAMVA's numbered
    /// labels (see <see cref="LicenceFrontParser"/>), to cross-check with the barcode.
    /// </summary>
    /// <param name="front">The licence front's photo, EXIF orientation applied.</param>
    /// <param name="textAngleDegrees">The clockwise direction of the front's text: a quarter turn from the portrait,
    /// refined here from the direction of the printed lines.</param>
    /// <param name="cancellationToken">Cancels the wait for a Tesseract instance and stops its recognition.</param>
    public PrintedZoneReading ReadLicence(RgbImage front, double textAngleDegrees, CancellationToken cancellationToken = default) =>
        LicenceFrontParser.Parse(Recognize(front, textAngleDegrees, refine: true, cancellationToken));

    /// <summary>The text lines of the photo turned upright; none when Tesseract ran past its deadline.</summary>
    private IReadOnlyList<OcrLine> Recognize(RgbImage image, double textAngleDegrees, bool refine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (refine)
        {
            textAngleDegrees = Refine(image, textAngleDegrees);
        }

        using var upright = Upright(image, textAngleDegrees);
        using var gray = GrayImage.FromRgb(upright);
        using var lease = pool.Rent(cancellationToken);
        try
        {
            return lease.Engine.Recognize(gray, cancellationToken: cancellationToken).Lines;
        }
        catch (OcrDeadlineExceededException)
        {
            // Ran past its deadline: the zone counts as unread, as an empty page would.
            return [];
        }
    }

    /// <summary>
    /// Each line joined with the line printed right below it as "line: below". Tesseract returns a two-column layout
    /// column by column or row by row as it sees fit, while a label's value is always the line under it: pairing by
    /// position gives the parser "label: value" whatever the reading order was (lines that are not labels are ignored).
    /// </summary>
    internal static IEnumerable<string> LabelsWithValues(IReadOnlyList<OcrLine> lines)
    {
        foreach (var line in lines.OrderBy(line => line.Top).ThenBy(line => line.Left))
        {
            int height = Math.Max(1, line.Bottom - line.Top);
            var below = lines
                .Where(other => !ReferenceEquals(other, line)
                    && other.Top > line.Top + (height / 2) && other.Top < line.Bottom + (2 * height)
                    && Math.Min(other.Right, line.Right) - Math.Max(other.Left, line.Left) > 0)
                .MinBy(other => other.Top);
            yield return below is null ? line.Text : $"{line.Text}: {below.Text}";
        }
    }

    /// <summary>Creates and exercises the first Tesseract instance now (see <see cref="TesseractPool.WarmUp"/>).</summary>
    public void WarmUp() => pool.WarmUp();

    public void Dispose() => pool.Dispose();

    /// <summary>The measured text direction nearest to <paramref name="approximate"/>, if within <see cref="RefinementRange"/>.</summary>
    internal static double Refine(RgbImage image, double approximate)
    {
        using var gray = GrayImage.FromRgb(image);
        int factor = Math.Max(1, (int)Math.Ceiling(Math.Max(gray.Width, gray.Height) / 1200.0));
        using var reduced = factor > 1 ? gray.Downsample(factor) : null;
        if (MrzLocator.TextAngle(reduced ?? gray) is not { } measured)
        {
            return approximate;
        }

        // The measurement is modulo 180 degrees: take the representative closest to the approximate direction.
        double delta = ((measured - approximate) % 180 + 270) % 180 - 90;
        return Math.Abs(delta) <= RefinementRange ? approximate + delta : approximate;
    }

    /// <summary>The photo turned so the text runs left to right, scaled down so its long side is at most <paramref name="longSide"/>.</summary>
    internal static RgbImage Upright(RgbImage image, double textAngleDegrees, int longSide = ReadingLongSide)
    {
        double radians = textAngleDegrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        double width = Math.Abs(image.Width * cos) + Math.Abs(image.Height * sin);
        double height = Math.Abs(image.Width * sin) + Math.Abs(image.Height * cos);
        double scale = Math.Min(1, longSide / Math.Max(width, height));
        int outWidth = Math.Max(1, (int)Math.Round(width * scale)), outHeight = Math.Max(1, (int)Math.Round(height * scale));
        // Output pixel (u, v) looks up the source along the text direction from the image centre.
        double a = cos / scale, b = -sin / scale, c = sin / scale, d = cos / scale;
        var map = new Affine2D(a, b, c, d,
            (image.Width / 2.0) - ((a * outWidth / 2) + (b * outHeight / 2)),
            (image.Height / 2.0) - ((c * outWidth / 2) + (d * outHeight / 2)));
        return ImageResampler.WarpAffine(image, map, outWidth, outHeight);
    }
}
