namespace Verify.Documents.Mrz;

/// <summary>Reads the glyph evidence of the lines of one MRZ as preferences between two readings of a cell.</summary>
/// <param name="rows">Per grid line, its glyph evidence; null (or a null line) where there is none.</param>
internal sealed class GlyphJudge(IReadOnlyList<IMrzGlyphEvidence?>? rows)
{
    /// <summary>
    /// The correlation one OCR-B candidate must gain over the other before the glyph decides between them. Measured on the
    /// generated hard sets (docs/evaluation.md): 6 against G, I/1, S/5, B/8 and Z/2 separate by 0.08 or more on every
    /// strongly blurred cell; O against 0 needs the calibration below.
    /// </summary>
    public const float Margin = 0.05f;

    // O and 0 differ by little more than width, and a blurred 0 correlates better with the round O than a sharp one does:
    // the document's own zeros (in its dates and check digits, digits by definition) say what a 0 looks like on this
    // photo. Measured as (O likeness - 0 likeness) minus that baseline on the hard sets: zeros 0.00 median, at most
    // +0.08; O's 0.10-0.17 median, at least -0.03. So an O is clear from +0.09 and a 0 from -0.04.
    private const float ClearO = 0.05f, ClearZero = -0.04f, RawZeroBaseline = 0.03f;

    private float? _zeroBaseline;

    /// <summary>
    /// Measures what a 0 looks like on this document from the zeros of its numeric fields (at least two are needed;
    /// otherwise a typical value stands in).
    /// </summary>
    public void Calibrate(IEnumerable<(int Line, int Index)> knownZeros)
    {
        var differences = knownZeros.Select(cell => Difference(cell.Line, cell.Index)).OfType<float>().Order().ToList();
        _zeroBaseline = differences.Count >= 2 ? differences[differences.Count / 2] : null;
    }

    /// <summary>
    /// How much more the glyph at (<paramref name="line"/>, <paramref name="index"/>) looks like
    /// <paramref name="candidate"/> than like <paramref name="current"/>, on a scale where <see cref="Margin"/> is clear;
    /// null without evidence for both.
    /// </summary>
    public float? Preference(int line, int index, char candidate, char current)
    {
        if ((candidate, current) is ('O', '0') or ('0', 'O'))
        {
            if (Difference(line, index) is not { } difference)
            {
                return null;
            }

            float x = difference - (_zeroBaseline ?? RawZeroBaseline);
            float middle = (ClearO + ClearZero) / 2;
            float towardsO = x >= middle ? (x - middle) * Margin / (ClearO - middle) : (x - middle) * Margin / (middle - ClearZero);
            return candidate == 'O' ? towardsO : -towardsO;
        }

        var evidence = Row(line);
        return evidence?.Similarity(index, candidate) is { } wanted && evidence.Similarity(index, current) is { } held ? wanted - held : null;
    }

    /// <summary>Whether the glyph clearly shows <paramref name="shown"/> rather than <paramref name="other"/>.</summary>
    public bool Clearly(int line, int index, char shown, char other) => Preference(line, index, other, shown) <= -Margin;

    private IMrzGlyphEvidence? Row(int line) => rows is null || line >= rows.Count ? null : rows[line];

    /// <summary>O likeness minus 0 likeness of one glyph; null without evidence.</summary>
    private float? Difference(int line, int index) =>
        Row(line) is { } evidence && evidence.Similarity(index, 'O') is { } o && evidence.Similarity(index, '0') is { } zero ? o - zero : null;
}
