using System.Globalization;
using System.Text;
using Verify.Documents.Checks;

namespace Verify.Documents.Mrz;

/// <summary>Reads OCR'd MRZ lines per ICAO Doc 9303 (TD1, TD2, TD3, MRV-A, MRV-B), correcting OCR confusions where the field or its check digits allow.</summary>
public static class MrzParser
{
    // Beyond this many corrected characters in one field group the check digits no longer make a reading likely.
    private const int MaxAlphanumericCorrections = 2;

    // Above this many confusable positions the search space gets large while the evidence stays one check digit.
    private const int MaxConfusablePositions = 24;

    // Confidence points (0-100) by which the characters of one check-digit-passing swap must be less sure than those
    // of every other such swap before the engine's confidence may choose it.
    private const float ConfidenceMargin = 5;

    // In a numeric field no letter is legitimate: take the digit it resembles. Q and D join O as readings of the
    // OCR-B zero (its shape is a rounded rectangle); the date and check digits then confirm or refute the guess.
    private static readonly Dictionary<char, char> LetterToDigit = new()
    {
        ['O'] = '0', ['Q'] = '0', ['D'] = '0', ['I'] = '1', ['Z'] = '2', ['S'] = '5', ['B'] = '8', ['G'] = '6',
    };

    // In an alphabetic field no digit is legitimate: take the letter it resembles.
    private static readonly Dictionary<char, char> DigitToLetter = new()
    {
        ['0'] = 'O', ['1'] = 'I', ['2'] = 'Z', ['5'] = 'S', ['8'] = 'B', ['6'] = 'G',
    };

    // Capitals the OCR engines read for one another (measured on generated documents: W as M, H or N above all).
    private static readonly Dictionary<char, string> LetterLookAlikes = new()
    {
        ['M'] = "WNH", ['W'] = "MNHV", ['N'] = "MWH", ['H'] = "MWN", ['V'] = "WYU", ['U'] = "V", ['Y'] = "V",
        ['O'] = "DQC", ['D'] = "O", ['Q'] = "O", ['C'] = "GO", ['G'] = "C", ['E'] = "F", ['F'] = "EP", ['P'] = "FR",
        ['R'] = "PB", ['B'] = "R", ['I'] = "LT", ['L'] = "I", ['T'] = "I",
    };

    // Swaps tried in document numbers and optional data. 6 and G are left out: their values (6, 16) differ by 10,
    // so no 7-3-1 check digit can tell them apart and trying them could only ever produce a tie.
    private static readonly Dictionary<char, char> AlphanumericSwap = new()
    {
        ['0'] = 'O', ['O'] = '0', ['1'] = 'I', ['I'] = '1', ['2'] = 'Z', ['Z'] = '2', ['5'] = 'S', ['S'] = '5', ['8'] = 'B', ['B'] = '8',
    };

