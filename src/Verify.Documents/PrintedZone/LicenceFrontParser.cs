using System.Globalization;
using System.Text.RegularExpressions;
using Verify.Documents.Ocr;

namespace Verify.Documents.PrintedZone;

/// <summary>
/// Extracts the holder's names, birth date, expiry and licence number from the OCR'd lines of a driver's licence front,
/// whose fields carry the AAMVA card design's numbered labels ("4d DLN", "1", "2", "3 DOB", "4b EXP"), the number, the
/// word or both, with the value right of the label or on the line below it.
/// </summary>
public static partial class LicenceFrontParser
{
    private enum Field
    {
        Surname,
        GivenNames,
        BirthDate,
        DocumentNumber,
        ExpiryDate,

        // Read only so that the value before them ends where they start.
        Other,
    }

    // The AAMVA field numbers of the fields read, for labels printed as the number alone; other numbers (4a, 5, 15 ...)
    // are other fields.
    private static readonly Dictionary<string, Field> Numbers = new(StringComparer.Ordinal)
    {
        ["1"] = Field.Surname, ["2"] = Field.GivenNames, ["3"] = Field.BirthDate, ["4B"] = Field.ExpiryDate, ["4D"] = Field.DocumentNumber,
    };

    // Label words as US and Canadian licences print them, upper-case; one or more words each.
    private static readonly (Field Field, string[] Words)[] Words =
    [
        .. Labels(Field.DocumentNumber, "DLN", "DL", "DL NO", "LIC", "LIC NO", "LICENSE NO", "LICENCE NO", "LICENSE NUMBER",
            "LICENCE NUMBER", "NUMBER", "NUMERO", "ID NO"),
        .. Labels(Field.Surname, "LN", "LAST NAME", "FAMILY NAME", "SURNAME", "NOM"),
        .. Labels(Field.GivenNames, "FN", "FIRST NAME", "GIVEN NAMES", "GIVEN NAME", "FIRST NAMES", "PRENOMS", "PRENOM"),
        .. Labels(Field.BirthDate, "DOB", "DATE OF BIRTH", "BIRTH DATE", "DDN"),
        .. Labels(Field.ExpiryDate, "EXP", "EXPIRES", "EXPIRATION", "EXPIRY", "EXP DATE", "EXPIRATION DATE", "EXPIRY DATE"),
        // Not DEL (Ontario's "ISS/DÉL" matches by its other half): "DEL RIO" is a family name.
        .. Labels(Field.Other, "ISS", "ISSUED", "ISSUE DATE", "SEX", "HGT", "WGT", "EYES", "HAIR", "CLASS", "RESTR",
            "END", "DD", "DONOR", "VETERAN", "ADDRESS"),
    ];

    /// <summary>
    /// Lines Tesseract is less sure of than this (0-100) are not read: on blurred fronts they are where a digit is
    /// added or changed, and a wrong value would send a genuine holder to review, while a missing one only leaves the
    /// field unchecked.
    /// </summary>
    public const float MinimumLineConfidence = 50;

    /// <summary>
    /// The licence number is read from surer lines only: no check digit or error correction backs a printed number, and
    /// on generated fronts every number Tesseract changed a character of was on a line below 80 (measured), most right
    /// ones above.
    /// </summary>
    public const float MinimumNumberConfidence = 80;

    /// <summary>A date without its label is taken only from a line at least this sure (see <see cref="Parse"/>'s fallback).</summary>
    public const float MinimumUnlabelledDateConfidence = 80;

