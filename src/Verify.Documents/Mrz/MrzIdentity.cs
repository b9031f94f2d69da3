namespace Verify.Documents.Mrz;

/// <summary>Sex as the MRZ records it.</summary>
public enum MrzSex
{
    /// <summary>Unspecified, written as the filler.</summary>
    Unspecified,

    /// <summary>Written as M.</summary>
    Male,

    /// <summary>Written as F.</summary>
    Female,
}

/// <summary>The holder and document data that an MRZ encodes, in its natural form (names as printed, real dates).</summary>
/// <param name="Format">The MRZ layout.</param>
/// <param name="DocumentCode">One or two letters: P for passports, I, A or C for cards, V for visas (a second letter is the issuer's).</param>
/// <param name="IssuingState">ICAO three-letter code of the issuing state or organisation.</param>
/// <param name="Surname">Primary identifier, as printed (transliterated when composed).</param>
/// <param name="GivenNames">Secondary identifier, as printed; may be empty.</param>
/// <param name="DocumentNumber">Up to 9 characters of A-Z and 0-9.</param>
/// <param name="Nationality">ICAO three-letter nationality code.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Sex">Sex.</param>
/// <param name="ExpiryDate">Date of expiry.</param>
/// <param name="OptionalData">Optional data (personal number on TD3); on TD1 the line 1 optional field.</param>
/// <param name="OptionalData2">TD1 only: the line 2 optional field.</param>
public sealed record MrzIdentity(
    MrzFormat Format,
    string DocumentCode,
    string IssuingState,
    string Surname,
    string GivenNames,
    string DocumentNumber,
    string Nationality,
    DateOnly BirthDate,
    MrzSex Sex,
    DateOnly ExpiryDate,
    string OptionalData = "",
    string OptionalData2 = "")
{
    // Names, numbers and dates are personal data: keep them out of logs that print the record.
    public override string ToString() => $"MrzIdentity {{ Format = {Format} }}";
}
