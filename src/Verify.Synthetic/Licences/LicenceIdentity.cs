using Verify.Documents.Aamva;

namespace Verify.Synthetic.Licences;

/// <summary>An invented licence holder and licence: what the AAMVA barcode encodes and the front prints.</summary>
/// <param name="FamilyName">Family name (AAMVA DCS), upper-case ASCII as licences print it.</param>
/// <param name="GivenName">First name (DAC).</param>
/// <param name="MiddleName">Middle name (DAD); empty when the holder has none.</param>
/// <param name="BirthDate">Date of birth (DBB).</param>
/// <param name="IssueDate">Date of issue (DBD).</param>
/// <param name="ExpiryDate">Date of expiry (DBA).</param>
/// <param name="Number">The licence number (DAQ), in a shape like the jurisdiction's own.</param>
/// <param name="Sex">Male, female or not specified (DBC 1, 2 or 9).</param>
/// <param name="Issuer">The issuing state or province.</param>
/// <param name="Iin">The issuer's identification number.</param>
/// <param name="Version">The AAMVA version the barcode is written in (1 to 10).</param>
/// <param name="JurisdictionVersion">The jurisdiction's own version (not written in version 1).</param>
/// <param name="Address">Street (DAG), city (DAI) and postal code (DAK, as encoded).</param>
/// <param name="Physical">Eye colour (DAY) and height (DAU, as encoded).</param>
/// <param name="VehicleClass">Class (DCA or, in version 1, DAR).</param>
/// <param name="Discriminator">The document discriminator (DCF).</param>
public sealed record LicenceIdentity(
    string FamilyName,
    string GivenName,
    string MiddleName,
    DateOnly BirthDate,
    DateOnly IssueDate,
    DateOnly ExpiryDate,
    string Number,
    AamvaSex Sex,
    LicenceJurisdiction Issuer,
    string Iin,
    int Version,
    int JurisdictionVersion,
    (string Street, string City, string PostalCode) Address,
    (string Eyes, string Height) Physical,
    string VehicleClass,
    string Discriminator)
{
    public bool IsCanadian => Issuer.Country == "CAN";

    /// <summary>The given names as one line: first and middle, space separated.</summary>
    public string GivenNames => MiddleName.Length == 0 ? GivenName : $"{GivenName} {MiddleName}";

    /// <summary>The sex as printed: M, F or X.</summary>
    public string PrintedSex => Sex switch { AamvaSex.Male => "M", AamvaSex.Female => "F", _ => "X" };

    // Names, dates and numbers are personal data, even invented: ToString names the structure only.
    public override string ToString() => $"LicenceIdentity {{ Jurisdiction = {Issuer.Code}, Version = {Version} }}";
}
