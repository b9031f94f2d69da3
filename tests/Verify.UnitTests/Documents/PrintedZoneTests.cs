using Verify.Documents.Mrz;
using Verify.Documents.PrintedZone;

namespace Verify.UnitTests.Documents;

public sealed class PrintedZoneTests
{
    [Fact]
    public void Label_lines_followed_by_value_lines_are_read()
    {
        var reading = PrintedZoneParser.Parse(
        [
            "PASSPORT", "Surname / Nom", "ERIKSSON", "Given names / Prénoms", "ANNA MARIA", "Nationality", "UTOPIAN",
            "Date of birth / Date de naissance", "12 AUG/AOUT 1974", "Passport No. / No. du passeport", "L898902C3",
            "Date of expiry / Date d'expiration", "15 APR/AVR 2012",
        ]);

        Assert.Equal(new PrintedZoneReading("ERIKSSON", "ANNA MARIA", new(1974, 8, 12), "L898902C3", new(2012, 4, 15)), reading);
    }

    [Fact]
    public void Label_and_value_on_one_line_are_read()
    {
        var reading = PrintedZoneParser.Parse(["Surname: ERIKSSON", "Given names: ANNA MARIA", "Document No.: D 2314 5890", "Date of birth: 1974-08-12"]);

        Assert.Equal(new PrintedZoneReading("ERIKSSON", "ANNA MARIA", new(1974, 8, 12), "D23145890", null), reading);
    }

    [Fact]
    public void Labels_are_matched_despite_case_and_OCR_noise()
    {
        var reading = PrintedZoneParser.Parse(["SURNAMF", "ERIKSSON", "glven narnes", "ANNA MARIA", "Date 0f birth", "12.08.1974"]);

        Assert.Equal("ERIKSSON", reading.Surname);
        Assert.Equal("ANNA MARIA", reading.GivenNames);
        Assert.Equal(new DateOnly(1974, 8, 12), reading.BirthDate);
    }

    [Theory]
    [InlineData("12 AUG 1974")]
    [InlineData("12 AUG/AOUT 1974")]
    [InlineData("12 août 1974")]
    [InlineData("12 August 1974")]
    [InlineData("12.08.1974")]
    [InlineData("12/08/1974")]
    [InlineData("1974-08-12")]
    public void Printed_dates_are_read_in_the_usual_layouts(string text) =>
        Assert.Equal(new DateOnly(1974, 8, 12), PrintedZoneParser.ParseDate(text));

    [Theory]
    [InlineData("31 FEB 1974")]
    [InlineData("12 XYZ 1974")]
    [InlineData("not a date")]
    public void Text_that_is_no_date_gives_none(string text) => Assert.Null(PrintedZoneParser.ParseDate(text));

    [Fact]
    public void The_specimen_printed_zone_agrees_with_its_MRZ()
    {
        var comparison = PrintedZoneCrossCheck.Compare(MrzSpecimens.Parse("TD3"), MrzSpecimens.Printed("TD3"));

        Assert.All(comparison.Fields, f => Assert.Equal(FieldAgreement.Agree, f.Agreement));
    }

    [Fact]
    public void Printed_names_are_transliterated_before_comparison()
    {
        var lines = MrzComposer.Compose(new MrzIdentity(
            MrzFormat.Td3, "P", "UTO", "Müller", "Zoë", "L898902C3", "UTO", new(1974, 8, 12), MrzSex.Female, new(2012, 4, 15)));
        var printed = new PrintedZoneReading("Müller", "Zoë", null, null, null);

        var comparison = PrintedZoneCrossCheck.Compare(MrzParser.Parse(lines, MrzSpecimens.Today)!, printed);

        Assert.Equal(FieldAgreement.Agree, comparison.Surname);
        Assert.Equal(FieldAgreement.Agree, comparison.GivenNames);
        Assert.Equal(FieldAgreement.Missing, comparison.BirthDate);
    }

    [Fact]
    public void A_name_truncated_in_the_MRZ_agrees_with_its_full_printed_form()
    {
        var identity = new MrzIdentity(
            MrzFormat.Td1, "I", "UTO", "Wolfeschlegelsteinhausen", "Hubert Blaine", "D23145890", "UTO",
            new(1974, 8, 12), MrzSex.Male, new(2012, 4, 15));
        var reading = MrzParser.Parse(MrzComposer.Compose(identity), MrzSpecimens.Today)!;

        var comparison = PrintedZoneCrossCheck.Compare(reading, new PrintedZoneReading(identity.Surname, identity.GivenNames, null, null, null));

        Assert.Equal(FieldAgreement.Agree, comparison.Surname);
        Assert.Equal(FieldAgreement.Agree, comparison.GivenNames);
    }

    [Theory]
    [InlineData("ERIKSON", FieldAgreement.Near)]
    [InlineData("ERIKSSQN", FieldAgreement.Near)]
    [InlineData("SMITH", FieldAgreement.Mismatch)]
    public void Names_compare_fuzzily(string printedSurname, FieldAgreement expected) =>
        Assert.Equal(expected, PrintedZoneCrossCheck.Compare(MrzSpecimens.Parse("TD3"), MrzSpecimens.Printed("TD3") with { Surname = printedSurname }).Surname);

    [Fact]
    public void Dates_and_document_number_compare_exactly()
    {
        var printed = MrzSpecimens.Printed("TD3") with { DocumentNumber = "L898902C8", ExpiryDate = new(2012, 4, 16), BirthDate = null };

        var comparison = PrintedZoneCrossCheck.Compare(MrzSpecimens.Parse("TD3"), printed);

        Assert.Equal(FieldAgreement.Mismatch, comparison.DocumentNumber);
        Assert.Equal(FieldAgreement.Mismatch, comparison.ExpiryDate);
        Assert.Equal(FieldAgreement.Missing, comparison.BirthDate);
    }

    [Fact]
    public void ToString_says_which_fields_were_found_not_what_they_hold() =>
        Assert.DoesNotContain("ERIKSSON", MrzSpecimens.Printed("TD3").ToString(), StringComparison.Ordinal);

    [Theory]
    [InlineData("L898902C3", "L898902C3", FieldAgreement.Agree)]
    [InlineData("L8989O2C3", "L898902C3", FieldAgreement.Near)]
    [InlineData("SS394109", "55394109", FieldAgreement.Near)]
    [InlineData("KB666407", "K8666407", FieldAgreement.Near)]
    [InlineData("KB666407", "KBGGG407", FieldAgreement.Mismatch)]
    [InlineData("L898902C3", "1898902C3", FieldAgreement.Mismatch)]
    [InlineData("L898902C3", "L898902C4", FieldAgreement.Mismatch)]
    [InlineData("L898902C3", "L898902C", FieldAgreement.Mismatch)]
    public void A_printed_number_differing_only_by_look_alikes_the_check_digit_separates_is_near(string mrz, string printed, FieldAgreement expected) =>
        Assert.Equal(expected, PrintedZoneCrossCheck.DocumentNumbers(printed, mrz));
}
