using System.Globalization;
using System.Text;
using Verify.Documents.Aamva;

namespace Verify.Synthetic.Licences;

/// <summary>One subfile to lay out: its two-letter type and its body (what follows the type, without the terminator).</summary>
public sealed record AamvaSubfileText(string Type, string Body)
{
    public override string ToString() => $"AamvaSubfileText {{ Type = {Type}, Length = {Body.Length} }}";
}

/// <summary>
/// Writes the text of a licence's PDF417 as the AAMVA DL/ID Card Design Standard lays it out (versions 1 to 10):
/// compliance header, subfile directory with each subfile's offset and length, the DL subfile with the elements the
/// version makes mandatory, and optionally a jurisdiction (Z) subfile.
/// </summary>
public static class AamvaComposer
{
    /// <summary>The file type of every version's header; the parser also accepts the older "AAMVA".</summary>
    public const string AnsiFileType = "ANSI ";

    private const string Preamble = "@\n\u001e\r";
    private const int DesignatorLength = 10;

    /// <summary>The barcode text of <paramref name="identity"/>'s licence, with a jurisdiction subfile when <paramref name="jurisdictionSubfile"/>.</summary>
    public static string Compose(LicenceIdentity identity, bool jurisdictionSubfile = false)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var subfiles = new List<AamvaSubfileText> { new("DL", string.Join('\n', DocumentElements(identity))) };
        if (jurisdictionSubfile)
        {
            // The standard leaves a jurisdiction subfile's content to the jurisdiction; its elements are named Z, its letter, then A, B...
            string type = "Z" + identity.Issuer.Code[0];
            subfiles.Add(new AamvaSubfileText(type, $"{type}A{identity.Discriminator[..Math.Min(4, identity.Discriminator.Length)]}\n{type}B{identity.Version:D2}"));
        }

        return Assemble(AnsiFileType, identity.Iin, identity.Version, identity.JurisdictionVersion, subfiles);
    }

    /// <summary>
    /// Lays out a file: the header (no jurisdiction version in version 1), one designator per subfile with the offset
    /// and length it ends up at, then each subfile as its type, its body and the segment terminator (CR).
    /// </summary>
    public static string Assemble(string fileType, string iin, int version, int jurisdictionVersion, IReadOnlyList<AamvaSubfileText> subfiles)
    {
        ArgumentNullException.ThrowIfNull(subfiles);
        var text = new StringBuilder(Preamble).Append(fileType).Append(iin).Append(Number(version, 2));
        if (version >= 2)
        {
            text.Append(Number(jurisdictionVersion, 2));
        }

        text.Append(Number(subfiles.Count, 2));
        int offset = text.Length + (DesignatorLength * subfiles.Count);
        var bodies = subfiles.Select(s => s.Type + s.Body + "\r").ToList();
        for (int i = 0; i < subfiles.Count; i++)
        {
            text.Append(subfiles[i].Type).Append(Number(offset, 4)).Append(Number(bodies[i].Length, 4));
            offset += bodies[i].Length;
        }

        return text.AppendJoin("", bodies).ToString();
    }

    /// <summary>The DL subfile's elements (id and value) for the identity's version, in the order the standard lists them.</summary>
    public static IReadOnlyList<string> DocumentElements(LicenceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var i = identity;
        string Date(DateOnly date) => date.ToString(i.IsCanadian ? "yyyyMMdd" : "MMddyyyy", CultureInfo.InvariantCulture);
        string sex = SexCode(i.Sex);
        if (i.Version == 1)
        {
            // DL/ID-2000 names the holder in one element, family, given and middle names separated by commas.
            string fullName = string.Join(',', new[] { i.FamilyName, i.GivenName, i.MiddleName }.Where(n => n.Length > 0));
            return
            [
                "DAQ" + i.Number, "DAA" + fullName, "DAG" + i.Address.Street, "DAI" + i.Address.City, "DAJ" + i.Issuer.Code,
                "DAK" + i.Address.PostalCode, "DAR" + i.VehicleClass, "DASNONE", "DATNONE", "DBA" + Date(i.ExpiryDate),
                "DBB" + Date(i.BirthDate), "DBC" + sex, "DBD" + Date(i.IssueDate),
            ];
        }

        // The 2003 and 2005 standards (versions 2 and 3) give all given names in DCT; from 2009 first and middle are apart.
        string[] names = i.Version <= 3
            ? ["DCS" + i.FamilyName, "DCT" + i.GivenNames]
            : ["DCS" + i.FamilyName, "DAC" + i.GivenName, "DAD" + i.MiddleName];
        var elements = new List<string> { "DCA" + i.VehicleClass, "DCBNONE", "DCDNONE", "DBA" + Date(i.ExpiryDate) };
        elements.AddRange(names);
        elements.AddRange(
        [
            "DBD" + Date(i.IssueDate), "DBB" + Date(i.BirthDate), "DBC" + sex, "DAY" + i.Physical.Eyes, "DAU" + i.Physical.Height,
            "DAG" + i.Address.Street, "DAI" + i.Address.City, "DAJ" + i.Issuer.Code, "DAK" + i.Address.PostalCode, "DAQ" + i.Number,
            "DCF" + i.Discriminator, "DCG" + i.Issuer.Country,
        ]);
        if (i.Version >= 4)
        {
            // Truncation indicators for the family, first and middle names: none of ours is truncated.
            elements.AddRange(["DDEN", "DDFN", "DDGN"]);
        }

        if (i.Version >= 6)
        {
            // Optional from the 2011 standard: compliance type (F: fully REAL ID compliant) and the card design's revision date.
            elements.AddRange(["DDAF", "DDB" + Date(new DateOnly(2017, 1, 1))]);
        }

        return elements;
    }

    /// <summary>What <see cref="AamvaParser"/> should read from <paramref name="identity"/>'s barcode, field by field.</summary>
    public static LicenceBarcodeFields Expected(LicenceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var (given, middle) = identity.Version switch
        {
            2 or 3 => (identity.GivenNames, ""),
            _ => (identity.GivenName, identity.MiddleName),
        };
        return new LicenceBarcodeFields
        {
            DocumentType = "DL",
            FamilyName = identity.FamilyName,
            GivenNames = given,
            MiddleNames = middle,
            BirthDate = identity.BirthDate,
            ExpiryDate = identity.ExpiryDate,
            IssueDate = identity.IssueDate,
            DocumentNumber = identity.Number,
            Sex = SexCode(identity.Sex),
            // Version 1 has no DCG: the country is known from the IIN only.
            Country = identity.Version == 1 ? "" : identity.Issuer.Country,
            Jurisdiction = identity.Issuer.Code,
        };
    }

    private static string SexCode(AamvaSex sex) => sex switch { AamvaSex.Male => "1", AamvaSex.Female => "2", _ => "9" };

    private static string Number(int value, int digits) => value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
}
