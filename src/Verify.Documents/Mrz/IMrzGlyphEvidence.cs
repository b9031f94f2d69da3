namespace Verify.Documents.Mrz;

/// <summary>
/// What the printed shape of each character of one MRZ line says, beside the recogniser's label: a second opinion on
/// look-alike characters (6 and G, O and 0, a filler and 0) that check digits cannot separate.
/// </summary>
public interface IMrzGlyphEvidence
{
    /// <summary>
    /// How well the glyph at <paramref name="position"/> of the line matches the OCR-B <paramref name="candidate"/>
    /// (normalised correlation, -1 to 1); null where there is no glyph to compare or the candidate is not one it is
    /// compared with.
    /// </summary>
    float? Similarity(int position, char candidate);
}
