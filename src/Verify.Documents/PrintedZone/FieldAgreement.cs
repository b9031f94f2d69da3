namespace Verify.Documents.PrintedZone;

/// <summary>How a printed-zone field compares with its MRZ counterpart.</summary>
public enum FieldAgreement
{
    /// <summary>One side lacks the field, so nothing was compared.</summary>
    Missing,

    /// <summary>Identical (names after MRZ transliteration and truncation).</summary>
    Agree,

    /// <summary>Names only: different, but within the OCR tolerance.</summary>
    Near,

    /// <summary>Different beyond what OCR noise explains.</summary>
    Mismatch,
}

/// <summary>Per-field agreement between the printed zone and the MRZ of one document.</summary>
public sealed record PrintedZoneComparison(
    FieldAgreement Surname,
    FieldAgreement GivenNames,
    FieldAgreement BirthDate,
    FieldAgreement DocumentNumber,
    FieldAgreement ExpiryDate)
{
    /// <summary>Each compared field with its snake_case name, for findings and signals.</summary>
    public IEnumerable<(string Field, FieldAgreement Agreement)> Fields =>
    [
        ("surname", Surname), ("given_names", GivenNames), ("birth_date", BirthDate),
        ("document_number", DocumentNumber), ("expiry_date", ExpiryDate),
    ];
}
