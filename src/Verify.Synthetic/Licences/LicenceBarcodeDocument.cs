using System.Globalization;
using Verify.Documents.Aamva;

namespace Verify.Synthetic.Licences;

/// <summary>A licence's expected barcode fields as the barcode reader gives them, to cross-check a front with its ground truth.</summary>
public static class LicenceBarcodeDocument
{
    /// <summary>The <see cref="AamvaDocument"/> a reader of the barcode behind <paramref name="fields"/> would give, every field valid.</summary>
    public static AamvaDocument From(LicenceBarcodeFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        static AamvaField Text(string id, string value) => new(id, value, value.Length > 0);
        static AamvaField Date(string id, DateOnly date) => new(id, date.ToString("MMddyyyy", CultureInfo.InvariantCulture), true) { Date = date };
        return new AamvaDocument
        {
            DocumentType = fields.DocumentType,
            FamilyName = Text("DCS", fields.FamilyName),
            GivenNames = Text("DAC", fields.GivenNames),
            MiddleNames = Text("DAD", fields.MiddleNames),
            BirthDate = Date("DBB", fields.BirthDate),
            ExpiryDate = Date("DBA", fields.ExpiryDate),
            IssueDate = Date("DBD", fields.IssueDate),
            DocumentNumber = Text("DAQ", fields.DocumentNumber),
            Sex = Text("DBC", fields.Sex),
            SexCode = fields.Sex switch { "1" => AamvaSex.Male, "2" => AamvaSex.Female, "9" => AamvaSex.NotSpecified, _ => AamvaSex.Unknown },
            Country = Text("DCG", fields.Country),
            Jurisdiction = Text("DAJ", fields.Jurisdiction),
        };
    }
}
