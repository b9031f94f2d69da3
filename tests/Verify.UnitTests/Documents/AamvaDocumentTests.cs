using Verify.Documents.Aamva;
using static Verify.UnitTests.Documents.AamvaBarcodeText;

namespace Verify.UnitTests.Documents;

public sealed class AamvaDocumentTests
{
    private static AamvaReading Read(AamvaBarcodeText barcode)
    {
        var result = AamvaParser.Parse(barcode.Build());
        Assert.True(result.Reading is not null, $"expected a reading, got {result}");
        return result.Reading;
    }

    private static AamvaReading ReadLicence(IEnumerable<string> elements, string iin = "636000", int version = 10) =>
        Read(new AamvaBarcodeText { Iin = iin, Version = version }.With("DL", elements));

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(10)]
    public void Licence_fields_map_into_the_document(int version)
    {
        var reading = ReadLicence(Version10Licence, version: version);
        var document = reading.Document;

        Assert.Equal("DL", document.DocumentType);
        Assert.Equal("SAMPLE", document.FamilyName.Value);
        Assert.Equal("DCS", document.FamilyName.ElementId);
        Assert.Equal("JANE", document.GivenNames.Value);
        Assert.Equal("ANN", document.MiddleNames.Value);
        Assert.Equal(new DateOnly(1990, 1, 31), document.BirthDate.Date);
        Assert.Equal(new DateOnly(2030, 8, 14), document.ExpiryDate.Date);
        Assert.Equal(new DateOnly(2022, 8, 14), document.IssueDate.Date);
        Assert.Equal("T12345678", document.DocumentNumber.Value);
        Assert.Equal(AamvaSex.Female, document.SexCode);
        Assert.Equal("USA", document.Country.Value);
        Assert.Equal("VA", document.Jurisdiction.Value);
        Assert.All(document.Fields, f => Assert.True(f.IsValid, f.ToString()));
        Assert.Empty(reading.Findings);
    }

    [Fact]
    public void Version_3_takes_given_names_from_DCT_and_does_not_require_the_2009_elements()
    {
        var elements = Version10Licence.Where(e => e[..3] is not ("DAC" or "DAD" or "DDE" or "DDF" or "DDG")).Append("DCTJANE ANN");

        var reading = ReadLicence(elements, version: 3);

        Assert.Equal("JANE ANN", reading.Document.GivenNames.Value);
        Assert.Equal("DCT", reading.Document.GivenNames.ElementId);
        Assert.Equal("SAMPLE", reading.Document.FamilyName.Value);
        Assert.Empty(reading.Findings);
    }

    [Fact]
    public void Version_1_reads_DAB_and_DAC_and_takes_the_date_order_from_the_iin()
    {
        string[] elements =
        [
            "DAQ123456789", "DAASAMPLE,JANE,ANN", "DABSAMPLE", "DACJANE", "DAG1 MAIN ST", "DAIRICHMOND", "DAJVA",
            "DAK23269", "DARD", "DASNONE", "DATNONE", "DBA08142030", "DBB01311990", "DBC1", "DBD08142022",
        ];

        var reading = ReadLicence(elements, version: 1);

        Assert.Equal("DAB", reading.Document.FamilyName.ElementId);
        Assert.Equal("SAMPLE", reading.Document.FamilyName.Value);
        Assert.Equal("DAC", reading.Document.GivenNames.ElementId);
        Assert.Equal("ANN", reading.Document.MiddleNames.Value);
        Assert.Equal("DAA", reading.Document.MiddleNames.ElementId);
        Assert.Equal(new DateOnly(1990, 1, 31), reading.Document.BirthDate.Date);
        Assert.Equal(AamvaSex.Male, reading.Document.SexCode);
        Assert.False(reading.Document.Country.IsValid);
        Assert.Empty(reading.Findings);
    }

    [Fact]
    public void Version_1_without_DAB_splits_the_full_name()
    {
        var reading = ReadLicence(["DAQ1", "DAASAMPLE,JANE"], version: 1);

        Assert.Equal("SAMPLE", reading.Document.FamilyName.Value);
        Assert.Equal("JANE", reading.Document.GivenNames.Value);
        Assert.Null(reading.Document.MiddleNames.ElementId);
    }

    [Fact]
    public void Canadian_licence_dates_are_read_year_first()
    {
        var elements = Replace(Replace(Replace(Replace(Replace(Version10Licence,
            "DBB", "19900131"), "DBA", "20300814"), "DBD", "20220814"), "DCG", "CAN"), "DAJ", "ON");

        var reading = ReadLicence(elements, iin: "636012");

        Assert.Equal(new DateOnly(1990, 1, 31), reading.Document.BirthDate.Date);
        Assert.Equal(new DateOnly(2030, 8, 14), reading.Document.ExpiryDate.Date);
        Assert.Equal(new DateOnly(2022, 8, 14), reading.Document.IssueDate.Date);
        Assert.Empty(reading.Findings);
    }

    [Fact]
    public void Canadian_iin_decides_the_date_order_when_DCG_is_missing()
    {
        var reading = ReadLicence(["DAQ1", "DAJBC", "DBB19900131"], iin: "636028", version: 1);

        Assert.Equal(new DateOnly(1990, 1, 31), reading.Document.BirthDate.Date);
        Assert.False(reading.Has(AamvaIssue.CountryAssumed));
    }

    [Fact]
    public void Missing_mandatory_elements_are_findings()
    {
        var elements = Replace(Replace(Version10Licence, "DAU", null), "DCF", null);

        var reading = ReadLicence(elements);

        Assert.Equal(
            [new AamvaFinding(AamvaIssue.MissingMandatoryElement, "DAU"), new AamvaFinding(AamvaIssue.MissingMandatoryElement, "DCF")],
            reading.Findings);
    }

    [Fact]
    public void Id_card_is_not_required_to_carry_vehicle_class_restrictions_or_endorsements()
    {
        var elements = Version10Licence.Where(e => e[..3] is not ("DCA" or "DCB" or "DCD"));

        Assert.Empty(Read(new AamvaBarcodeText().With("ID", elements)).Findings);
        Assert.Equal(3, ReadLicence(elements).Findings.Count(f => f.Issue == AamvaIssue.MissingMandatoryElement));
    }

    [Theory]
    [InlineData("13012020")]
    [InlineData("02302020")]
    [InlineData("2020013")]
    [InlineData("19900131")]
    public void Invalid_birth_date_is_a_finding_on_that_field(string value)
    {
        var reading = ReadLicence(Replace(Version10Licence, "DBB", value));

        Assert.Equal([new AamvaFinding(AamvaIssue.InvalidDate, "DBB")], reading.Findings);
        Assert.False(reading.Document.BirthDate.IsValid);
        Assert.Null(reading.Document.BirthDate.Date);
        Assert.True(reading.Document.ExpiryDate.IsValid);
    }

    [Theory]
    [InlineData("1", AamvaSex.Male)]
    [InlineData("2", AamvaSex.Female)]
    [InlineData("9", AamvaSex.NotSpecified)]
    public void Sex_codes_map_to_M_F_and_X(string value, AamvaSex sex) =>
        Assert.Equal(sex, ReadLicence(Replace(Version10Licence, "DBC", value)).Document.SexCode);

    [Fact]
    public void Sex_code_outside_the_standard_is_a_finding()
    {
        var reading = ReadLicence(Replace(Version10Licence, "DBC", "M"));

        Assert.True(reading.Has(AamvaIssue.InvalidValue, "DBC"));
        Assert.Equal(AamvaSex.Unknown, reading.Document.SexCode);
        Assert.False(reading.Document.Sex.IsValid);
    }

    [Fact]
    public void Jurisdiction_that_is_not_the_iins_is_a_finding()
    {
        var reading = ReadLicence(Replace(Version10Licence, "DAJ", "MD"));

        Assert.Equal([new AamvaFinding(AamvaIssue.JurisdictionMismatch, "DAJ")], reading.Findings);
    }

    [Fact]
    public void Country_that_is_not_the_iins_is_a_finding() =>
        Assert.True(ReadLicence(Replace(Version10Licence, "DCG", "CAN")).Has(AamvaIssue.CountryMismatch, "DCG"));

    [Fact]
    public void Country_other_than_USA_or_CAN_is_a_finding() =>
        Assert.True(ReadLicence(Replace(Version10Licence, "DCG", "MEX")).Has(AamvaIssue.InvalidValue, "DCG"));

    [Fact]
    public void Unknown_iin_is_a_finding()
    {
        var reading = ReadLicence(Version10Licence, iin: "999999");

        Assert.Equal([new AamvaFinding(AamvaIssue.UnknownIin)], reading.Findings);
    }

    [Fact]
    public void Unknown_iin_without_a_country_assumes_the_US_date_order()
    {
        var reading = ReadLicence(["DAQ1", "DBB01311990"], iin: "999999", version: 1);

        Assert.True(reading.Has(AamvaIssue.CountryAssumed));
        Assert.Equal(new DateOnly(1990, 1, 31), reading.Document.BirthDate.Date);
    }

    [Fact]
    public void Repeated_element_is_a_finding_and_the_first_is_kept()
    {
        var reading = ReadLicence([.. Version10Licence, "DCSOTHER"]);

        Assert.Equal([new AamvaFinding(AamvaIssue.DuplicateElement, "DCS")], reading.Findings);
        Assert.Equal("SAMPLE", reading.Document.FamilyName.Value);
    }

    [Fact]
    public void Nothing_that_prints_a_reading_shows_personal_data()
    {
        var result = AamvaParser.Parse(new AamvaBarcodeText().With("DL", Replace(Version10Licence, "DBC", "7")).Build());
        var reading = result.Reading!;
        var printed = string.Join("\n", new object[] { result, reading, reading.Document }
            .Concat(reading.Document.Fields).Concat(reading.Subfiles).Concat(reading.Subfiles[0].Elements).Concat(reading.Findings));

        foreach (var secret in new[] { "SAMPLE", "JANE", "ANN", "T12345678", "01311990", "08142030", "RICHMOND", "MAIN", "DOC0001" })
        {
            Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
        }

        Assert.Contains("InvalidValue(DBC)", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("636014", "CA", "USA")]
    [InlineData("636043", "DC", "USA")]
    [InlineData("636020", "CO", "USA")]
    [InlineData("604428", "QC", "CAN")]
    [InlineData("636016", "NL", "CAN")]
    public void Iin_table_names_the_jurisdiction(string iin, string code, string country) =>
        Assert.Equal(new AamvaJurisdiction(code, country), AamvaJurisdictions.Find(iin));

    [Fact]
    public void Iin_table_gives_each_jurisdiction_one_six_digit_iin()
    {
        Assert.All(AamvaJurisdictions.Iins, iin => Assert.Matches("^(604|636)[0-9]{3}$", iin));
        var codes = AamvaJurisdictions.Iins.Select(i => AamvaJurisdictions.Find(i)!.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(51 + 5 + 13, codes.Count);
    }
}
