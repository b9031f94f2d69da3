namespace Verify.Documents.Aamva;

/// <summary>Sex as an AAMVA barcode encodes it (DBC: 1, 2 or 9).</summary>
public enum AamvaSex
{
    /// <summary>Absent or not one of the standard's codes.</summary>
    Unknown,

    /// <summary>Written as 1 (M).</summary>
    Male,

    /// <summary>Written as 2 (F).</summary>
    Female,

    /// <summary>Written as 9 (X): not specified.</summary>
    NotSpecified,
}

/// <summary>What the field and jurisdiction checks found in a reading.</summary>
public enum AamvaIssue
{
    /// <summary>An element the version's standard makes mandatory for this subfile type is absent.</summary>
    MissingMandatoryElement,

    /// <summary>A date that is not eight digits or does not exist in the country's date order.</summary>
    InvalidDate,

    /// <summary>A value outside the codes the element allows (sex not 1/2/9, country not USA/CAN).</summary>
    InvalidValue,

    /// <summary>The same element appears more than once in the subfile; the first was taken.</summary>
    DuplicateElement,

    /// <summary>The IIN is not in the table of US and Canadian jurisdictions.</summary>
    UnknownIin,

    /// <summary>The jurisdiction code (DAJ) is not that of the issuer the IIN names.</summary>
    JurisdictionMismatch,

    /// <summary>The country (DCG) is not that of the issuer the IIN names.</summary>
    CountryMismatch,

    /// <summary>Neither DCG nor a known IIN gives the country, so the date order was assumed to be the USA's.</summary>
    CountryAssumed,
}

/// <summary>A finding, with the element it concerns where there is one; never carries the element's value.</summary>
public sealed record AamvaFinding(AamvaIssue Issue, string? ElementId = null)
{
    public override string ToString() => ElementId is { } id ? $"{Issue}({id})" : Issue.ToString();
}

/// <summary>One field of the document: the element it came from, its value as encoded and, for dates, the date.</summary>
/// <param name="ElementId">The element read (e.g. DCS), or null when the barcode has none of the candidates.</param>
/// <param name="Value">The value, trailing padding trimmed; empty when absent.</param>
/// <param name="IsValid">Present and well formed.</param>
public sealed record AamvaField(string? ElementId, string Value, bool IsValid)
{
    /// <summary>The date of a date field; null for other fields and for absent or invalid dates.</summary>
    public DateOnly? Date { get; init; }

    public static AamvaField Absent { get; } = new(null, "", false);

    // Field values are personal data: never let them reach a log through ToString.
    public override string ToString() => $"AamvaField {{ ElementId = {ElementId}, IsValid = {IsValid} }}";
}

/// <summary>The holder and document data of a licence or ID card's barcode, in the fields the MRZ model also has.</summary>
public sealed record AamvaDocument
{
    /// <summary>DL or ID: the subfile the fields were read from.</summary>
    public required string DocumentType { get; init; }

    public required AamvaField FamilyName { get; init; }
    public required AamvaField GivenNames { get; init; }
    public required AamvaField MiddleNames { get; init; }
    public required AamvaField BirthDate { get; init; }
    public required AamvaField ExpiryDate { get; init; }
    public required AamvaField IssueDate { get; init; }
    public required AamvaField DocumentNumber { get; init; }
    public required AamvaField Sex { get; init; }

    /// <summary>The sex code mapped; <see cref="AamvaSex.Unknown"/> when absent or invalid.</summary>
    public required AamvaSex SexCode { get; init; }

    /// <summary>USA or CAN as DCG gives it (empty when absent: version 1 has no DCG).</summary>
    public required AamvaField Country { get; init; }

    /// <summary>The two-letter jurisdiction code of the address (DAJ).</summary>
    public required AamvaField Jurisdiction { get; init; }

    /// <summary>The fields in a fixed order.</summary>
    public IEnumerable<AamvaField> Fields => NamedFields.Select(named => named.Field);

    /// <summary>The fields in the same order, each with its snake_case name (the document checks' and the MRZ's names where they share one).</summary>
    public IEnumerable<(string Name, AamvaField Field)> NamedFields =>
    [
        ("surname", FamilyName), ("given_names", GivenNames), ("middle_names", MiddleNames), ("birth_date", BirthDate),
        ("expiry_date", ExpiryDate), ("issue_date", IssueDate), ("document_number", DocumentNumber), ("sex", Sex),
        ("country", Country), ("jurisdiction", Jurisdiction),
    ];

    // Names, numbers and dates are personal data: ToString names the document type only.
    public override string ToString() => $"AamvaDocument {{ DocumentType = {DocumentType} }}";
}
