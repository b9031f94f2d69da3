using Verify.Documents.Mrz;

namespace Verify.Synthetic;

/// <summary>An invented document holder and document: what the MRZ encodes and what is printed in the visual zone.</summary>
/// <param name="Mrz">The MRZ data in natural form (names as printed, with diacritics).</param>
/// <param name="Country">The issuing state.</param>
/// <param name="PlaceOfBirth">Place of birth, as printed.</param>
/// <param name="IssueDate">Date of issue.</param>
/// <param name="Address">Two address lines (printed on the back of a card).</param>
/// <param name="Authority">The issuing authority, as printed.</param>
public sealed record SyntheticIdentity(
    MrzIdentity Mrz,
    IssuingCountry Country,
    string PlaceOfBirth,
    DateOnly IssueDate,
    IReadOnlyList<string> Address,
    string Authority)
{
    /// <summary>The sex as printed: M, F or X.</summary>
    public string PrintedSex => Mrz.Sex switch { MrzSex.Male => "M", MrzSex.Female => "F", _ => "X" };
}
