using Verify.Documents.Aamva;

namespace Verify.Synthetic.Licences;

/// <summary>The values a licence's barcode encodes, named as <see cref="AamvaDocument"/>'s fields, to compare a reading with.</summary>
public sealed record LicenceBarcodeFields
{
    public required string DocumentType { get; init; }
    public required string FamilyName { get; init; }
    public required string GivenNames { get; init; }

    /// <summary>Empty when the holder has none, or the version writes all given names in one element.</summary>
    public required string MiddleNames { get; init; }

    public required DateOnly BirthDate { get; init; }
    public required DateOnly ExpiryDate { get; init; }
    public required DateOnly IssueDate { get; init; }
    public required string DocumentNumber { get; init; }

    /// <summary>The sex code as encoded: 1, 2 or 9.</summary>
    public required string Sex { get; init; }

    /// <summary>USA or CAN; empty for version 1, which has no country element.</summary>
    public required string Country { get; init; }

    public required string Jurisdiction { get; init; }

    /// <summary>The names of the fields whose read value differs from the expected one; empty when every field is right.</summary>
    public IReadOnlyList<string> Mismatches(AamvaDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var wrong = new List<string>();
        void Check(string name, bool right)
        {
            if (!right)
            {
                wrong.Add(name);
            }
        }

        Check(nameof(DocumentType), document.DocumentType == DocumentType);
        Check(nameof(FamilyName), document.FamilyName.Value == FamilyName);
        Check(nameof(GivenNames), document.GivenNames.Value == GivenNames);
        Check(nameof(MiddleNames), document.MiddleNames.Value == MiddleNames);
        Check(nameof(BirthDate), document.BirthDate.Date == BirthDate);
        Check(nameof(ExpiryDate), document.ExpiryDate.Date == ExpiryDate);
        Check(nameof(IssueDate), document.IssueDate.Date == IssueDate);
        Check(nameof(DocumentNumber), document.DocumentNumber.Value == DocumentNumber);
        Check(nameof(Sex), document.Sex.Value == Sex);
        Check(nameof(Country), document.Country.Value == Country);
        Check(nameof(Jurisdiction), document.Jurisdiction.Value == Jurisdiction);
        return wrong;
    }

    /// <summary>Every field name <see cref="Mismatches"/> can give, in its order.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
        [nameof(DocumentType), nameof(FamilyName), nameof(GivenNames), nameof(MiddleNames), nameof(BirthDate), nameof(ExpiryDate),
         nameof(IssueDate), nameof(DocumentNumber), nameof(Sex), nameof(Country), nameof(Jurisdiction)];

    // Synthetic, but shaped like personal data: print the structure only, as the AAMVA records do.
    public override string ToString() => $"LicenceBarcodeFields {{ DocumentType = {DocumentType}, Jurisdiction = {Jurisdiction} }}";
}
