using Verify.Documents.Mrz;

namespace Verify.UnitTests.Documents;

public sealed class MrzDateAndNameTests
{
    private static readonly DateOnly Today = new(2025, 6, 1);

    [Theory]
    [InlineData("740812", 1974)]
    [InlineData("250531", 2025)]
    [InlineData("250602", 1925)]
    [InlineData("000229", 2000)]
    public void A_birth_date_takes_the_latest_century_that_keeps_it_in_the_past(string birth, int year) =>
        Assert.Equal(year, Parse(birth, "300101").BirthDate.Date!.Value.Year);

    [Theory]
    [InlineData("300101", 2030)]
    [InlineData("120415", 2012)]
    [InlineData("750101", 2075)]
    [InlineData("760101", 1976)]
    public void An_expiry_date_is_this_century_unless_that_is_more_than_50_years_ahead(string expiry, int year) =>
        Assert.Equal(year, Parse("740812", expiry).ExpiryDate.Date!.Value.Year);

    [Theory]
    [InlineData("741312")]
    [InlineData("740230")]
    [InlineData("740800")]
    [InlineData("7408<2")]
    public void An_impossible_date_makes_the_field_invalid(string birth)
    {
        var reading = Parse(birth, "300101");

        Assert.False(reading.BirthDate.IsValid);
        Assert.Null(reading.BirthDate.Date);
        Assert.True(reading.Has(MrzIssue.InvalidDate, MrzFieldName.BirthDate));
    }

    [Theory]
    [InlineData("7408<<")]
    [InlineData("74<<<<")]
    [InlineData("<<<<<<")]
    public void An_unknown_day_or_month_written_as_fillers_is_flagged_not_rejected(string birth)
    {
        var reading = Parse(birth, "300101");

        Assert.True(reading.BirthDate.IsValid);
        Assert.Null(reading.BirthDate.Date);
        Assert.True(reading.Has(MrzIssue.DateIncomplete, MrzFieldName.BirthDate));
    }

    [Fact]
    public void A_name_that_fills_its_field_is_flagged_as_truncated()
    {
        var lines = MrzComposer.Compose(Identity(MrzFormat.Td1, "Wolfeschlegelsteinhausen", "Hubert Blaine"));
        var reading = MrzParser.Parse(lines, Today)!;

        Assert.True(reading.IsValid);
        Assert.True(reading.Has(MrzIssue.NameTruncated, MrzFieldName.Name));
        Assert.Equal("WOLFESCHLEGELSTEINHAUSEN", reading.Surname);
        Assert.Equal("HUBE", reading.GivenNames);
    }

    [Fact]
    public void Fillers_inside_names_become_spaces()
    {
        var reading = MrzParser.Parse(MrzComposer.Compose(Identity(MrzFormat.Td3, "van der Berg", "Jan  Willem")), Today)!;

        Assert.Equal("VAN DER BERG", reading.Surname);
        Assert.Equal("JAN WILLEM", reading.GivenNames);
        Assert.Empty(reading.Flags);
    }

    [Fact]
    public void A_name_without_given_names_has_an_empty_secondary_identifier()
    {
        var reading = MrzParser.Parse(MrzComposer.Compose(Identity(MrzFormat.Td2, "Madonna", "")), Today)!;

        Assert.Equal("MADONNA", reading.Surname);
        Assert.Equal("", reading.GivenNames);
    }

    [Theory]
    [InlineData("<<ERIKSSON<<ANNA")]
    [InlineData("ERIKSSON<<<ANNA")]
    [InlineData("ERIKSSON<<ANNA<<MARIA")]
    public void A_name_without_the_primary_double_filler_secondary_shape_is_flagged(string name)
    {
        var lines = MrzSpecimens.Lines["TD3"].ToArray();
        lines[0] = ("P<UTO" + name).PadRight(44, '<');
        var reading = MrzParser.Parse(lines, Today)!;

        Assert.False(reading.Name.IsValid);
        Assert.True(reading.Has(MrzIssue.NameMalformed, MrzFieldName.Name));
    }

    [Fact]
    public void Random_composed_identities_parse_back_to_the_same_fields()
    {
        var random = new Random(9303);
        const string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const string characters = letters + "0123456789";
        string Word(string alphabet, int min, int max) =>
            new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var formats = Enum.GetValues<MrzFormat>();
        // Real documents carry known codes; an unknown one a look-alike swap away from a known one is corrected (and flagged).
        var countries = Verify.Documents.Checks.IcaoCountryCodes.All.Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < 400; i++)
        {
            var format = formats[random.Next(formats.Length)];
            var code = format switch { MrzFormat.Td3 => "P", MrzFormat.MrvA or MrzFormat.MrvB => "V", _ => "IAC"[random.Next(3)].ToString() };
            var optionalLength = format switch { MrzFormat.Td1 => 15, MrzFormat.Td2 => 7, MrzFormat.Td3 => 14, MrzFormat.MrvA => 16, _ => 8 };
            var identity = new MrzIdentity(
                format,
                code,
                countries[random.Next(countries.Length)],
                Word(letters, 1, 12) + (random.Next(4) == 0 ? " " + Word(letters, 2, 6) : ""),
                random.Next(5) == 0 ? "" : Word(letters, 1, 8) + " " + Word(letters, 1, 8),
                Word(characters, 1, 9),
                countries[random.Next(countries.Length)],
                Today.AddDays(-random.Next(1, 36_000)),
                (MrzSex)random.Next(3),
                Today.AddDays(random.Next(-18_000, 18_000)),
                Word(characters, 0, optionalLength),
                format == MrzFormat.Td1 ? Word(characters, 0, 11) : "");

            var reading = MrzParser.Parse(MrzComposer.Compose(identity), Today)!;
            var name = MrzName(identity, format);

            Assert.True(reading.IsValid, $"identity {i}");
            Assert.Empty(reading.Corrections);
            Assert.Equal(identity with { Surname = name.Surname, GivenNames = name.GivenNames }, reading.ToIdentity());
        }
    }

    // What the MRZ can hold of a name: transliterated and cut to the field, fillers back to spaces.
    private static (string Surname, string GivenNames) MrzName(MrzIdentity identity, MrzFormat format)
    {
        var length = format == MrzFormat.Td1 ? 30 : MrzLayout.LineLength(format) - 5;
        var field = MrzComposer.NameField(identity.Surname, identity.GivenNames, length).TrimEnd('<');
        var parts = field.Split("<<", 2);
        return (parts[0].Replace('<', ' '), parts.Length > 1 ? string.Join(' ', parts[1].Split('<', StringSplitOptions.RemoveEmptyEntries)) : "");
    }

    private static MrzIdentity Identity(MrzFormat format, string surname, string givenNames) =>
        new(format, format == MrzFormat.Td3 ? "P" : "I", "UTO", surname, givenNames, "L898902C3", "UTO",
            new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2030, 4, 15));

    private static MrzReading Parse(string birth, string expiry)
    {
        var line2 = "L898902C36UTO" + birth + MrzCheckDigit.ComputeChar(birth) + "F" + expiry + MrzCheckDigit.ComputeChar(expiry) + "ZE184226B<<<<<1";
        line2 += MrzCheckDigit.ComputeChar(line2[..10] + line2[13..20] + line2[21..43]);
        return MrzParser.Parse([MrzSpecimens.Lines["TD3"][0], line2], Today)!;
    }
}
