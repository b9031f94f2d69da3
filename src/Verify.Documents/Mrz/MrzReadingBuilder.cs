namespace Verify.Documents.Mrz;

/// <summary>Turns corrected MRZ lines into an <see cref="MrzReading"/>: field validity, dates, names and flags.</summary>
internal sealed class MrzReadingBuilder(char[][] grid, MrzFieldMap map, DateOnly today, List<MrzFlag> flags, GlyphJudge shapes)
{
    public MrzReading Build(List<MrzCorrection> corrections)
    {
        var checks = map.Slots
            .Where(s => s.Check is not null)
            .Select(s => new MrzCheckResult(s.Check!.Value, MrzCells.OwnCheckPasses(grid, s)))
            .ToList();
        if (map.Composite is not null)
        {
            checks.Add(new MrzCheckResult(MrzCheck.Composite, MrzCells.CompositePasses(grid, map)));
        }

        var name = MrzName.Split(map[MrzFieldName.Name].Span.Read(grid));
        return new MrzReading
        {
            Format = map.Format,
            Lines = grid.Select(line => new string(line)).ToList(),
            DocumentCode = DocumentCode(),
            IssuingState = Code(MrzFieldName.IssuingState),
            DocumentNumber = DocumentNumber(),
            Nationality = Code(MrzFieldName.Nationality),
            BirthDate = Date(MrzFieldName.BirthDate),
            Sex = Sex(),
            ExpiryDate = Date(MrzFieldName.ExpiryDate),
            OptionalData1 = OptionalData(MrzFieldName.OptionalData1),
            OptionalData2 = map.Has(MrzFieldName.OptionalData2)
                ? OptionalData(MrzFieldName.OptionalData2)
                : new MrzField(MrzFieldName.OptionalData2, "", "", true),
            Name = Name(name),
            Surname = name.Surname,
            GivenNames = name.GivenNames,
            CheckDigits = checks,
            Corrections = corrections,
            Flags = flags,
        };
    }

    private string Raw(MrzFieldName name) => map[name].Span.Read(grid);

    private bool CheckPasses(MrzFieldName name) => MrzCells.OwnCheckPasses(grid, map[name]);

    private void Flag(MrzIssue issue, MrzFieldName field) => MrzParser.AddOnce(flags, new MrzFlag(issue, field));

    private MrzField Invalid(MrzIssue issue, MrzFieldName field, string raw)
    {
        Flag(issue, field);
        return new MrzField(field, raw, "", false);
    }

    private MrzField DocumentCode()
    {
        var raw = Raw(MrzFieldName.DocumentCode);
        var allowed = map.Format switch
        {
            MrzFormat.Td3 => "P",
            MrzFormat.MrvA or MrzFormat.MrvB => "V",
            _ => "IAC",
        };
        if (!allowed.Contains(raw[0], StringComparison.Ordinal))
        {
            return Invalid(MrzIssue.UnexpectedDocumentCode, MrzFieldName.DocumentCode, raw);
        }

        // The second character is the issuer's choice of letter, or a filler.
        return raw[1] is (>= 'A' and <= 'Z') or '<'
            ? new MrzField(MrzFieldName.DocumentCode, raw, raw.TrimEnd('<'), true)
            : Invalid(MrzIssue.UnexpectedCharacter, MrzFieldName.DocumentCode, raw);
    }

    private MrzField Code(MrzFieldName field)
    {
        // Letters, then fillers: D<< for Germany is the one code shorter than three letters.
        var raw = Raw(field);
        var letters = raw.TrimEnd('<');
        return letters.Length > 0 && letters.All(char.IsAsciiLetterUpper)
            ? new MrzField(field, raw, letters, true)
            : Invalid(MrzIssue.UnexpectedCharacter, field, raw);
    }

    private MrzField DocumentNumber()
    {
        var raw = Raw(MrzFieldName.DocumentNumber);
        if (MrzCells.LongTd1Number(grid) is { } longNumber)
        {
            // Doc 9303 part 5: the number runs on into the optional data, its check digit after it.
            return new MrzField(MrzFieldName.DocumentNumber, raw, longNumber.Number, longNumber.Number.All(char.IsAsciiLetterOrDigit)
                && CheckPasses(MrzFieldName.DocumentNumber));
        }

        var data = raw.TrimEnd('<');
        var wellFormed = data.Length > 0;
        if (data.Contains('<', StringComparison.Ordinal))
        {
            Flag(MrzIssue.DataAfterFiller, MrzFieldName.DocumentNumber);
            wellFormed = false;
        }

        // '<' and '0' both count 0: a number shorter than the field could as well end in a 0, unless the glyphs say which.
        if (data.Length is > 0 and < 9 && !FillerClearlyEnds(map[MrzFieldName.DocumentNumber].Span, data.Length))
        {
            Flag(MrzIssue.ZeroOrFiller, MrzFieldName.DocumentNumber);
        }

        return new MrzField(MrzFieldName.DocumentNumber, raw, data, wellFormed && CheckPasses(MrzFieldName.DocumentNumber));
    }

    /// <summary>
    /// Whether the glyphs settle where data ends and fillers begin in <paramref name="span"/>: the first filler is
    /// clearly a '&lt;' and not a 0, and a last data character 0 is clearly a 0 and not a '&lt;'.
    /// </summary>
    private bool FillerClearlyEnds(MrzSpan span, int dataLength)
    {
        int filler = span.Start + dataLength;
        bool fillerShown = shapes.Clearly(span.Line, filler, '<', '0');
        int last = filler - 1;
        return fillerShown && (grid[span.Line][last] != '0' || shapes.Clearly(span.Line, last, '0', '<'));
    }

