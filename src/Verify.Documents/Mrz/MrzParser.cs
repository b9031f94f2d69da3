using System.Globalization;
using System.Text;
using Verify.Documents.Checks;

namespace Verify.Documents.Mrz;

/// <summary>Reads OCR'd MRZ lines per ICAO Doc 9303 (TD1, TD2, TD3, MRV-A, MRV-B), correcting OCR confusions where the field or its check digits allow.</summary>
public static class MrzParser
{
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
        shapes.Calibrate(MrzCells.Numeric(map).Where(cell => grid[cell.Line][cell.Index] == '0'));
        CorrectCountryCodes(grid, map, corrections, flags);
        MrzCheckDigitRepair.Repair(grid, map, corrections, flags, sureness, shapes);
        MrzGlyphCorrections.Apply(grid, map, corrections, flags, shapes);
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

    internal static void AddOnce(List<MrzFlag> flags, MrzFlag flag)
    {
        if (!flags.Contains(flag))
        {
            flags.Add(flag);
        }
    }

    internal static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
