using Verify.Documents.Mrz;

namespace Verify.UnitTests.Documents;

public sealed class MrzParserTests
{
    private static readonly DateOnly Today = MrzSpecimens.Today;

    [Theory]
    [InlineData("TD3", MrzFormat.Td3, "P", "L898902C3", "UTO", "1974-08-12", "F", "2012-04-15", "ZE184226B", "")]
    [InlineData("TD1", MrzFormat.Td1, "I", "D23145890", "UTO", "1974-08-12", "F", "2012-04-15", "", "")]
    [InlineData("TD2", MrzFormat.Td2, "I", "D23145890", "UTO", "1974-08-12", "F", "2012-04-15", "", "")]
    [InlineData("MRV-A", MrzFormat.MrvA, "V", "L8988901C", "XXX", "1940-09-07", "F", "1996-12-10", "6ZE184226B", "")]
    [InlineData("MRV-B", MrzFormat.MrvB, "V", "L8988901C", "XXX", "1940-09-07", "F", "1996-12-10", "", "")]
    public void ICAO_specimens_parse_with_every_check_digit_valid(
        string specimen, MrzFormat format, string code, string number, string nationality, string birth, string sex, string expiry, string optional1, string optional2)
    {
        var reading = MrzSpecimens.Parse(specimen);

        Assert.Equal(format, reading.Format);
        Assert.True(reading.IsValid);
        Assert.All(reading.CheckDigits, c => Assert.True(c.Passed, c.Check.ToString()));
        Assert.Empty(reading.Corrections);
        Assert.Empty(reading.Flags);
        Assert.Equal(MrzSpecimens.Lines[specimen], reading.Lines);
        Assert.Equal(code, reading.DocumentCode.Value);
        Assert.Equal("UTO", reading.IssuingState.Value);
        Assert.Equal(number, reading.DocumentNumber.Value);
        Assert.Equal(nationality, reading.Nationality.Value);
        Assert.Equal(birth, reading.BirthDate.Value);
        Assert.Equal(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), reading.BirthDate.Date);
        Assert.Equal(sex, reading.Sex.Value);
        Assert.Equal(expiry, reading.ExpiryDate.Value);
        Assert.Equal(optional1, reading.OptionalData1.Value);
        Assert.Equal(optional2, reading.OptionalData2.Value);
        Assert.Equal("ERIKSSON", reading.Surname);
        Assert.Equal("ANNA MARIA", reading.GivenNames);
    }

    [Fact]
    public void Each_format_reports_the_check_digits_Doc_9303_gives_it()
    {
        MrzCheck[] Checks(string specimen) => [.. MrzSpecimens.Parse(specimen).CheckDigits.Select(c => c.Check)];

        Assert.Equal([MrzCheck.DocumentNumber, MrzCheck.BirthDate, MrzCheck.ExpiryDate, MrzCheck.OptionalData, MrzCheck.Composite], Checks("TD3"));
        Assert.Equal([MrzCheck.DocumentNumber, MrzCheck.BirthDate, MrzCheck.ExpiryDate, MrzCheck.Composite], Checks("TD1"));
        Assert.Equal([MrzCheck.DocumentNumber, MrzCheck.BirthDate, MrzCheck.ExpiryDate, MrzCheck.Composite], Checks("TD2"));
        Assert.Equal([MrzCheck.DocumentNumber, MrzCheck.BirthDate, MrzCheck.ExpiryDate], Checks("MRV-A"));
        Assert.Equal([MrzCheck.DocumentNumber, MrzCheck.BirthDate, MrzCheck.ExpiryDate], Checks("MRV-B"));
    }

    [Theory]
    [InlineData("p<utoeriksson«anna<maria<<<<<<<<<<<<<<<<<<<|L898902C36 UTO7408122F1204159ZE184226B<<<<<10", MrzIssue.Normalised)]
    [InlineData("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10", MrzIssue.LineLengthAdjusted)]
    [InlineData("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10<", MrzIssue.LineLengthAdjusted)]
    public void Case_spaces_guillemets_and_a_line_one_character_off_are_repaired_and_flagged(string lines, MrzIssue issue)
    {
        var reading = MrzParser.Parse(lines.Split('|'), Today)!;

        Assert.True(reading.IsValid);
        Assert.Equal(MrzSpecimens.Lines["TD3"], reading.Lines);
        Assert.True(reading.Has(issue));
    }

    [Fact]
    public void A_stray_mark_in_a_line_too_long_is_dropped()
    {
        var reading = MrzParser.Parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F|1204159ZE184226B<<<<<10"], Today)!;

        Assert.True(reading.IsValid);
        Assert.Equal(MrzSpecimens.Lines["TD3"], reading.Lines);
    }

    [Theory]
    [InlineData("P<UTOERIKSSON")]
    [InlineData("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159")]
    [InlineData("a|b|c|d")]
    public void Lines_that_fit_no_format_give_no_reading(string lines) => Assert.Null(MrzParser.Parse(lines.Split('|'), Today));

    [Fact]
    public void Blank_lines_around_the_MRZ_are_ignored() =>
        Assert.True(MrzParser.Parse(["", .. MrzSpecimens.Lines["TD2"], "  "], Today)!.IsValid);

    [Fact]
    public void Today_can_come_from_a_time_provider()
    {
        var reading = MrzParser.Parse(MrzSpecimens.Lines["MRV-B"], new FixedTime(new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero)))!;

        Assert.Equal(new DateOnly(1996, 12, 10), reading.ExpiryDate.Date);
    }

    [Fact]
    public void ToString_never_prints_MRZ_text()
    {
        var reading = MrzSpecimens.Parse("TD3");
        var text = reading.ToString() + reading.Name + reading.DocumentNumber + reading.ToIdentity();

        foreach (var secret in new[] { "ERIKSSON", "ANNA", "L898902C3", "740812", "1974", "ZE184226B" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