    /// <summary>Parses <paramref name="lines"/>, inferring date centuries relative to <paramref name="time"/>'s current date.</summary>
    public static MrzReading? Parse(IEnumerable<string> lines, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Parse(lines, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }

    /// <summary>Parses <paramref name="lines"/> (blank lines ignored); null when they are not the lines of any MRZ format.</summary>
    /// <param name="lines">The OCR'd MRZ lines, top to bottom.</param>
    /// <param name="today">The date that birth and expiry centuries are inferred from.</param>
    public static MrzReading? Parse(IEnumerable<string> lines, DateOnly today) => Parse(lines, today, null);

    /// <summary>
    /// Parses <paramref name="lines"/> as <see cref="Parse(IEnumerable{string}, DateOnly)"/> does; where the check digits
    /// admit more than one confusion swap, <paramref name="confidence"/> may choose between them.
    /// </summary>
    /// <param name="lines">The OCR'd MRZ lines, top to bottom.</param>
    /// <param name="today">The date that birth and expiry centuries are inferred from.</param>
    /// <param name="confidence">For each line, the OCR engine's confidence (0-100) in each of its characters; ignored for a
    /// line whose length does not match. A swap is chosen only when its characters are clearly the least sure ones.</param>
    public static MrzReading? Parse(IEnumerable<string> lines, DateOnly today, IReadOnlyList<IReadOnlyList<float>>? confidence) =>
        Parse(lines, today, confidence, null);

    /// <summary>
    /// Parses <paramref name="lines"/> as <see cref="Parse(IEnumerable{string}, DateOnly, IReadOnlyList{IReadOnlyList{float}}?)"/>
    /// does; where the check digits cannot separate look-alike readings (6 and G, a filler and 0, confusions that cancel
    /// out, several swaps that pass), the printed shape of each glyph in <paramref name="glyphs"/> decides when it is clear.
    /// </summary>
    /// <param name="lines">The OCR'd MRZ lines, top to bottom.</param>
    /// <param name="today">The date that birth and expiry centuries are inferred from.</param>
    /// <param name="confidence">Per line, the engine's confidence in each character (see the overload above).</param>
    /// <param name="glyphs">Per line, what each character's glyph looks like; ignored for a line whose length does not match.</param>
    public static MrzReading? Parse(IEnumerable<string> lines, DateOnly today, IReadOnlyList<IReadOnlyList<float>>? confidence,
        IReadOnlyList<IMrzGlyphEvidence?>? glyphs)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var flags = new List<MrzFlag>();
        var corrections = new List<MrzCorrection>();
        var normalised = lines.Select(line => Normalise(line ?? "", flags)).ToList();
        var kept = Enumerable.Range(0, normalised.Count).Where(i => normalised[i].Length > 0).ToList();
        var texts = kept.Select(i => normalised[i]).ToList();
        if (DetectFormat(texts) is not { } format)
        {
            return null;
        }

        var length = MrzLayout.LineLength(format);
        var grid = texts.Select(t => FitLength(t, length, flags)).ToArray();
        var sureness = confidence is null || confidence.Count != normalised.Count ? null : kept.Select((line, row) =>
            confidence[line].Count == length && texts[row].Length == length ? confidence[line].ToArray() : null).ToArray();
        var shapes = new GlyphJudge(glyphs is null || glyphs.Count != normalised.Count ? null : [.. kept.Select((line, row) =>
            texts[row].Length == length ? glyphs[line] : null)]);
        var map = MrzFieldMap.For(format);
        CorrectByCharClass(grid, map, corrections);
        shapes.Calibrate(NumericCells(map).Where(cell => grid[cell.Line][cell.Index] == '0'));
        CorrectCountryCodes(grid, map, corrections, flags);
        CorrectAlphanumeric(grid, map, corrections, flags, sureness, shapes);
        CorrectByGlyph(grid, map, corrections, flags, shapes);
        return new MrzReadingBuilder(grid, map, today, flags, shapes).Build(corrections);
    }

    private static string Normalise(string line, List<MrzFlag> flags)
    {
        var builder = new StringBuilder(line.Length);
        var changed = false;
        foreach (var c in line)
        {
            var upper = char.ToUpperInvariant(c);
            changed |= upper != c;
            if (char.IsWhiteSpace(c))
            {
                changed = true;
            }
            else if (upper is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '<')
            {
                builder.Append(upper);
            }
            else if (upper == '«')
            {
                // A guillemet is how OCR engines read two fillers run together.
                builder.Append("<<");
                changed = true;
            }
            else if (upper == '‹')
            {
                builder.Append('<');
                changed = true;
            }
            else
            {
                builder.Append('\0');
            }
        }

        if (changed)
        {
            AddOnce(flags, new MrzFlag(MrzIssue.Normalised));
        }

        return builder.ToString();
    }

    private static MrzFormat? DetectFormat(List<string> texts)
    {
        bool Near(int length) => texts.All(t => Math.Abs(t.Length - length) <= 2);
        var visa = texts.Count > 0 && texts[0][0] == 'V';
        return texts.Count switch
        {
            3 when Near(30) => MrzFormat.Td1,
            2 when Near(44) => visa ? MrzFormat.MrvA : MrzFormat.Td3,
            2 when Near(36) => visa ? MrzFormat.MrvB : MrzFormat.Td2,
            _ => null,
        };
    }

    private static char[] FitLength(string text, int length, List<MrzFlag> flags)
    {
        // A line that is too long most likely picked up a stray mark: drop unreadable characters first.
        var chars = new List<char>(text);
        while (chars.Count > length && chars.Contains('\0'))
        {
            chars.Remove('\0');
        }

        if (chars.Contains('\0'))
        {
            AddOnce(flags, new MrzFlag(MrzIssue.UnreadableCharacter));
            chars = chars.Select(c => c == '\0' ? '<' : c).ToList();
        }

        if (chars.Count != length)
        {
            AddOnce(flags, new MrzFlag(MrzIssue.LineLengthAdjusted));
            chars = chars.Count > length ? chars.GetRange(0, length) : [.. chars, .. Enumerable.Repeat('<', length - chars.Count)];
        }

        return [.. chars];
    }