    /// <summary>Reads the fields from <paramref name="lines"/>, the text lines of an upright licence front with their boxes.</summary>
    public static PrintedZoneReading Parse(IReadOnlyList<OcrLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        lines = [.. lines.Where(line => line.Confidence >= MinimumLineConfidence)];
        var values = new Dictionary<Field, string>();
        var bare = new HashSet<Field>();
        float numberConfidence = 0;
        foreach (var line in lines.OrderBy(line => line.Top).ThenBy(line => line.Left))
        {
            var tokens = Tokens(line.Text);
            var labels = FindLabels(tokens);
            for (var k = 0; k < labels.Count; k++)
            {
                var (field, start, end) = labels[k];
                if (field == Field.Other || values.ContainsKey(field))
                {
                    continue;
                }

                // The value runs to the next label on the line; none there means it is printed right of or below the label.
                var stop = k + 1 < labels.Count ? labels[k + 1].Start : tokens.Count;
                var value = string.Join(' ', tokens.Skip(end).Take(stop - end));
                if (value.Length == 0 && end == tokens.Count && ValueBeside(lines, line) is { } beside)
                {
                    value = beside;
                }

                if (value.Length > 0)
                {
                    values[field] = value;
                    numberConfidence = field == Field.DocumentNumber ? line.Confidence : numberConfidence;
                    if (end - start == 1 && FieldNumber(tokens[start]) is not null)
                    {
                        bare.Add(field);
                    }
                }
            }
        }

        var (earliest, latest) = Dates(lines);
        return new PrintedZoneReading(
            Name(values.GetValueOrDefault(Field.Surname)),
            Name(values.GetValueOrDefault(Field.GivenNames)),
            (values.TryGetValue(Field.BirthDate, out var birth) ? ParseDate(birth) : null) ?? earliest,
            values.TryGetValue(Field.DocumentNumber, out var number) && numberConfidence >= MinimumNumberConfidence
                ? DocumentNumber(number, bare.Contains(Field.DocumentNumber)) : null,
            (values.TryGetValue(Field.ExpiryDate, out var expiry) ? ParseDate(expiry) : null) ?? latest);
    }

    /// <summary>
    /// The birth date and expiry by their order, for labels OCR could not read: a front prints the birth, issue and
    /// expiry dates, the birth date years before the others and the expiry after them. Only a front showing exactly
    /// three dates is read so, the birth date only when it is 14 years or more before the next, so that a missed date
    /// never moves another one into its place, and each only from a line OCR is sure of: unlabelled dates come from
    /// blurred fronts, where a digit read wrong (2023 as 2033, measured) would be a mismatch for a genuine holder.
    /// </summary>
    private static (DateOnly? Birth, DateOnly? Expiry) Dates(IReadOnlyList<OcrLine> lines)
    {
        var dates = lines
            .SelectMany(line => YearFirst().Matches(line.Text).Concat(MonthFirst().Matches(line.Text))
                .Select(match => (Date: Date(match.Value), line.Confidence)))
            .Where(found => found.Date is not null)
            .GroupBy(found => found.Date!.Value, found => found.Confidence)
            .Select(group => (Date: group.Key, Confidence: group.Max()))
            .OrderBy(found => found.Date)
            .ToList();
        if (dates.Count != 3)
        {
            return (null, null);
        }

        bool birthPlausible = dates[0].Date.AddYears(14) <= dates[1].Date;
        return (birthPlausible && dates[0].Confidence >= MinimumUnlabelledDateConfidence ? dates[0].Date : null,
            dates[2].Confidence >= MinimumUnlabelledDateConfidence ? dates[2].Date : null);
    }

