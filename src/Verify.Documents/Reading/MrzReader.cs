using System.Diagnostics;
using Verify.Documents.Checks;
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
/// <param name="Reading">The parsed MRZ when read (personal data: in memory only, never logged).</param>
/// <param name="TextAngleDegrees">The clockwise direction of the MRZ text in the image, 0 for upright.</param>
/// <param name="LocateMilliseconds">Time spent finding the band.</param>
/// <param name="OcrMilliseconds">Time spent in Tesseract and the parser.</param>
public sealed record MrzScan(MrzScanStatus Status, MrzReading? Reading, double TextAngleDegrees,
    double LocateMilliseconds, double OcrMilliseconds)
{
    /// <summary>MRZ text is personal data: never print it.</summary>
    public override string ToString() =>
        $"MrzScan {{ Status = {Status}, Valid = {Reading?.IsValid}, Angle = {TextAngleDegrees:F1} }}";
}

/// <summary>
/// Finds the MRZ in a document photo at any orientation, cuts each line out level, reads it with Tesseract
/// (MRZ alphabet only) and parses it; reads the other direction too when the first does not parse as a valid MRZ.
/// </summary>
/// <remarks>
/// A second engine (<paramref name="fallback"/>, the legacy classifier by default) reads the lines again when the
/// first reading is not a valid, unambiguous MRZ: the two engines fail differently (the LSTM drops a leading
/// character or doubles an O; the legacy classifier confuses W and N), and where they disagree on a character the
/// check digits choose between their readings. Where they cannot (6 and G, a filler and 0, two O/0 confusions that
/// cancel out), the shape of the glyph on the strip, compared with the OCR-B renderings of <paramref name="glyphs"/>,
/// decides. The reader owns both pools and the glyphs.
/// </remarks>
public sealed class MrzReader(TesseractPool pool, TesseractPool? fallback, MrzReadingOptions options, TimeProvider time,
    OcrBGlyphs? glyphs = null) : IDisposable
{
    /// <summary>At most this many positions where the engines disagree are tried both ways (2^n readings).</summary>
    private const int MaxDisagreements = 6;

    /// <summary>The characters an MRZ can hold.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

    public void Dispose()
    {
        pool.Dispose();
        fallback?.Dispose();
        glyphs?.Dispose();
    }

    /// <summary>Creates and exercises the first Tesseract instance of each pool now (see <see cref="TesseractPool.WarmUp"/>).</summary>
    public void WarmUp()
    {
        pool.WarmUp();
        fallback?.WarmUp();
    }

    /// <param name="image">The document photo, EXIF orientation applied.</param>
    /// <param name="cancellationToken">Stops between lines, and the recognition of a line under way.</param>
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
            return new MrzScan(MrzScanStatus.NotFound, null, 0, locate, 0);
        }

        var ocrStarted = Stopwatch.GetTimestamp();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = band.LooksUpright ? band : band.Turned();
        (MrzReading? Reading, int Score, MrzBand Band) best = (null, -1, first);
        foreach (var candidate in new[] { first, first.Turned() })
        {
            var lines = ReadLines(pool, gray, candidate, factor, cancellationToken);
            var (reading, score) = BestOf(lines, today);
            if (!IsSettled(reading) && fallback is not null && (reading is not null || candidate == first))
            {
                var second = ReadLines(fallback, gray, candidate, factor, cancellationToken);
                var (combined, combinedScore) = Better(
                    BestCombination([.. lines.Select(line => line.Cells)], [.. second.Select(line => line.Cells)], today),
                    BestCombination([.. lines.Select(line => line.Raw)], [.. second.Select(line => line.Raw)], today));
                if (combinedScore > score)
                {
                    (reading, score) = (combined, combinedScore);
                }
            }

            if (score > best.Score)
            {
                best = (reading, score, candidate);
            }

            // Passing check digits settle the direction even when a field stays ambiguous: reading the page
            // turned by 180 degrees as well cannot help then, and cost a third of the time (measured).
            if (reading is { IsValid: true })
            {
                break;
            }
        }

        double ocr = Stopwatch.GetElapsedTime(ocrStarted).TotalMilliseconds;
        var status = best.Reading is null ? MrzScanStatus.Unreadable : MrzScanStatus.Read;
        return new MrzScan(status, best.Reading, (best.Band.AngleDegrees + 360) % 360, locate, ocr);
    }

    /// <summary>Reads the lines side by side, each with its own pooled Tesseract instance (one OpenMP thread each).</summary>
    private MrzLineReading[] ReadLines(TesseractPool engines, GrayImage gray, MrzBand band, int factor, CancellationToken cancellationToken)
    {
        var lines = new MrzLineReading[band.Lines.Count];
        Parallel.For(0, lines.Length, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = engines.Size }, index =>
        {
            using var lease = engines.Rent(cancellationToken);
            lines[index] = ReadLine(lease.Engine, gray, band.Lines[index].Scaled(factor), cancellationToken);
        });
        return lines;
    }

    private MrzLineReading ReadLine(TesseractEngine engine, GrayImage gray, MrzLineGeometry line, CancellationToken cancellationToken)
    {
        using var strip = MrzStrip.Extract(gray, line, options.Sharpening);
        var symbols = RecognizeWithinDeadline(engine, strip, cancellationToken).Where(symbol => Alphabet.Contains(symbol.Text, StringComparison.Ordinal)).ToList();
        // The locator measured the first and last character centres; the cell count is the MRZ line length it is
        // nearest to (the per-line pitch estimate is off by a fraction of a character over a long line).
        double span = line.Length / line.Pitch;
        int cells = MrzLayout.LineLengths.Where(length => Math.Abs(span - (length - 1)) <= 1.5).DefaultIfEmpty((int)Math.Round(span) + 1).First();
        double stripPitch = cells > 1 ? line.Length * MrzStrip.TargetPitch / line.Pitch / (cells - 1) : MrzStrip.TargetPitch;
        var evidence = glyphs is null ? null : MrzStripGlyphs.Measure(glyphs, strip, symbols, stripPitch);
        return new MrzLineReading(
            MrzCells.Assemble(symbols, cells, MrzStrip.MarginPitches * MrzStrip.TargetPitch, stripPitch, evidence),
            MrzLineText.FromSymbols(symbols, evidence));
    }

    /// <summary>The line's characters; none when Tesseract ran past its deadline on it (the line then counts as unread).</summary>
    private static IReadOnlyList<OcrSymbol> RecognizeWithinDeadline(TesseractEngine engine, GrayImage strip, CancellationToken cancellationToken)
    {
        try
        {
            return engine.Recognize(strip, cancellationToken: cancellationToken).Symbols;
        }
        catch (OcrDeadlineExceededException)
        {
            return [];
        }
    }

    /// <summary>The better of the lines placed in their cells and the lines as Tesseract returned them (cells on a tie).</summary>
    private static (MrzReading? Reading, int Score) BestOf(IReadOnlyList<MrzLineReading> lines, DateOnly today)
    {
        var cells = BestAlignment([.. lines.Select(line => line.Cells)], today);
        return cells.Reading is { IsValid: true } ? cells : Better(cells, BestAlignment([.. lines.Select(line => line.Raw)], today));
    }

    private static (MrzReading? Reading, int Score) Better((MrzReading? Reading, int Score) first, (MrzReading? Reading, int Score) second) =>
        second.Score > first.Score ? second : first;

    /// <summary>
    /// The strip around a line is cut with a margin, so the document edge or a mark beside the MRZ can add a
    /// character or two at either end: parse every window of each line that has an MRZ line length, and keep
    /// the reading with the most passing check digits and valid fields.
    /// </summary>
    internal static (MrzReading? Reading, int Score) BestAlignment(IReadOnlyList<MrzLineText> lines, DateOnly today)
    {
        MrzReading? best = Parse(lines, today);
        int bestScore = best is null ? -1 : Score(best);
        if (best is { IsValid: true } || lines.Count == 0)
        {
            return (best, bestScore);
        }

        int length = lines.Count == 3 ? 30 : lines.Max(line => line.Length) > 40 ? 44 : 36;
        var windows = lines.Select(line => Windows(line, length).ToArray()).ToArray();
        foreach (var combination in Combinations(windows, 0, new MrzLineText[lines.Count]))
        {
            var reading = Parse(combination, today);
            int score = reading is null ? -1 : Score(reading);
            if (score > bestScore)
            {
                (best, bestScore) = (reading, score);
            }
        }

        return (best, bestScore);
    }

    /// <summary>
    /// The best reading from two engines' lines: per line either engine's text, or, where both have the same length,
    /// every mix of the two at the positions where they disagree (up to <see cref="MaxDisagreements"/>).
    /// </summary>
    internal static (MrzReading? Reading, int Score) BestCombination(IReadOnlyList<MrzLineText> first, IReadOnlyList<MrzLineText> second, DateOnly today)
    {
        if (first.Count != second.Count)
        {
            return (null, -1);
        }

        var options = first.Zip(second, Mixes).ToArray();
        (MrzReading? Reading, int Score) best = (null, -1);
        foreach (var lines in Combinations(options, 0, new MrzLineText[options.Length]))
        {
            var candidate = BestAlignment(lines, today);
            if (candidate.Score > best.Score)
            {
                best = candidate;
            }

            if (IsSettled(best.Reading))
            {
                break;
            }
        }

        return best;
    }

    private static MrzReading? Parse(IReadOnlyList<MrzLineText> lines, DateOnly today) =>
        MrzParser.Parse(lines.Select(line => line.Text), today, [.. lines.Select(line => (IReadOnlyList<float>)line.Confidence)],
            [.. lines.Select(line => (IMrzGlyphEvidence?)line.Glyphs)]);

    /// <summary>
    /// Every mix of two readings of a line at the positions where they disagree. A cell the first engine left empty
    /// takes the second's character without a choice.
    /// </summary>
    private static MrzLineText[] Mixes(MrzLineText a, MrzLineText b)
    {
        if (a.Text == b.Text || a.Length != b.Length)
        {
            return a.Text == b.Text ? [a] : [a, b];
        }

        var text = a.Text.ToCharArray();
        var confidence = a.Confidence.ToArray();
        var centres = Enumerable.Range(0, text.Length).Select(i => a.Glyphs?.CentreOf(i) ?? double.NaN).ToArray();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == MrzCells.Missing)
            {
                (text[i], confidence[i], centres[i]) = (b.Text[i], b.Confidence[i], b.Glyphs?.CentreOf(i) ?? double.NaN);
            }
        }

        // Both engines read the same strip, so either reading's evidence can place the other's characters on it.
        var strip = a.Glyphs ?? b.Glyphs;
        var differing = Enumerable.Range(0, text.Length).Where(i => text[i] != b.Text[i]).ToArray();
        if (differing.Length > MaxDisagreements)
        {
            return [new MrzLineText(new string(text), confidence, strip?.With(centres, text)), b];
        }

        var mixes = new MrzLineText[1 << differing.Length];
        for (int mask = 0; mask < mixes.Length; mask++)
        {
            var chars = (char[])text.Clone();
            var sureness = (float[])confidence.Clone();
            var places = (double[])centres.Clone();
            for (int bit = 0; bit < differing.Length; bit++)
            {
                if ((mask & (1 << bit)) != 0)
                {
                    int at = differing[bit];
                    (chars[at], sureness[at], places[at]) = (b.Text[at], b.Confidence[at], b.Glyphs?.CentreOf(at) ?? double.NaN);
                }
            }

            mixes[mask] = new MrzLineText(new string(chars), sureness, strip?.With(places, chars));
        }

        return mixes;
    }

    /// <summary>Valid, real country codes as read, and no field the check digits could not settle.</summary>
    public static bool IsSettled(MrzReading? reading) => reading is { IsValid: true } && !reading.Has(MrzIssue.Ambiguous)
        && !reading.Has(MrzIssue.ChosenByConfidence) && !reading.Has(MrzIssue.CorrectedByCodeList)
        && IcaoCountryCodes.IsKnown(reading.IssuingState.Value) && IcaoCountryCodes.IsKnown(reading.Nationality.Value);

    /// <summary>Passing check digits first, then valid fields and real country codes (no check digit covers those), minus flags.</summary>
    private static int Score(MrzReading reading) =>
        (reading.CheckDigits.Count(check => check.Passed) * 10) + reading.Fields.Count(field => field.IsValid) - reading.Flags.Count
        - (IcaoCountryCodes.IsKnown(reading.IssuingState.Value) ? 0 : 5) - (IcaoCountryCodes.IsKnown(reading.Nationality.Value) ? 0 : 5);

    private static IEnumerable<MrzLineText> Windows(MrzLineText line, int length)
    {
        if (line.Length <= length)
        {
            yield return line;
            yield break;
        }

        if (line.Text.Contains(MrzCells.Missing, StringComparison.Ordinal))
        {
            // Cells in which nothing was read are margin the locator added for unseen characters, or the gap between
            // the MRZ and a mark it merged with along the same axis: the line is where the cells are fullest.
            var missing = Enumerable.Range(0, line.Length - length + 1)
                .Select(offset => (Offset: offset, Count: line.Text.AsSpan(offset, length).Count(MrzCells.Missing))).ToList();
            int fewest = missing.Min(window => window.Count);
            foreach (var window in missing.Where(window => window.Count == fewest).Take(4))
            {
                yield return line.Slice(window.Offset, length);
            }

            yield break;
        }

        for (int offset = 0; offset <= Math.Min(3, line.Length - length); offset++)
        {
            yield return line.Slice(offset, length);
        }
    }

    private static IEnumerable<T[]> Combinations<T>(T[][] windows, int index, T[] current)
    {
        if (index == windows.Length)
        {
            yield return [.. current];
            yield break;
        }

        foreach (var window in windows[index])
        {
            current[index] = window;
            foreach (var combination in Combinations(windows, index + 1, current))
            {
                yield return combination;
            }
        }
    }
}

/// <summary>One MRZ line as one engine read it: placed in its character cells, and as Tesseract returned it.</summary>
internal sealed record MrzLineReading(MrzLineText Cells, MrzLineText Raw);