    private static void CorrectByCharClass(char[][] grid, MrzFieldMap map, List<MrzCorrection> corrections)
    {
        foreach (var slot in map.Slots)
        {
            if (slot.Class == MrzCharClass.Numeric)
            {
                Replace(grid, slot.Span, LetterToDigit, corrections);
            }
            else if (slot.Class == MrzCharClass.Alphabetic)
            {
                Replace(grid, slot.Span, DigitToLetter, corrections);
            }

            if (slot.CheckDigit is { } checkDigit)
            {
                Replace(grid, checkDigit, LetterToDigit, corrections);
            }
        }

        if (map.Composite is { } composite)
        {
            Replace(grid, composite, LetterToDigit, corrections);
        }
    }

    /// <summary>An unknown issuing state or nationality that exactly one look-alike letter swap makes a known code.</summary>
    private static void CorrectCountryCodes(char[][] grid, MrzFieldMap map, List<MrzCorrection> corrections, List<MrzFlag> flags)
    {
        foreach (var slot in map.Slots.Where(s => s.Name is MrzFieldName.IssuingState or MrzFieldName.Nationality))
        {
            var code = slot.Span.Read(grid);
            if (IcaoCountryCodes.IsKnown(code, allowSpecimen: true) || !code.TrimEnd('<').All(char.IsAsciiLetterUpper))
            {
                continue;
            }

            var known = new List<(int Index, char To)>();
            for (var i = 0; i < code.Length; i++)
            {
                foreach (var to in LetterLookAlikes.GetValueOrDefault(code[i], ""))
                {
                    if (IcaoCountryCodes.IsKnown(string.Concat(code.AsSpan(0, i), [to], code.AsSpan(i + 1)), allowSpecimen: true))
                    {
                        known.Add((i, to));
                    }
                }
            }

            if (known.Count == 1)
            {
                var (index, replacement) = known[0];
                var at = slot.Span.Start + index;
                corrections.Add(new MrzCorrection(slot.Span.Line + 1, at, grid[slot.Span.Line][at], replacement));
                grid[slot.Span.Line][at] = replacement;
                AddOnce(flags, new MrzFlag(MrzIssue.CorrectedByCodeList, slot.Name));
            }
        }
    }

    private static void Replace(char[][] grid, MrzSpan span, Dictionary<char, char> table, List<MrzCorrection> corrections)
    {
        for (var i = span.Start; i < span.Start + span.Length; i++)
        {
            if (table.TryGetValue(grid[span.Line][i], out var replacement))
            {
                corrections.Add(new MrzCorrection(span.Line + 1, i, grid[span.Line][i], replacement));
                grid[span.Line][i] = replacement;
            }
        }
    }

