using System.Globalization;

namespace Verify.Documents.Aamva;

/// <summary>Maps the data elements of a DL or ID subfile to the document's fields and checks them against the version and the IIN.</summary>
internal static class AamvaDocumentReader
{
    // The mandatory elements, written from the standard's tables: DL/ID-2000 (version 1), the 2003 and 2005
    // specifications (versions 2 and 3, given names in DCT) and the 2009 to 2020 standards (versions 4 to 10, first
    // and middle names apart, with their truncation indicators). Vehicle class, restrictions and endorsements
    // apply to licences only, so an ID card's subfile is not expected to carry them.
    private static readonly string[] Version1 = ["DAA", "DAG", "DAI", "DAJ", "DAK", "DAQ", "DAR", "DAS", "DAT", "DBA", "DBB", "DBC", "DBD"];

    private static readonly string[] Versions2And3 =
        ["DCA", "DCB", "DCD", "DBA", "DCS", "DCT", "DBD", "DBB", "DBC", "DAY", "DAU", "DAG", "DAI", "DAJ", "DAK", "DAQ", "DCF", "DCG"];

    private static readonly string[] Versions4To10 =
        ["DCA", "DCB", "DCD", "DBA", "DCS", "DAC", "DAD", "DBD", "DBB", "DBC", "DAY", "DAU", "DAG", "DAI", "DAJ", "DAK", "DAQ", "DCF", "DCG", "DDE", "DDF", "DDG"];

    private static readonly string[] LicenceOnly = ["DAR", "DAS", "DAT", "DCA", "DCB", "DCD"];

    /// <summary>The elements that <paramref name="version"/> makes mandatory in a subfile of <paramref name="subfileType"/>.</summary>
    public static IEnumerable<string> MandatoryElements(int version, string subfileType)
    {
        var all = version switch { 1 => Version1, 2 or 3 => Versions2And3, _ => Versions4To10 };
        return subfileType == "DL" ? all : all.Except(LicenceOnly);
    }

    public static (AamvaDocument Document, IReadOnlyList<AamvaFinding> Findings) Read(int version, string iin, AamvaSubfile subfile)
    {
        var findings = new List<AamvaFinding>();
        var values = new Dictionary<string, string>();
        foreach (var element in subfile.Elements)
        {
            if (!values.TryAdd(element.Id, element.Value.TrimEnd()))
            {
                findings.Add(new AamvaFinding(AamvaIssue.DuplicateElement, element.Id));
            }
        }

        findings.AddRange(MandatoryElements(version, subfile.Type)
            .Where(id => !values.ContainsKey(id))
            .Select(id => new AamvaFinding(AamvaIssue.MissingMandatoryElement, id)));

        var issuer = AamvaJurisdictions.Find(iin);
        var country = Text(values, "DCG");
        if (country.IsValid && country.Value is not ("USA" or "CAN"))
        {
            findings.Add(new AamvaFinding(AamvaIssue.InvalidValue, "DCG"));
            country = country with { IsValid = false };
        }

        if (issuer is null)
        {
            findings.Add(new AamvaFinding(AamvaIssue.UnknownIin));
        }
        else if (country.IsValid && country.Value != issuer.Country)
        {
            findings.Add(new AamvaFinding(AamvaIssue.CountryMismatch, "DCG"));
        }

        var jurisdiction = Text(values, "DAJ");
        if (issuer is not null && jurisdiction.IsValid && jurisdiction.Value != issuer.Code)
        {
            findings.Add(new AamvaFinding(AamvaIssue.JurisdictionMismatch, "DAJ"));
        }

        // The USA writes dates MMDDCCYY, Canada CCYYMMDD; without DCG (version 1) the IIN's country decides.
        var dateCountry = country.IsValid ? country.Value : issuer?.Country;
        if (dateCountry is null)
        {
            findings.Add(new AamvaFinding(AamvaIssue.CountryAssumed));
        }

        var dateFormat = dateCountry == "CAN" ? "yyyyMMdd" : "MMddyyyy";
        var (sex, sexCode) = Sex(values, findings);
        var fullName = version == 1 ? SplitFullName(values) : [];
        var document = new AamvaDocument
        {
            DocumentType = subfile.Type,
            FamilyName = version == 1 ? First(Text(values, "DAB"), fullName[0]) : Text(values, "DCS"),
            GivenNames = version switch
            {
                1 => First(Text(values, "DAC"), fullName[1]),
                2 or 3 => First(Text(values, "DCT"), Text(values, "DAC")),
                _ => First(Text(values, "DAC"), Text(values, "DCT")),
            },
            MiddleNames = version == 1 ? First(Text(values, "DAD"), fullName[2]) : Text(values, "DAD"),
            BirthDate = Date(values, "DBB", dateFormat, findings),
            ExpiryDate = Date(values, "DBA", dateFormat, findings),
            IssueDate = Date(values, "DBD", dateFormat, findings),
            DocumentNumber = Text(values, "DAQ"),
            Sex = sex,
            SexCode = sexCode,
            Country = country,
            Jurisdiction = jurisdiction,
        };
        return (document, findings);
    }

    private static AamvaField Text(Dictionary<string, string> values, string id) =>
        values.TryGetValue(id, out var value) ? new AamvaField(id, value, value.Length > 0) : AamvaField.Absent;

    private static AamvaField First(AamvaField preferred, AamvaField fallback) => preferred.ElementId is null ? fallback : preferred;

    // DL/ID-2000's full name (DAA) is family, given and middle names separated by commas.
    private static AamvaField[] SplitFullName(Dictionary<string, string> values)
    {
        var parts = values.TryGetValue("DAA", out var full) ? full.Split(',', StringSplitOptions.TrimEntries) : [];
        return [.. Enumerable.Range(0, 3).Select(i => i < parts.Length ? new AamvaField("DAA", parts[i], parts[i].Length > 0) : AamvaField.Absent)];
    }

    private static AamvaField Date(Dictionary<string, string> values, string id, string format, List<AamvaFinding> findings)
    {
        if (!values.TryGetValue(id, out var value))
        {
            return AamvaField.Absent;
        }

        if (value.Length == 8 && DateOnly.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new AamvaField(id, value, true) { Date = date };
        }

        findings.Add(new AamvaFinding(AamvaIssue.InvalidDate, id));
        return new AamvaField(id, value, false);
    }

    private static (AamvaField Field, AamvaSex Code) Sex(Dictionary<string, string> values, List<AamvaFinding> findings)
    {
        var field = Text(values, "DBC");
        if (field.ElementId is null)
        {
            return (field, AamvaSex.Unknown);
        }

        var code = field.Value switch { "1" => AamvaSex.Male, "2" => AamvaSex.Female, "9" => AamvaSex.NotSpecified, _ => AamvaSex.Unknown };
        if (code == AamvaSex.Unknown)
        {
            findings.Add(new AamvaFinding(AamvaIssue.InvalidValue, "DBC"));
            return (field with { IsValid = false }, code);
        }

        return (field, code);
    }
}
