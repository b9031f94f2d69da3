namespace Verify.Documents.Mrz;

/// <summary>
/// Repairs the alphanumeric fields (document number, optional data) whose check digits fail: every reading within a
/// budget of look-alike swaps (0/O, 1/I, 2/Z, 5/S, 8/B) is tried, and one that passes is taken when it is the only one,
/// when the glyphs clearly favour it, or when the engine was clearly least sure of its characters; a tie is flagged.
/// </summary>
internal static class MrzCheckDigitRepair
{
    // Beyond this many corrected characters in one field group the check digits no longer make a reading likely.
    private const int MaxAlphanumericCorrections = 2;

    // Above this many confusable positions the search space gets large while the evidence stays one check digit.
    public const int MaxConfusablePositions = 24;

    // Confidence points (0-100) by which the characters of one check-digit-passing swap must be less sure than those
    // of every other such swap before the engine's confidence may choose it.
    private const float ConfidenceMargin = 5;

    // Swaps tried in document numbers and optional data. 6 and G are left out: their values (6, 16) differ by 10,
    // so no 7-3-1 check digit can tell them apart and trying them could only ever produce a tie.
    public static readonly Dictionary<char, char> AlphanumericSwap = new()
    {
        ['0'] = 'O', ['O'] = '0', ['1'] = 'I', ['I'] = '1', ['2'] = 'Z', ['Z'] = '2', ['5'] = 'S', ['S'] = '5', ['8'] = 'B', ['B'] = '8',
    };

    /// <summary>Repairs document number and optional data when their check digits (and the composite) admit exactly one
    /// reading among the fewest confusion swaps; a tie is left as read and flagged.</summary>
    public static void Repair(char[][] grid, MrzFieldMap map, List<MrzCorrection> corrections, List<MrzFlag> flags,
        float[]?[]? confidence, GlyphJudge shapes)
    {
        var slots = map.Slots.Where(s => s.Class == MrzCharClass.Alphanumeric).ToList();
        // A failing birth or expiry check means the composite is broken for other reasons: it cannot vouch for a swap.
        var useComposite = map.Composite is not null && map.Slots
            .Where(s => s.Class == MrzCharClass.Numeric)
            .All(s => MrzCells.OwnCheckPasses(grid, s));
        bool AllPass() => slots.All(s => MrzCells.OwnCheckPasses(grid, s)) && (!useComposite || MrzCells.CompositePasses(grid, map));

        if (AllPass())
        {
            return;
        }

        var compositeFails = useComposite && !MrzCells.CompositePasses(grid, map);
        var suspects = slots.Where(s => s.CheckDigit is not null ? !MrzCells.OwnCheckPasses(grid, s) : compositeFails).ToList();
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
                MrzParser.AddOnce(flags, new MrzFlag(MrzIssue.Ambiguous, name));
            }

            return;
        }

        // A repair the glyphs clearly speak against is still the only one the check digits allow: kept, for a person to look at.
        if (GlyphVote(grid, chosen, positions, shapes) <= -GlyphJudge.Margin)
        {
            MrzParser.AddOnce(flags, new MrzFlag(MrzIssue.Ambiguous, positions[chosen[0]].Slot.Name));
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
                MrzParser.AddOnce(flags, new MrzFlag(issue, slot.Name));
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
}