    /// <summary>Repairs document number and optional data when their check digits (and the composite) admit exactly one
    /// reading among the fewest confusion swaps; a tie is left as read and flagged.</summary>
    private static void CorrectAlphanumeric(char[][] grid, MrzFieldMap map, List<MrzCorrection> corrections, List<MrzFlag> flags,
        float[]?[]? confidence, GlyphJudge shapes)
    {
        var slots = map.Slots.Where(s => s.Class == MrzCharClass.Alphanumeric).ToList();
        // A failing birth or expiry check means the composite is broken for other reasons: it cannot vouch for a swap.
        var useComposite = map.Composite is not null && map.Slots
            .Where(s => s.Class == MrzCharClass.Numeric)
            .All(s => OwnCheckPasses(grid, s));
        bool AllPass() => slots.All(s => OwnCheckPasses(grid, s)) && (!useComposite || CompositePasses(grid, map));

        if (AllPass())
        {
            return;
        }

        var compositeFails = useComposite && !CompositePasses(grid, map);
        var suspects = slots.Where(s => s.CheckDigit is not null ? !OwnCheckPasses(grid, s) : compositeFails).ToList();
        var positions = suspects
            .SelectMany(s => Enumerable.Range(s.Span.Start, s.Span.Length)
                .Where(i => AlphanumericSwap.ContainsKey(grid[s.Span.Line][i]))
                .Select(i => (Slot: s, Line: s.Span.Line, Index: i)))
            .ToList();
        if (positions.Count is 0 or > MaxConfusablePositions)
        {
            return;
        }

        // Every reading within the correction budget that passes, the fewest swaps first.
        var passingByCount = new List<List<int[]>>();
        for (var count = 1; count <= Math.Min(MaxAlphanumericCorrections, positions.Count); count++)
        {
            var passing = new List<int[]>();
            foreach (var combination in Combinations(positions.Count, count))
            {
                Swap(grid, positions, combination);
                if (AllPass())
                {
                    passing.Add(combination);
                }

                Swap(grid, positions, combination);
            }

            passingByCount.Add(passing);
        }

        var all = passingByCount.SelectMany(passing => passing).ToList();
        if (all.Count == 0)
        {
            return;
        }

        // The glyphs, a second opinion free of the recogniser's bias, choose when they clearly favour one reading.
        if (ClearestShape(grid, all, positions, shapes) is { } byShape)
        {
            Apply(byShape, all.Count == 1 ? MrzIssue.CorrectedByCheckDigit : MrzIssue.CorrectedByGlyph);
            return;
        }

        // Otherwise the fewest swaps, as long as one reading is the only one or the engine was clearly least sure of it.
        var fewest = passingByCount.First(passing => passing.Count > 0);
        var chosen = fewest.Count == 1 ? fewest[0] : LeastSure(fewest, positions, confidence);
        if (chosen is null)
        {
            foreach (var name in fewest.SelectMany(c => c).Select(i => positions[i].Slot.Name).Distinct())
            {
                AddOnce(flags, new MrzFlag(MrzIssue.Ambiguous, name));
            }

            return;
        }

        // A repair the glyphs clearly speak against is still the only one the check digits allow: kept, for a person to look at.
        if (GlyphVote(grid, chosen, positions, shapes) <= -GlyphJudge.Margin)
        {
            AddOnce(flags, new MrzFlag(MrzIssue.Ambiguous, positions[chosen[0]].Slot.Name));
        }

        Apply(chosen, fewest.Count == 1 ? MrzIssue.CorrectedByCheckDigit : MrzIssue.ChosenByConfidence);

        void Apply(int[] combination, MrzIssue issue)
        {
            foreach (var i in combination)
            {
                var (slot, line, index) = positions[i];
                var from = grid[line][index];
                grid[line][index] = AlphanumericSwap[from];
                corrections.Add(new MrzCorrection(line + 1, index, from, grid[line][index]));
                AddOnce(flags, new MrzFlag(issue, slot.Name));
            }
        }
    }

    /// <summary>How much more the swapped cells' glyphs look like their new characters than their read ones; null without evidence.</summary>
    private static float? GlyphVote(char[][] grid, int[] combination, List<(MrzSlot Slot, int Line, int Index)> positions, GlyphJudge shapes)
    {
        float vote = 0;
        foreach (var i in combination)
        {
            var (_, line, index) = positions[i];
            if (shapes.Preference(line, index, AlphanumericSwap[grid[line][index]], grid[line][index]) is not { } preference)
            {
                return null;
            }

            vote += preference;
        }

        return vote;
    }

    /// <summary>
    /// Among swaps that all pass the check digits, the one whose glyphs look like their new characters (see
    /// <see cref="GlyphVote"/>), when the glyphs clearly favour it and favour it over every other passing swap; otherwise none.
    /// </summary>
    private static int[]? ClearestShape(char[][] grid, List<int[]> passing, List<(MrzSlot Slot, int Line, int Index)> positions, GlyphJudge shapes)
    {
        var votes = new List<(int[] Combination, float Vote)>();
        foreach (var combination in passing)
        {
            if (GlyphVote(grid, combination, positions, shapes) is not { } vote)
            {
                return null;
            }

            votes.Add((combination, vote));
        }

        votes.Sort((a, b) => b.Vote.CompareTo(a.Vote));
        bool clearLead = votes.Count == 1 || votes[0].Vote - votes[1].Vote >= GlyphJudge.Margin;
        return votes[0].Vote >= GlyphJudge.Margin && clearLead ? votes[0].Combination : null;
    }

