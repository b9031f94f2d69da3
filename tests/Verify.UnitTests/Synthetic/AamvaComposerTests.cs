using Verify.Documents.Aamva;
using Verify.Synthetic.Licences;

namespace Verify.UnitTests.Synthetic;

public sealed class AamvaComposerTests
{
    private static LicenceIdentity Holder(string code, int version, string middle = "ANN") =>
        new("O'BRIEN-SMITH", "MARY", middle, new DateOnly(1990, 1, 31), new DateOnly(2022, 8, 14), new DateOnly(2030, 1, 31), "T1234567",
            AamvaSex.Female, LicenceJurisdiction.All.Single(j => j.Code == code), LicenceJurisdiction.All.Single(j => j.Code == code).Iin,
            version, 3, ("1 MAIN ST", "SPRINGFIELD", "232690000  "), ("BRO", "065 IN"), "D", "0123456789");

    private static AamvaReading ParseClean(string text)
    {
        var result = AamvaParser.Parse(text);
        Assert.True(result.Reading is not null, $"expected a reading, got {result}");
        Assert.Empty(result.Reading.Findings);
        return result.Reading;
    }

    public static TheoryData<string, int, bool> VersionsAndJurisdictions()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (string code in new[] { "VA", "CA", "ON", "QC" })
        {
            for (int version = 1; version <= 10; version++)
            {
                data.Add(code, version, version % 2 == 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VersionsAndJurisdictions))]
    public void Every_version_parses_without_findings_into_the_expected_fields(string code, int version, bool jurisdictionSubfile)
    {
        var holder = Holder(code, version);

        var reading = ParseClean(AamvaComposer.Compose(holder, jurisdictionSubfile));

        Assert.Equal(version, reading.Version);
        Assert.Equal(holder.Iin, reading.Iin);
        Assert.Equal(jurisdictionSubfile ? ["DL", "Z" + code[0]] : ["DL"], reading.Subfiles.Select(s => s.Type));
        Assert.Empty(AamvaComposer.Expected(holder).Mismatches(reading.Document));
        Assert.Equal(new DateOnly(1990, 1, 31), reading.Document.BirthDate.Date);
        Assert.Equal(version == 1 ? null : 3, reading.JurisdictionVersion);
    }

    [Theory]
    [InlineData(1, "MARY", "ANN")]
    [InlineData(3, "MARY ANN", "")]
    [InlineData(10, "MARY", "ANN")]
    public void Given_and_middle_names_are_written_as_the_version_has_them(int version, string given, string middle)
    {
        var document = ParseClean(AamvaComposer.Compose(Holder("VA", version))).Document;

        Assert.Equal(given, document.GivenNames.Value);
        Assert.Equal(middle, document.MiddleNames.Value);
        Assert.Equal("O'BRIEN-SMITH", document.FamilyName.Value);
    }

    [Fact]
    public void A_holder_without_a_middle_name_reads_back_with_none()
    {
        var holder = Holder("ON", 9, middle: "");

        Assert.Empty(AamvaComposer.Expected(holder).Mismatches(ParseClean(AamvaComposer.Compose(holder)).Document));
    }

    [Fact]
    public void Canadian_dates_are_written_year_first_and_US_dates_month_first()
    {
        Assert.Contains("DBB19900131", AamvaComposer.Compose(Holder("ON", 10)), StringComparison.Ordinal);
        Assert.Contains("DBB01311990", AamvaComposer.Compose(Holder("VA", 10)), StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_offsets_and_lengths_locate_each_subfile()
    {
        string text = AamvaComposer.Assemble("ANSI ", "636000", 10, 1, [new("DL", "DAQ1\nDCSA"), new("ZV", "ZVA1")]);

        Assert.Equal("@\n\u001e\rANSI 636000100102DL00410012ZV00530007DLDAQ1\nDCSA\rZVZVA1\r", text);
    }

    [Fact]
    public void Sampled_licences_all_parse_clean_and_as_expected()
    {
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            var holder = LicenceSampler.Sample(random);
            var reading = ParseClean(AamvaComposer.Compose(holder, i % 2 == 0));

            Assert.Empty(AamvaComposer.Expected(holder).Mismatches(reading.Document));
        }
    }

    [Fact]
    public void Holders_valid_on_a_date_are_adults_with_a_licence_in_force()
    {
        var validOn = new DateOnly(2027, 3, 1);
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var holder = LicenceSampler.SampleValidOn(random, validOn);

            Assert.True(holder.ExpiryDate >= validOn && holder.IssueDate <= validOn);
            Assert.True(holder.BirthDate.AddYears(18) <= validOn);
        }
    }

    [Fact]
    public void Every_jurisdiction_of_the_iin_table_can_issue_a_licence()
    {
        Assert.Equal(AamvaJurisdictions.Iins.Order(), LicenceJurisdiction.All.Select(j => j.Iin));
        Assert.All(LicenceJurisdiction.All, j => Assert.Equal(AamvaJurisdictions.Find(j.Iin), new AamvaJurisdiction(j.Code, j.Country)));
    }

    [Fact]
    public void Versions_spread_over_1_to_10_with_most_from_8_to_10()
    {
        var random = new Random(11);
        var versions = Enumerable.Range(0, 2000).Select(_ => LicenceSampler.Sample(random).Version).ToList();

        Assert.Equal(Enumerable.Range(1, 10), versions.Distinct().Order());
        Assert.InRange(versions.Count(v => v >= 8) / 2000.0, 0.6, 0.8);
    }
}
