namespace Verify.Documents.Mrz;

/// <summary>What the check digits cannot settle, settled by the printed glyphs (see <see cref="GlyphJudge"/>).</summary>
internal static class MrzGlyphCorrections
{
    /// <summary>
    /// What check digits cannot see, settled by the glyphs: a W/M/N/H in the name is replaced where its glyph clearly is
    /// another of them; a 6 or G in an alphanumeric field (their values differ by 10, so every check digit passes either
    /// way) is swapped where its glyph clearly is the other; in the document number, two O/0 confusions that cancel out in
    /// the check digits are undone where both glyphs clearly show the other character. A document number 6 or G whose
    /// glyph is unclear is flagged <see cref="MrzIssue.Ambiguous"/>.
    /// </summary>
    public static void Apply(char[][] grid, MrzFieldMap map, List<MrzCorrection> corrections, List<MrzFlag> flags, GlyphJudge shapes)
    {
        CorrectNameByGlyph(grid, map, corrections, flags, shapes);
        foreach (var slot in map.Slots.Where(s => s.Class == MrzCharClass.Alphanumeric))
        {
            var cells = MrzCells.DataCells(grid, map, slot);
            foreach (var (line, index) in cells.Where(cell => grid[cell.Line][cell.Index] is '6' or 'G'))
            {
                char read = grid[line][index], other = read == '6' ? 'G' : '6';
                switch (shapes.Preference(line, index, other, read))
                {
                    case >= GlyphJudge.Margin:
                        corrections.Add(new MrzCorrection(line + 1, index, read, other));
                        grid[line][index] = other;
                        MrzParser.AddOnce(flags, new MrzFlag(MrzIssue.CorrectedByGlyph, slot.Name));
                        break;
                    case > -GlyphJudge.Margin or null when slot.Name == MrzFieldName.DocumentNumber:
                        MrzParser.AddOnce(flags, new MrzFlag(MrzIssue.Ambiguous, slot.Name));
                        break;
                }
            }

            // Pairs of O/0 confusions whose check-digit weights cancel (both read as 0 at weights 7 and 3, say): the one
            // confusion the recogniser makes far more often than it reads the character right (docs/evaluation.md).
            // Only in the document number: optional data is mostly digits, where a run of blurred zeros can look round together.
            var confusable = cells.Where(cell => grid[cell.Line][cell.Index] is 'O' or '0').ToList();
            if (slot.Name != MrzFieldName.DocumentNumber || confusable.Count > MrzCheckDigitRepair.MaxConfusablePositions || !MrzCells.AllChecksPass(grid, map))
            {
                continue;
            }

            var favoured = confusable
                .Where(cell => shapes.Preference(cell.Line, cell.Index, MrzCheckDigitRepair.AlphanumericSwap[grid[cell.Line][cell.Index]], grid[cell.Line][cell.Index]) >= GlyphJudge.Margin)
                .ToList();
            for (int a = 0; a < favoured.Count; a++)
            {
                for (int b = a + 1; b < favoured.Count; b++)
                {
                    var pair = new[] { favoured[a], favoured[b] };
                    foreach (var (line, index) in pair)
                    {
                        grid[line][index] = MrzCheckDigitRepair.AlphanumericSwap[grid[line][index]];
                    }

                    if (MrzCells.AllChecksPass(grid, map))
                    {
                        foreach (var (line, index) in pair)
                        {
                            corrections.Add(new MrzCorrection(line + 1, index, MrzCheckDigitRepair.AlphanumericSwap[grid[line][index]], grid[line][index]));
                        }

                        MrzParser.AddOnce(flags, new MrzFlag(MrzIssue.CorrectedByGlyph, slot.Name));
                        favoured.RemoveAll(cell => pair.Contains(cell));
                        a = -1;
                        break;
                    }

                    foreach (var (line, index) in pair)
                    {
                        grid[line][index] = MrzCheckDigitRepair.AlphanumericSwap[grid[line][index]];
                    }
                }
            }
        }
    }

    /// <summary>
    /// The name has no check digit, and the recogniser reads a blurred W as M (or N, H): where the glyph clearly matches
    /// another letter of that group better than the one read, it is taken. Measured on the generated hard sets, the true
    /// letter of the group matched best on every one of 1,639 name cells, by 0.04 or more on all but a few.
    /// </summary>
    private static void CorrectNameByGlyph(char[][] grid, MrzFieldMap map, List<MrzCorrection> corrections, List<MrzFlag> flags, GlyphJudge shapes)
    {
        var span = map[MrzFieldName.Name].Span;
        for (int index = span.Start; index < span.Start + span.Length; index++)
        {
            char read = grid[span.Line][index];
            if (!NameLookAlikes.Contains(read, StringComparison.Ordinal))
            {
                continue;
            }

            var best = NameLookAlikes.Where(other => other != read)
                .Select(other => (Letter: other, Preference: shapes.Preference(span.Line, index, other, read)))
                .Where(candidate => candidate.Preference is not null)
                .OrderByDescending(candidate => candidate.Preference)
                .FirstOrDefault();
            if (best.Preference >= GlyphJudge.Margin)
            {
                corrections.Add(new MrzCorrection(span.Line + 1, index, read, best.Letter));
                grid[span.Line][index] = best.Letter;
                MrzParser.AddOnce(flags, new MrzFlag(MrzIssue.CorrectedByGlyph, MrzFieldName.Name));
            }
        }
    }

    /// <summary>Capitals of similar outline that the recogniser confuses in names and that OCR-B draws clearly apart.</summary>
    private const string NameLookAlikes = "MWNH";
}