    /// <summary>
    /// What check digits cannot see, settled by the glyphs: a W/M/N/H in the name is replaced where its glyph clearly is
    /// another of them; a 6 or G in an alphanumeric field (their values differ by 10, so every check digit passes either
    /// way) is swapped where its glyph clearly is the other; in the document number, two O/0 confusions that cancel out in
    /// the check digits are undone where both glyphs clearly show the other character. A document number 6 or G whose
    /// glyph is unclear is flagged <see cref="MrzIssue.Ambiguous"/>.
    /// </summary>
    private static void CorrectByGlyph(char[][] grid, MrzFieldMap map, List<MrzCorrection> corrections, List<MrzFlag> flags, GlyphJudge shapes)
    {
        CorrectNameByGlyph(grid, map, corrections, flags, shapes);
        foreach (var slot in map.Slots.Where(s => s.Class == MrzCharClass.Alphanumeric))
        {
            var cells = DataCells(grid, map, slot);
            foreach (var (line, index) in cells.Where(cell => grid[cell.Line][cell.Index] is '6' or 'G'))
            {
                char read = grid[line][index], other = read == '6' ? 'G' : '6';
                switch (shapes.Preference(line, index, other, read))
                {
                    case >= GlyphJudge.Margin:
                        corrections.Add(new MrzCorrection(line + 1, index, read, other));
                        grid[line][index] = other;
                        AddOnce(flags, new MrzFlag(MrzIssue.CorrectedByGlyph, slot.Name));
                        break;
                    case > -GlyphJudge.Margin or null when slot.Name == MrzFieldName.DocumentNumber:
                        AddOnce(flags, new MrzFlag(MrzIssue.Ambiguous, slot.Name));
                        break;
                }
            }

            // Pairs of O/0 confusions whose check-digit weights cancel (both read as 0 at weights 7 and 3, say): the one
            // confusion the recogniser makes far more often than it reads the character right (docs/evaluation.md).
            // Only in the document number: optional data is mostly digits, where a run of blurred zeros can look round together.
            var confusable = cells.Where(cell => grid[cell.Line][cell.Index] is 'O' or '0').ToList();
            if (slot.Name != MrzFieldName.DocumentNumber || confusable.Count > MaxConfusablePositions || !AllChecksPass(grid, map))
            {
                continue;
            }

            var favoured = confusable
                .Where(cell => shapes.Preference(cell.Line, cell.Index, AlphanumericSwap[grid[cell.Line][cell.Index]], grid[cell.Line][cell.Index]) >= GlyphJudge.Margin)
                .ToList();
            for (int a = 0; a < favoured.Count; a++)
            {
                for (int b = a + 1; b < favoured.Count; b++)
                {
                    var pair = new[] { favoured[a], favoured[b] };
                    foreach (var (line, index) in pair)
                    {
                        grid[line][index] = AlphanumericSwap[grid[line][index]];
                    }

                    if (AllChecksPass(grid, map))
                    {
                        foreach (var (line, index) in pair)
                        {
                            corrections.Add(new MrzCorrection(line + 1, index, AlphanumericSwap[grid[line][index]], grid[line][index]));
                        }

                        AddOnce(flags, new MrzFlag(MrzIssue.CorrectedByGlyph, slot.Name));
                        favoured.RemoveAll(cell => pair.Contains(cell));
                        a = -1;
                        break;
                    }

                    foreach (var (line, index) in pair)
                    {
                        grid[line][index] = AlphanumericSwap[grid[line][index]];
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
                AddOnce(flags, new MrzFlag(MrzIssue.CorrectedByGlyph, MrzFieldName.Name));
            }
        }
    }

    /// <summary>Capitals of similar outline that the recogniser confuses in names and that OCR-B draws clearly apart.</summary>
    private const string NameLookAlikes = "MWNH";

    /// <summary>Every cell that can only hold a digit: the dates and the check digits.</summary>
    private static IEnumerable<(int Line, int Index)> NumericCells(MrzFieldMap map) =>
        map.Slots.Where(slot => slot.Class == MrzCharClass.Numeric).Select(slot => slot.Span)
            .Concat(map.Slots.Select(slot => slot.CheckDigit).OfType<MrzSpan>())
            .Concat(map.Composite is { } composite ? [composite] : [])
            .SelectMany(span => Enumerable.Range(span.Start, span.Length).Select(index => (span.Line, index)));

    /// <summary>The cells of a field that hold data: the document number includes a long TD1 number's continuation.</summary>
    private static List<(int Line, int Index)> DataCells(char[][] grid, MrzFieldMap map, MrzSlot slot)
    {
        var cells = Enumerable.Range(slot.Span.Start, slot.Span.Length).Select(i => (slot.Span.Line, i)).ToList();
        if (map.Format == MrzFormat.Td1 && LongTd1Number(grid) is { } number)
        {
            var continuation = Enumerable.Range(Td1OptionalStart, number.Continuation).Select(i => (0, i)).ToList();
            if (slot.Name == MrzFieldName.DocumentNumber)
            {
                cells.AddRange(continuation);
            }
            else if (slot.Name == MrzFieldName.OptionalData1)
            {
                cells.RemoveAll(continuation.Contains);
            }
        }

        return cells;
    }

    private static bool AllChecksPass(char[][] grid, MrzFieldMap map) =>
        map.Slots.All(s => OwnCheckPasses(grid, s)) && CompositePasses(grid, map);

    /// <summary>Where a TD1 card's optional data 1 starts on the first line.</summary>
    private const int Td1OptionalStart = 15;

    /// <summary>
    /// ICAO 9303 part 5 (TD1), a document number longer than nine characters: the first nine fill the number field, its
    /// check digit position holds a filler, and the rest of the number, its check digit over the whole number and a
    /// filler open the optional data. Null when the first line is not written that way.
    /// </summary>
    /// <returns>The whole number, its check digit, and how many optional-data cells the rest and the check digit take.</returns>
    internal static (string Number, char Check, int Continuation)? LongTd1Number(char[][] grid)
    {
        var line = grid[0];
        if (grid.Length != 3 || line.Length != 30 || line[14] != '<' || Array.IndexOf(line, '<', 5, 9) >= 0)
        {
            return null;
        }

        int end = Array.IndexOf(line, '<', Td1OptionalStart);
        int continuation = (end < 0 ? line.Length : end) - Td1OptionalStart;
        return continuation < 2
            ? null
            : (new string(line, 5, 9) + new string(line, Td1OptionalStart, continuation - 1), line[Td1OptionalStart + continuation - 1], continuation);
    }

    /// <summary>
    /// Among swaps that all pass the check digits, the one whose characters the engine was least sure of, when it is
    /// less sure of them than of every other swap's by <see cref="ConfidenceMargin"/>; otherwise none.
    /// </summary>
    private static int[]? LeastSure(List<int[]> passing, List<(MrzSlot Slot, int Line, int Index)> positions, float[]?[]? confidence)
    {
        if (confidence is null || passing.SelectMany(c => c).Any(i => confidence[positions[i].Line] is null))
        {
            return null;
        }

        var ranked = passing.Select(combination => (Combination: combination,
                Sureness: combination.Sum(i => confidence[positions[i].Line]![positions[i].Index])))
            .OrderBy(c => c.Sureness).ToList();
        return ranked[0].Sureness + ConfidenceMargin <= ranked[1].Sureness ? ranked[0].Combination : null;
    }

    private static void Swap(char[][] grid, List<(MrzSlot Slot, int Line, int Index)> positions, int[] combination)
    {
        foreach (var i in combination)
        {
            var (_, line, index) = positions[i];
            grid[line][index] = AlphanumericSwap[grid[line][index]];
        }
    }

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var indices = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return [.. indices];
            var i = k - 1;
            while (i >= 0 && indices[i] == n - k + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            indices[i]++;
            for (var j = i + 1; j < k; j++)
            {
                indices[j] = indices[j - 1] + 1;
            }
        }
    }

    internal static bool OwnCheckPasses(char[][] grid, MrzSlot slot) =>
        slot.Name == MrzFieldName.DocumentNumber && LongTd1Number(grid) is { } number
            ? MrzCheckDigit.IsValid(number.Number, number.Check)
            : slot.CheckDigit is not { } digit || MrzCheckDigit.IsValid(slot.Span.Read(grid), grid[digit.Line][digit.Start]);

    internal static bool CompositePasses(char[][] grid, MrzFieldMap map) =>
        map.Composite is not { } composite
        || MrzCheckDigit.IsValid(string.Concat(map.CompositeCovers.Select(s => s.Read(grid))), grid[composite.Line][composite.Start]);

    internal static void AddOnce(List<MrzFlag> flags, MrzFlag flag)
    {
        if (!flags.Contains(flag))
        {
            flags.Add(flag);
        }
    }

    internal static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
