using System.Diagnostics;
using Verify.Documents.Mrz;
using Verify.Documents.Ocr;
using Verify.Imaging;

namespace Verify.Documents.Reading;

/// <summary>Whether a machine readable zone was found and read.</summary>
public enum MrzScanStatus
{
    /// <summary>An MRZ was found and its lines read (they may still fail check digits).</summary>
    Read,

    /// <summary>No MRZ-like band of text was found in the image.</summary>
    NotFound,

    /// <summary>A band was found but neither reading direction gave MRZ text.</summary>
    Unreadable,
}

/// <summary>The outcome of looking for and reading an MRZ in one image.</summary>
/// <param name="Status">Found and read, not found, or unreadable.</param>
/// <param name="Lines">The OCR'd lines, top to bottom (personal data: in memory only, never logged).</param>
/// <param name="TextAngleDegrees">The direction of the MRZ text in the image, 0 for upright, clockwise.</param>
/// <param name="LocateMilliseconds">Time spent finding the band.</param>
/// <param name="OcrMilliseconds">Time spent in Tesseract.</param>
public sealed record MrzScan(MrzScanStatus Status, IReadOnlyList<string> Lines, double TextAngleDegrees,
    double LocateMilliseconds, double OcrMilliseconds)
{
    /// <summary>MRZ text is personal data: never print it.</summary>
    public override string ToString() =>
        $"MrzScan {{ Status = {Status}, Lines = {Lines.Count}, Angle = {TextAngleDegrees:F1} }}";
}

/// <summary>
/// Finds the MRZ in a document photo at any orientation, cuts each line out level, and reads it with
/// Tesseract (MRZ alphabet only); tries the other reading direction when the first does not read as an MRZ.
/// </summary>
public sealed class MrzReader(TesseractPool pool, MrzReadingOptions options)
{
    /// <summary>The characters an MRZ can hold.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

    public MrzScan Read(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var started = Stopwatch.GetTimestamp();
        using var gray = GrayImage.FromRgb(image);
        int factor = Math.Max(1, (int)Math.Ceiling(Math.Max(gray.Width, gray.Height) / (double)options.SearchLongSide));
        MrzBand? band;
        using (var reduced = factor > 1 ? gray.Downsample(factor) : null)
        {
            band = MrzLocator.Locate(reduced ?? gray);
        }

        double locate = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (band is null)
        {
            return new MrzScan(MrzScanStatus.NotFound, [], 0, locate, 0);
        }

        var ocrStarted = Stopwatch.GetTimestamp();
        var first = band.LooksUpright ? band : band.Turned();
        (IReadOnlyList<string> Lines, int Score) best = ([], -1);
        var bestBand = first;
        using (var lease = pool.Rent(cancellationToken))
        {
            foreach (var candidate in new[] { first, first.Turned() })
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lines = candidate.Lines.Select(line => ReadLine(lease.Engine, gray, line.Scaled(factor))).ToArray();
                int score = MrzTextScore(lines);
                if (score > best.Score)
                {
                    (best, bestBand) = ((lines, score), candidate);
                }

                if (score >= lines.Length * 100)
                {
                    break;
                }
            }
        }

        double ocr = Stopwatch.GetElapsedTime(ocrStarted).TotalMilliseconds;
        var status = best.Score > 0 ? MrzScanStatus.Read : MrzScanStatus.Unreadable;
        return new MrzScan(status, best.Lines, (bestBand.AngleDegrees + 360) % 360, locate, ocr);
    }

    private static string ReadLine(TesseractEngine engine, GrayImage gray, MrzLineGeometry line)
    {
        using var strip = MrzStrip.Extract(gray, line);
        var text = engine.Recognize(strip).Text;
        return string.Concat(text.Where(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '<'));
    }

    /// <summary>
    /// How much the lines look like an MRZ: per line, 100 when its length is an MRZ line length and its
    /// line-2 check digits pass, less for near misses; the reading direction with the higher score wins.
    /// </summary>
    internal static int MrzTextScore(IReadOnlyList<string> lines)
    {
        int score = 0;
        foreach (var line in lines)
        {
            int bestLength = new[] { 30, 36, 44 }.MinBy(length => Math.Abs(length - line.Length));
            int distance = Math.Abs(bestLength - line.Length);
            score += distance == 0 ? 100 : Math.Max(0, 60 - (distance * 15));
        }

        return score;
    }
}
