namespace Verify.Documents.Mrz;

/// <summary>The fields of an MRZ.</summary>
public enum MrzFieldName
{
    DocumentCode,
    IssuingState,
    DocumentNumber,
    Nationality,
    BirthDate,
    Sex,
    ExpiryDate,
    OptionalData1,
    OptionalData2,
    Name,
}

/// <summary>The check digits of an MRZ; which a format carries is fixed by Doc 9303.</summary>
public enum MrzCheck
{
    DocumentNumber,
    BirthDate,
    ExpiryDate,

    /// <summary>TD3 only: the personal number (optional data) check digit.</summary>
    OptionalData,

    /// <summary>TD1, TD2 and TD3: the check digit over the upper and middle line fields.</summary>
    Composite,
}

/// <summary>What the parser noticed about a reading beyond the check digits.</summary>
public enum MrzIssue
{
    /// <summary>Spaces, lower case or guillemets were normalised.</summary>
    Normalised,

    /// <summary>A character outside the MRZ alphabet was read as a filler.</summary>
    UnreadableCharacter,

    /// <summary>A line was one or two characters too long or too short and was cut or padded at its end.</summary>
    LineLengthAdjusted,

    /// <summary>More than one reading of the field passes its check digits; the field was left as read.</summary>
    Ambiguous,

    /// <summary>A '0' next to fillers, or fillers where a '0' fits: both have value 0, so check digits cannot separate them.</summary>
    ZeroOrFiller,

    /// <summary>The field was repaired by the one confusion swap its check digits admit; having chosen the reading,
    /// those check digits no longer vouch for it independently.</summary>
    CorrectedByCheckDigit,

    /// <summary>More than one confusion swap passes the check digits, and the OCR engine was clearly least sure of the
    /// characters of one of them: that one was taken. The check digits vouch for the field no more than after
    /// <see cref="CorrectedByCheckDigit"/>, and the choice rests on the engine's confidence.</summary>
    ChosenByConfidence,

    /// <summary>The printed shape of the glyph settled what the check digits could not (6 against G, or two look-alike
    /// confusions that cancel out, or several swaps that all pass): each such glyph matched its OCR-B character clearly
    /// better than the other reading's.</summary>
    CorrectedByGlyph,

    /// <summary>An unknown country code became a known one by the one look-alike letter swap (W read as M, say) that
    /// makes it known; no check digit covers country codes, so the code list alone vouches for it.</summary>
    CorrectedByCodeList,

    /// <summary>Data follows fillers inside a field.</summary>
    DataAfterFiller,

    /// <summary>A character that the field does not allow and that no confusion correction explains.</summary>
    UnexpectedCharacter,

    /// <summary>The name fills its field with no trailing filler, so it was probably truncated.</summary>
    NameTruncated,

    /// <summary>The name field does not have the primary, double filler, secondary structure.</summary>
    NameMalformed,

    /// <summary>A date with day, month or year unknown (written as fillers).</summary>
    DateIncomplete,

    /// <summary>A date that does not exist (month 13, 30 February).</summary>
    InvalidDate,

    /// <summary>A document code that the format does not allow.</summary>
    UnexpectedDocumentCode,
}

/// <summary>One field of a reading: its MRZ text, its natural value and whether it is well formed and passes its check digit.</summary>
/// <param name="Name">Which field.</param>
/// <param name="Raw">The (corrected) MRZ characters of the field.</param>
/// <param name="Value">The natural form: fillers trimmed, dates as yyyy-MM-dd, empty when unknown.</param>
/// <param name="IsValid">Well formed and, where it has one, its check digit passes.</param>
public sealed record MrzField(MrzFieldName Name, string Raw, string Value, bool IsValid)
{
    /// <summary>The interpreted date of a date field; null for other fields and for invalid or incomplete dates.</summary>
    public DateOnly? Date { get; init; }

    // MRZ text is personal data: never let it reach a log through ToString.
    public override string ToString() => $"MrzField {{ Name = {Name}, IsValid = {IsValid} }}";
}

/// <summary>The outcome of one check digit.</summary>
public sealed record MrzCheckResult(MrzCheck Check, bool Passed);

/// <summary>A character the parser replaced (1-based line, 0-based position).</summary>
public sealed record MrzCorrection(int Line, int Position, char From, char To);

/// <summary>An issue the parser noticed, with the field it concerns where there is one.</summary>
public sealed record MrzFlag(MrzIssue Issue, MrzFieldName? Field = null);

/// <summary>A parsed machine readable zone: format, fields, check digits, corrections and flags.</summary>
public sealed record MrzReading
{
    public required MrzFormat Format { get; init; }

    /// <summary>The corrected MRZ lines; in memory only, never logged.</summary>
    public required IReadOnlyList<string> Lines { get; init; }

    public required MrzField DocumentCode { get; init; }
    public required MrzField IssuingState { get; init; }
    public required MrzField DocumentNumber { get; init; }
    public required MrzField Nationality { get; init; }
    public required MrzField BirthDate { get; init; }
    public required MrzField Sex { get; init; }
    public required MrzField ExpiryDate { get; init; }
    public required MrzField OptionalData1 { get; init; }

    /// <summary>TD1 only (line 2 optional data); an empty valid field elsewhere.</summary>
    public required MrzField OptionalData2 { get; init; }

    /// <summary>The name field as a whole.</summary>
    public required MrzField Name { get; init; }

    /// <summary>Primary identifier, fillers written as spaces.</summary>
    public required string Surname { get; init; }

    /// <summary>Secondary identifier: given names separated by single spaces.</summary>
    public required string GivenNames { get; init; }

    public required IReadOnlyList<MrzCheckResult> CheckDigits { get; init; }
    public required IReadOnlyList<MrzCorrection> Corrections { get; init; }
    public required IReadOnlyList<MrzFlag> Flags { get; init; }

    /// <summary>Every field well formed and every check digit passing.</summary>
    public bool IsValid => Fields.All(f => f.IsValid) && CheckDigits.All(c => c.Passed);

    /// <summary>The fields in MRZ order.</summary>
    public IEnumerable<MrzField> Fields =>
        [DocumentCode, IssuingState, DocumentNumber, Nationality, BirthDate, Sex, ExpiryDate, OptionalData1, OptionalData2, Name];

    /// <summary>Whether the parser raised <paramref name="issue"/>, for <paramref name="field"/> when given.</summary>
    public bool Has(MrzIssue issue, MrzFieldName? field = null) =>
        Flags.Any(f => f.Issue == issue && (field is null || f.Field == field));

    /// <summary>The reading as an <see cref="MrzIdentity"/>; null when a date is invalid or unknown.</summary>
    public MrzIdentity? ToIdentity()
    {
        if (BirthDate.Date is not { } birth || ExpiryDate.Date is not { } expiry)
        {
            return null;
        }

        var sex = Sex.Value switch { "M" => MrzSex.Male, "F" => MrzSex.Female, _ => MrzSex.Unspecified };
        return new MrzIdentity(
            Format, DocumentCode.Value, IssuingState.Value, Surname, GivenNames, DocumentNumber.Value, Nationality.Value,
            birth, sex, expiry, OptionalData1.Value, OptionalData2.Value);
    }

    // MRZ text is personal data: ToString names the format and the outcome only.
    public override string ToString() =>
        $"MrzReading {{ Format = {Format}, IsValid = {IsValid}, Corrections = {Corrections.Count}, Flags = [{string.Join(", ", Flags.Select(f => f.Field is { } n ? $"{f.Issue}({n})" : f.Issue.ToString()))}] }}";
}
