using System.Globalization;
using System.Text.RegularExpressions;
using Verify.Documents.Mrz;

namespace Verify.Documents.PrintedZone;

/// <summary>Extracts names, dates and the document number from the OCR'd lines of a document's visual inspection zone.</summary>
public static partial class PrintedZoneParser
{
    // A label matches when at most a fifth of its characters are OCR noise; short labels must therefore match exactly.
    private const double LabelTolerance = 0.2;

    private enum Field
    {
        Surname,
        GivenNames,
        BirthDate,
        DocumentNumber,
        ExpiryDate,
    }

    private static readonly (Field Field, string Label)[] Labels = BuildLabels(
        (Field.Surname, ["Surname", "Nom", "Name", "Family name", "Last name", "Nom de famille", "Nachname"]),
        (Field.GivenNames, ["Given names", "Given name", "Prénoms", "Prénom", "First names", "First name", "Forenames", "Vornamen"]),
        (Field.BirthDate, ["Date of birth", "Birth date", "Date de naissance", "Geburtsdatum", "DOB"]),
        (Field.DocumentNumber, ["Document No.", "Document number", "Passport No.", "Passport number", "Card No.", "Doc. No.",
            "No. du document", "No. du passeport", "N° du passeport", "Passnummer"]),
        (Field.ExpiryDate, ["Date of expiry", "Expiry date", "Date of expiration", "Date d'expiration", "Expires", "Valid until", "Gültig bis"]));

    // Months as the printed zone abbreviates them in English, French and German, transliterated to A-Z.
    private static readonly Dictionary<string, int> Months = new(StringComparer.Ordinal)
    {
        ["JAN"] = 1, ["JANV"] = 1, ["FEB"] = 2, ["FEV"] = 2, ["FEVR"] = 2, ["MAR"] = 3, ["MARS"] = 3, ["MAER"] = 3,
        ["APR"] = 4, ["AVR"] = 4, ["AVRIL"] = 4, ["MAY"] = 5, ["MAI"] = 5, ["JUN"] = 6, ["JUIN"] = 6, ["JUL"] = 7,
        ["JUIL"] = 7, ["AUG"] = 8, ["AOU"] = 8, ["AOUT"] = 8, ["SEP"] = 9, ["SEPT"] = 9, ["OCT"] = 10, ["OKT"] = 10,
        ["NOV"] = 11, ["DEC"] = 12, ["DEZ"] = 12,
    };

    /// <summary>Reads <paramref name="lines"/>: a label line followed by its value line, or "Label: value" on one line.</summary>
    public static PrintedZoneReading Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = lines.Select(l => (l ?? "").Trim()).Where(l => l.Length > 0).ToList();
        var values = new Dictionary<Field, string>();
        for (var i = 0; i < text.Count; i++)
        {
            var colon = text[i].IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && MatchLabel(text[i][..colon]) is { } inline && text[i][(colon + 1)..].Trim() is { Length: > 0 } value)
            {
                values.TryAdd(inline, value);
            }
            else if (MatchLabel(text[i].TrimEnd(':')) is { } field && i + 1 < text.Count && MatchLabel(text[i + 1]) is null)
            {
                values.TryAdd(field, text[++i]);
            }
        }

        return new PrintedZoneReading(
            Name(values.GetValueOrDefault(Field.Surname)),
            Name(values.GetValueOrDefault(Field.GivenNames)),
            values.TryGetValue(Field.BirthDate, out var birth) ? ParseDate(birth) : null,
            values.TryGetValue(Field.DocumentNumber, out var number) ? DocumentNumber(number) : null,
            values.TryGetValue(Field.ExpiryDate, out var expiry) ? ParseDate(expiry) : null);
    }

    /// <summary>A printed date: 12 AUG 1974, 12 AUG/AOUT 1974, 12.08.1974, 12/08/1974 or 1974-08-12; null if none of these.</summary>
    public static DateOnly? ParseDate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var upper = text.Trim().ToUpperInvariant();
        if (IsoDate().Match(upper) is { Success: true } iso)
        {
            return Date(Number(iso, "year"), Number(iso, "month"), Number(iso, "day"));
        }

        if (NumericDate().Match(upper) is { Success: true } numeric)
        {
            return Date(Number(numeric, "year"), Number(numeric, "month"), Number(numeric, "day"));
        }

        if (TextualDate().Match(upper) is { Success: true } textual)
        {
            // Bilingual documents print both abbreviations (AUG/AOUT): take the first one we know.
            var month = textual.Groups["month"].Value.Split('/', StringSplitOptions.TrimEntries)
                .Select(MonthNumber)
                .FirstOrDefault(m => m > 0);
            return month > 0 ? Date(Number(textual, "year"), month, Number(textual, "day")) : null;
        }

        return null;
    }

    private static int MonthNumber(string token)
    {
        var letters = MrzComposer.Transliterate(token).Replace("<", "", StringComparison.Ordinal);
        return Months.TryGetValue(letters, out var month) || (letters.Length > 4 && Months.TryGetValue(letters[..3], out month)) ? month : 0;
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    /// <summary>The date, or null when the day, month or year do not make one.</summary>
    internal static DateOnly? Date(int year, int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && year is >= 1 and <= 9999 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static Field? MatchLabel(string text)
    {
        // A bilingual label ("Surname / Nom") matches when either half, or the whole, matches a known label.
        var candidates = text.Split('/').Append(text)
            .Select(LabelForm)
            .Where(part => part.Length > 0)
            .ToList();
        Field? best = null;
        var bestDistance = LabelTolerance;
        foreach (var (field, label) in Labels)
        {
            foreach (var candidate in candidates)
            {
                var distance = EditDistance.Normalised(candidate, label);
                if (distance <= bestDistance)
                {
                    (best, bestDistance) = (field, distance);
                }
            }
        }

        return best;
    }

    private static string? Name(string? value) =>
        value is null ? null : string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string DocumentNumber(string value) =>
        string.Concat(value.Where(c => !char.IsWhiteSpace(c) && c != '<')).ToUpperInvariant();

    private static (Field, string)[] BuildLabels(params (Field Field, string[] Labels)[] groups) =>
        [.. groups.SelectMany(g => g.Labels.Select(label => (g.Field, LabelForm(label))))];

    // OCR often reads m as rn: compare both sides with rn folded into m, so that is not counted as two edits.
    private static string LabelForm(string text) => MrzComposer.Transliterate(text).Replace("RN", "M", StringComparison.Ordinal);

    [GeneratedRegex(@"\b(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?<day>\d{1,2})[./](?<month>\d{1,2})[./](?<year>\d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"\b(?<day>\d{1,2})\s*(?<month>[A-ZÀ-ÿ]+(?:\s*/\s*[A-ZÀ-ÿ]+)*)\s*(?<year>\d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex TextualDate();
}