    private MrzField OptionalData(MrzFieldName field)
    {
        var raw = Raw(field);
        var span = map[field].Span;
        int skipped = 0;
        if (field == MrzFieldName.OptionalData1 && MrzCells.LongTd1Number(grid) is { } longNumber)
        {
            // The rest of a long document number, its check digit and a filler come first (Doc 9303 part 5).
            skipped = Math.Min(raw.Length, longNumber.Continuation + 1);
        }

        var data = raw[skipped..].TrimEnd('<');
        if (data.Contains('<', StringComparison.Ordinal))
        {
            // Some issuers separate optional data with fillers, so this is a flag, not an invalid field.
            Flag(MrzIssue.DataAfterFiller, field);
        }

        var checkDigitCovered = map.Composite is not null || map[field].CheckDigit is not null;
        if (checkDigitCovered && skipped + data.Length < raw.Length && data.EndsWith('0')
            && !FillerClearlyEnds(span with { Start = span.Start + skipped }, data.Length))
        {
            Flag(MrzIssue.ZeroOrFiller, field);
        }

        return new MrzField(field, raw, data, CheckPasses(field));
    }

    private MrzField Sex()
    {
        var raw = Raw(MrzFieldName.Sex);
        return raw is "M" or "F" or "X" or "<"
            ? new MrzField(MrzFieldName.Sex, raw, raw.TrimEnd('<'), true)
            : Invalid(MrzIssue.UnexpectedCharacter, MrzFieldName.Sex, raw);
    }

    private MrzField Date(MrzFieldName field)
    {
        var raw = Raw(field);
        var checkPasses = CheckPasses(field);
        var parts = new int?[3];
        for (var i = 0; i < 3; i++)
        {
            var pair = raw.AsSpan(i * 2, 2);
            if (pair is "<<")
            {
                continue;
            }

            if (!char.IsAsciiDigit(pair[0]) || !char.IsAsciiDigit(pair[1]))
            {
                return Invalid(pair.ContainsAnyExcept("0123456789<") ? MrzIssue.UnexpectedCharacter : MrzIssue.InvalidDate, field, raw);
            }

            parts[i] = ((pair[0] - '0') * 10) + pair[1] - '0';
        }

        if (parts is not [{ } yy, { } month, { } day])
        {
            // Doc 9303 writes an unknown day, month or year as fillers; the check digit still covers the field.
            Flag(MrzIssue.DateIncomplete, field);
            return new MrzField(field, raw, "", checkPasses);
        }

        var year = field == MrzFieldName.BirthDate ? BirthYear(yy, month, day) : ExpiryYear(yy);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return Invalid(MrzIssue.InvalidDate, field, raw);
        }

        var date = new DateOnly(year, month, day);
        return new MrzField(field, raw, MrzParser.IsoDate(date), checkPasses) { Date = date };
    }

    // A birth date lies in the past: the latest century that does not put it after today.
    private int BirthYear(int yy, int month, int day)
    {
        var year = today.Year - (today.Year % 100) + yy;
        return year > today.Year || (year == today.Year && (month, day).CompareTo((today.Month, today.Day)) > 0) ? year - 100 : year;
    }

    // An expiry date lies within about 50 years either side of today.
    private int ExpiryYear(int yy)
    {
        var year = today.Year - (today.Year % 100) + yy;
        return year > today.Year + 50 ? year - 100 : year < today.Year - 50 ? year + 100 : year;
    }

    private MrzField Name(MrzName name)
    {
        var raw = Raw(MrzFieldName.Name);
        if (raw.Any(c => c is not ((>= 'A' and <= 'Z') or '<')))
        {
            return Invalid(MrzIssue.UnexpectedCharacter, MrzFieldName.Name, raw);
        }

        if (name.Truncated)
        {
            Flag(MrzIssue.NameTruncated, MrzFieldName.Name);
        }

        if (name.Malformed)
        {
            Flag(MrzIssue.NameMalformed, MrzFieldName.Name);
        }

        return new MrzField(MrzFieldName.Name, raw, name.Malformed ? "" : $"{name.Surname}, {name.GivenNames}".TrimEnd(' ', ','), !name.Malformed);
    }
}

/// <summary>The name field split per Doc 9303: primary identifier, double filler, secondary identifier of single-filler separated names.</summary>
internal sealed record MrzName(string Surname, string GivenNames, bool Truncated, bool Malformed)
{
    public static MrzName Split(string field)
    {
        // A name that reaches the last position was most likely cut to fit.
        var truncated = field.Length > 0 && field[^1] != '<';
        var name = field.TrimEnd('<');
        var separator = name.IndexOf("<<", StringComparison.Ordinal);
        var primary = separator < 0 ? name : name[..separator];
        var secondary = separator < 0 ? "" : name[(separator + 2)..];
        var malformed = primary.Length == 0
            || primary.StartsWith('<')
            || secondary.StartsWith('<')
            || secondary.Contains("<<", StringComparison.Ordinal);
        return new MrzName(
            primary.Replace('<', ' '),
            string.Join(' ', secondary.Split('<', StringSplitOptions.RemoveEmptyEntries)),
            truncated,
            malformed);
    }

    public override string ToString() => $"MrzName {{ Truncated = {Truncated}, Malformed = {Malformed} }}";
}
