namespace Verify.Documents.Mrz;

/// <summary>Reads the glyph evidence of the lines of one MRZ as preferences between two readings of a cell.</summary>
/// <param name="rows">Per grid line, its glyph evidence; null (or a null line) where there is none.</param>
internal sealed class GlyphJudge(IReadOnlyList<IMrzGlyphEvidence?>? rows)
{
    /// <summary>
    /// The correlation one OCR-B candidate must gain over the other before the glyph decides between them. Chosen on the
    /// generated hard sets (docs/evaluation.md): wide enough that no glyph decision there was wrong.
    /// </summary>
    public const float Margin = 0.05f;

    /// <summary>
    /// How much more the glyph at (<paramref name="line"/>, <paramref name="index"/>) looks like
    /// <paramref name="candidate"/> than like <paramref name="current"/>; null without evidence for both.
    /// </summary>
    public float? Preference(int line, int index, char candidate, char current)
    {
        var evidence = rows is null || line >= rows.Count ? null : rows[line];
        return evidence?.Similarity(index, candidate) is { } wanted && evidence.Similarity(index, current) is { } held ? wanted - held : null;
    }

    /// <summary>Whether the glyph clearly shows <paramref name="shown"/> rather than <paramref name="other"/>.</summary>
    public bool Clearly(int line, int index, char shown, char other) => Preference(line, index, other, shown) <= -Margin;
}
