namespace Verify.Documents.Mrz;

/// <summary>Which characters a field may hold, which decides how OCR confusions are corrected.</summary>
internal enum MrzCharClass
{
    Alphabetic,
    Numeric,
    Alphanumeric,
}

/// <summary>A run of characters on one line (0-based line and start).</summary>
internal readonly record struct MrzSpan(int Line, int Start, int Length)
{
    public string Read(char[][] lines) => new(lines[Line], Start, Length);
}

/// <summary>Where a field stands, what it holds and which check digit covers it alone.</summary>
internal sealed record MrzSlot(MrzFieldName Name, MrzSpan Span, MrzCharClass Class, MrzCheck? Check = null, MrzSpan? CheckDigit = null);

/// <summary>The field positions of one format per ICAO Doc 9303 parts 4 to 7.</summary>
internal sealed record MrzFieldMap(MrzFormat Format, IReadOnlyList<MrzSlot> Slots, MrzSpan? Composite, IReadOnlyList<MrzSpan> CompositeCovers)
{
    public MrzSlot this[MrzFieldName name] => Slots.First(s => s.Name == name);

    public bool Has(MrzFieldName name) => Slots.Any(s => s.Name == name);

    public static MrzFieldMap For(MrzFormat format) => format switch
    {
        MrzFormat.Td1 => Td1,
        MrzFormat.Td2 => TwoLine(format, 36, optionalCheck: false, composite: true),
        MrzFormat.Td3 => TwoLine(format, 44, optionalCheck: true, composite: true),
        MrzFormat.MrvA => TwoLine(format, 44, optionalCheck: false, composite: false),
        MrzFormat.MrvB => TwoLine(format, 36, optionalCheck: false, composite: false),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static readonly MrzFieldMap Td1 = new(
        MrzFormat.Td1,
        [
            new(MrzFieldName.DocumentCode, new(0, 0, 2), MrzCharClass.Alphabetic),
            new(MrzFieldName.IssuingState, new(0, 2, 3), MrzCharClass.Alphabetic),
            new(MrzFieldName.DocumentNumber, new(0, 5, 9), MrzCharClass.Alphanumeric, MrzCheck.DocumentNumber, new(0, 14, 1)),
            new(MrzFieldName.OptionalData1, new(0, 15, 15), MrzCharClass.Alphanumeric),
            new(MrzFieldName.BirthDate, new(1, 0, 6), MrzCharClass.Numeric, MrzCheck.BirthDate, new(1, 6, 1)),
            new(MrzFieldName.Sex, new(1, 7, 1), MrzCharClass.Alphabetic),
            new(MrzFieldName.ExpiryDate, new(1, 8, 6), MrzCharClass.Numeric, MrzCheck.ExpiryDate, new(1, 14, 1)),
            new(MrzFieldName.Nationality, new(1, 15, 3), MrzCharClass.Alphabetic),
            new(MrzFieldName.OptionalData2, new(1, 18, 11), MrzCharClass.Alphanumeric),
            new(MrzFieldName.Name, new(2, 0, 30), MrzCharClass.Alphabetic),
        ],
        new(1, 29, 1),
        [new(0, 5, 25), new(1, 0, 7), new(1, 8, 7), new(1, 18, 11)]);

    // The two-line formats share line 2 up to position 28; they differ in the optional data, its check digit and the composite.
    private static MrzFieldMap TwoLine(MrzFormat format, int length, bool optionalCheck, bool composite)
    {
        var optionalLength = length - 28 - (optionalCheck ? 1 : 0) - (composite ? 1 : 0);
        var optional = optionalCheck
            ? new MrzSlot(MrzFieldName.OptionalData1, new(1, 28, optionalLength), MrzCharClass.Alphanumeric, MrzCheck.OptionalData, new(1, 28 + optionalLength, 1))
            : new MrzSlot(MrzFieldName.OptionalData1, new(1, 28, optionalLength), MrzCharClass.Alphanumeric);
        return new MrzFieldMap(
            format,
            [
                new(MrzFieldName.DocumentCode, new(0, 0, 2), MrzCharClass.Alphabetic),
                new(MrzFieldName.IssuingState, new(0, 2, 3), MrzCharClass.Alphabetic),
                new(MrzFieldName.Name, new(0, 5, length - 5), MrzCharClass.Alphabetic),
                new(MrzFieldName.DocumentNumber, new(1, 0, 9), MrzCharClass.Alphanumeric, MrzCheck.DocumentNumber, new(1, 9, 1)),
                new(MrzFieldName.Nationality, new(1, 10, 3), MrzCharClass.Alphabetic),
                new(MrzFieldName.BirthDate, new(1, 13, 6), MrzCharClass.Numeric, MrzCheck.BirthDate, new(1, 19, 1)),
                new(MrzFieldName.Sex, new(1, 20, 1), MrzCharClass.Alphabetic),
                new(MrzFieldName.ExpiryDate, new(1, 21, 6), MrzCharClass.Numeric, MrzCheck.ExpiryDate, new(1, 27, 1)),
                optional,
            ],
            composite ? new(1, length - 1, 1) : null,
            composite ? [new(1, 0, 10), new(1, 13, 7), new(1, 21, length - 22)] : []);
    }
}
