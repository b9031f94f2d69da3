using Verify.Documents.Ocr;

namespace Verify.Documents.Reading;

/// <summary>One MRZ line as read: its characters, the engine's confidence (0-100) in each and, where the strip was kept,
/// what each character's glyph looks like.</summary>
/// <remarks>MRZ text is personal data: the record prints neither.</remarks>
internal sealed record MrzLineText(string Text, float[] Confidence, MrzStripGlyphs? Glyphs = null)
{
    public static MrzLineText Empty { get; } = new(string.Empty, []);

    public int Length => Text.Length;

    public MrzLineText Slice(int start, int length) =>
        new(Text.Substring(start, length), Confidence[start..(start + length)], Glyphs?.Slice(start, length));

    /// <summary>The characters Tesseract returned (those of the MRZ alphabet), in its order.</summary>
    public static MrzLineText FromSymbols(IReadOnlyList<OcrSymbol> symbols, MrzStripGlyphs? glyphs = null)
    {
        string text = string.Concat(symbols.Select(symbol => symbol.Text));
        return new(text, [.. symbols.Select(symbol => symbol.Confidence)], glyphs?.With([.. symbols.Select(symbol => symbol.CentreX)], text.ToCharArray()));
    }

    public override string ToString() => $"MrzLineText {{ Length = {Length} }}";
}

/// <summary>
/// Puts the characters Tesseract read on one MRZ line into the line's character cells. An MRZ is monospaced and the
/// locator measured where its first and last characters stand, so every character has a cell: a mark beyond the
/// ends (the card edge, a pattern) falls outside every cell and is dropped; a glyph the LSTM reported twice or three
/// times (it doubles round letters such as O on blurred lines) lands twice in one cell and counts once; a glyph it
/// skipped leaves its cell empty (<see cref="Missing"/>) instead of shifting every character after it.
/// </summary>
internal static class MrzCells
{
    /// <summary>Marks a cell in which no character was read; outside the MRZ alphabet, so the parser treats it as unreadable.</summary>
    public const char Missing = '?';

    /// <summary>A step between neighbouring characters shorter than this share of the local pitch stays in the same cell.</summary>
    private const double SameCell = 0.6;

    /// <summary>Neighbouring steps on each side from which the local pitch is taken (perspective changes it along the line).</summary>
    private const int PitchReach = 5;

    /// <param name="symbols">The characters Tesseract read (those of the MRZ alphabet), with their boxes, in the strip's pixels.</param>
    /// <param name="cells">How many character cells the line has.</param>
    /// <param name="firstCentre">Where the first cell's centre lies along the strip, in pixels.</param>
    /// <param name="pitch">The mean distance between cell centres, in pixels.</param>
    /// <param name="glyphs">The line's strip, on which the glyph of each cell's character is placed; null for none.</param>
    public static MrzLineText Assemble(IReadOnlyList<OcrSymbol> symbols, int cells, double firstCentre, double pitch,
        MrzStripGlyphs? glyphs = null)
    {
        var kept = symbols.OrderBy(symbol => symbol.CentreX).ToList();
        if (kept.Count == 0 || cells <= 0 || pitch <= 0)
        {
            return MrzLineText.Empty;
        }

        var positions = kept.Select(symbol => (symbol.CentreX - firstCentre) / pitch).ToArray();
        var steps = new double[positions.Length];
        for (int i = 1; i < positions.Length; i++)
        {
            steps[i] = positions[i] - positions[i - 1];
        }

        // Cells relative to the first character, from the steps measured against the local pitch: the absolute positions
        // drift by up to most of a pitch in the middle of a line under perspective, the steps between neighbours do not.
        var relative = new int[positions.Length];
        for (int i = 1; i < positions.Length; i++)
        {
            double local = LocalPitch(steps, i);
            int advance = steps[i] < SameCell * local ? 0 : Math.Max(1, (int)Math.Round(steps[i] / local));
            relative[i] = relative[i - 1] + advance;
        }

        // The offset that puts the characters nearest their measured cells overall, among those that keep every character
        // inside the line when they fit in it (the measured ends can be most of a pitch off on one line of a band), and
        // that drop as few as possible beyond the ends when there are more than the line holds.
        var offsets = positions.Select((position, i) => position - relative[i]).Order().ToArray();
        int offset = (int)Math.Round(offsets[offsets.Length / 2]);
        int lowest = -relative[0], highest = cells - 1 - relative[^1];
        offset = lowest <= highest ? Math.Clamp(offset, lowest, highest) : Math.Clamp(offset, highest, lowest);

        var text = new char[cells];
        var confidence = new float[cells];
        var centres = new double[cells];
        Array.Fill(text, Missing);
        Array.Fill(centres, double.NaN);
        for (int i = 0; i < kept.Count; i++)
        {
            int cell = relative[i] + offset;
            if (cell < 0 || cell >= cells)
            {
                continue;
            }

            var symbol = kept[i];
            if (text[cell] == Missing || symbol.Confidence > confidence[cell])
            {
                text[cell] = symbol.Text;
                confidence[cell] = symbol.Confidence;
                centres[cell] = symbol.CentreX;
            }
        }

        return new MrzLineText(new string(text), confidence, glyphs?.With(centres, text));
    }

    /// <summary>The median of the steps around <paramref name="index"/> that move to a new cell; 1 when there are none.</summary>
    private static double LocalPitch(double[] steps, int index)
    {
        var near = new List<double>(2 * PitchReach);
        for (int i = Math.Max(1, index - PitchReach); i <= Math.Min(steps.Length - 1, index + PitchReach); i++)
        {
            if (steps[i] >= SameCell)
            {
                near.Add(steps[i]);
            }
        }

        if (near.Count == 0)
        {
            return 1;
        }

        near.Sort();
        return near[near.Count / 2];
    }
}