    /// <summary>
    /// A licence date as the format seen says: YYYY-MM-DD (Canada, and YYYY/MM/DD) or MM/DD/YYYY (the USA, and MM-DD-YYYY);
    /// a month written out ("02 JAN 1980") as the printed-zone parser reads it. Characters OCR confuses with digits
    /// (O, I, l, S, B) are read as the digits when the text holds no date as it is.
    /// </summary>
    public static DateOnly? ParseDate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Date(text) ?? Date(DateLookAlikes().Replace(text, match => DigitsOf(match.Value)));
    }

    private static DateOnly? Date(string text)
    {
        if (YearFirst().Match(text) is { Success: true } iso)
        {
            return PrintedZoneParser.Date(Number(iso, "year"), Number(iso, "month"), Number(iso, "day"));
        }

        return MonthFirst().Match(text) is { Success: true } us
            ? PrintedZoneParser.Date(Number(us, "year"), Number(us, "month"), Number(us, "day"))
            : PrintedZoneParser.ParseDate(text);
    }

    private static string DigitsOf(string token) => string.Concat(token.Select(c => c switch
    {
        'O' or 'o' or 'D' or 'Q' => '0',
        'I' or 'l' or '|' => '1',
        'S' => '5',
        'B' => '8',
        _ => c,
    }));

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].ValueSpan, provider: CultureInfo.InvariantCulture);

    /// <summary>The labels on a line: which field, and the tokens each spans.</summary>
    private static List<(Field Field, int Start, int End)> FindLabels(IReadOnlyList<string> tokens)
    {
        var found = new List<(Field, int, int)>();
        for (var i = 0; i < tokens.Count;)
        {
            if (LabelAt(tokens, i) is { } label)
            {
                found.Add((label.Field, i, label.End));
                i = label.End;
            }
            else
            {
                i++;
            }
        }

        return found;
    }

    /// <summary>
    /// The label starting at token <paramref name="i"/>: a field number followed by a label word, a label word alone, or a
    /// field number alone. A lone number is a label only at the start of the line (names carry no word on many licences),
    /// since house numbers and heights are numbers too.
    /// </summary>
    private static (Field Field, int End)? LabelAt(IReadOnlyList<string> tokens, int i)
    {
        var number = FieldNumber(tokens[i]);
        if (number is not null && i + 1 < tokens.Count && WordAt(tokens, i + 1) is { } afterNumber)
        {
            // The word names the field: OCR confuses the small numbers (4a and 4d) more than the words.
            return afterNumber;
        }

        // Two-letter labels (LN, FN, DL) only start a line: "CEDAR LN" is an address.
        if (WordAt(tokens, i) is { } word && (i == 0 || word.End - i > 1 || LabelForm(tokens[i]).Length > 2))
        {
            return word;
        }

        // Alone on its line only as digits: an OCR'd "l" or "I" with nothing after it is noise, not the label "1".
        return number is { } alone && i == 0 && (tokens.Count > 1 || char.IsDigit(tokens[0][0])) ? (alone, i + 1) : null;
    }

    /// <summary>The field a numbered label names: one of AAMVA's numbers (4d, 4b ...), or Other for any other field number.</summary>
    private static Field? FieldNumber(string token)
    {
        var upper = token.TrimEnd('.', ':').ToUpperInvariant();
        if (Numbers.TryGetValue(upper, out var field))
        {
            return field;
        }

        // A lower-case z in a capitals-only front is the small 2 misread.
        if (token == "z")
        {
            return Field.GivenNames;
        }

        // Other field numbers (5, 9a, 12, 15 ...) only end a value. Letters OCR reads a small 1 as (l, I, |) are not taken
        // for it: a name's initial I would then be dropped as a label.
        return FieldNumberShape().IsMatch(upper) ? Field.Other : null;
    }

    private static (Field Field, int End)? WordAt(IReadOnlyList<string> tokens, int i)
    {
        (Field Field, int End)? best = null;
        foreach (var (field, words) in Words)
        {
            if (i + words.Length <= tokens.Count && (best is null || i + words.Length > best.Value.End)
                && words.Select((word, k) => Matches(tokens[i + k], word)).All(match => match))
            {
                best = (field, i + words.Length);
            }
        }

        return best;
    }

    /// <summary>Whether an OCR token is the label word: exact after folding case, accents, digits OCR confuses with letters
    /// and punctuation; bilingual tokens ("DOB/DDN") match by either half.</summary>
    private static bool Matches(string token, string word) =>
        token.Split('/').Append(token).Any(part => LabelForm(part) == word);

    private static string LabelForm(string text) =>
        BarcodeCrossCheck.Fold(string.Concat(text.Select(c => c switch
        {
            '0' => 'O',
            '1' => 'I',
            '5' => 'S',
            '8' => 'B',
            _ => c,
        }))).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>
    /// The value of a label printed alone on its line: the nearest line right of it on the same row, else the nearest
    /// line below it that overlaps it horizontally; null when that line starts with a label itself.
    /// </summary>
    private static string? ValueBeside(IReadOnlyList<OcrLine> lines, OcrLine label)
    {
        var height = Math.Max(1, label.Bottom - label.Top);
        var right = lines
            .Where(other => !ReferenceEquals(other, label) && other.Left >= label.Right - (height / 2)
                && other.Left < label.Right + (4 * height) && Math.Abs(Middle(other) - Middle(label)) < height / 2.0)
            .MinBy(other => other.Left);
        var below = right ?? lines
            .Where(other => !ReferenceEquals(other, label) && other.Top > label.Top + (height / 2) && other.Top < label.Bottom + (2 * height)
                && Math.Min(other.Right, label.Right) - Math.Max(other.Left, label.Left) > 0)
            .MinBy(other => other.Top);
        if (below is null)
        {
            return null;
        }

        var tokens = Tokens(below.Text);
        var labels = FindLabels(tokens);
        if (labels.Count > 0 && labels[0].Start == 0)
        {
            return null;
        }

        return string.Join(' ', tokens.Take(labels.Count > 0 ? labels[0].Start : tokens.Count));
    }

    private static double Middle(OcrLine line) => (line.Top + line.Bottom) / 2.0;

    /// <summary>The line's words, the given names' label printed close to its value split from it ("2KAI", or "zKAI": OCR
    /// reads the small 2 as z); not a 1 (ISABELLA read as 1SABELLA) nor an upper-case Z, which may begin a name.</summary>
    private static List<string> Tokens(string text)
    {
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count > 0 && tokens[0].Length > 1 && tokens[0][0] is '2' or 'z'
            && tokens[0][1..].All(char.IsUpper))
        {
            tokens.Insert(1, tokens[0][1..]);
            tokens[0] = tokens[0][..1];
        }

        return tokens;
    }

    private static string? Name(string? value)
    {
        if (value is null)
        {
            return null;
        }

        // Anything but letters and a name's punctuation is OCR noise or another field's text (an address read as the
        // value, a bar read as |): not a name to compare, nor is a single letter or lower case, which capitals never read as
        // beyond a stray j.
        // Names are printed in capitals: a lower-case l is an I, and I-I an H, as OCR splits it.
        var name = string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim(',', '.', ':', ';')
            .Replace("I-I", "H", StringComparison.Ordinal).Replace('l', 'I');
        return name.Count(char.IsLetter) >= 2 && name.Count(char.IsLower) <= 1 && name.All(c => char.IsLetter(c) || c is ' ' or '-' or '\'' or '\u2019' or '.' or ',') ? name : null;
    }

    /// <summary>
    /// The number without spaces and hyphens. After a bare "4d" (its word garbled) the short digitless words the garbled
    /// word leaves ("4d om D123") are dropped, and a date is refused: OCR reads 4a, the issue date's label, as 4d too.
    /// </summary>
    private static string? DocumentNumber(string value, bool bareLabel)
    {
        if (bareLabel && ParseDate(value) is not null)
        {
            return null;
        }

        var tokens = value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .SkipWhile(token => bareLabel && token.Length <= 3 && !token.Any(char.IsDigit));
        var number = string.Concat(tokens.SelectMany(token => token.Where(char.IsLetterOrDigit))).ToUpperInvariant();
        return number.Length >= 4 && number.Any(char.IsDigit) ? number : null;
    }

    private static (Field, string[])[] Labels(Field field, params string[] labels) =>
        [.. labels.Select(label => (field, label.Split(' ')))];

    [GeneratedRegex(@"^\d{1,2}[A-Z]?$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNumberShape();

    // Blur loses the separators, or turns them into spaces: dates are read without them (the year bounds the match).
    [GeneratedRegex(@"(?<!\d)(?<year>(?:19|20)\d{2}) ?[-/. ]? ?(?<month>\d{2}) ?[-/. ]? ?(?<day>\d{2})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex YearFirst();

    [GeneratedRegex(@"(?<!\d)(?<month>\d{2}) ?[-/. ]? ?(?<day>\d{2}) ?[-/. ]? ?(?<year>(?:19|20)\d{2})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirst();


    // A token shaped like a numeric date in which OCR may have read some digits as letters.
    [GeneratedRegex(@"[0-9OoDQIl|SB]{2,4}[-/.][0-9OoDQIl|SB]{2}[-/.][0-9OoDQIl|SB]{2,4}", RegexOptions.CultureInvariant)]
    private static partial Regex DateLookAlikes();
}
