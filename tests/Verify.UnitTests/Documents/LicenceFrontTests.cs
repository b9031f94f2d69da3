using Verify.Documents.Aamva;
using Verify.Documents.Ocr;
using Verify.Documents.PrintedZone;

namespace Verify.UnitTests.Documents;

/// <summary>A licence front's printed fields, read from OCR lines, and their cross-check with the barcode.</summary>
public sealed class LicenceFrontTests
{
    private const float Sure = 90;

    /// <summary>OCR lines one under another, each 30 pixels high, at the given confidence.</summary>
    private static List<OcrLine> Lines(float confidence, params string[] texts) =>
        [.. texts.Select((text, i) => new OcrLine(text, confidence, 100, 40 * i, 100 + (20 * text.Length), (40 * i) + 30))];

    private static List<OcrLine> Lines(params string[] texts) => Lines(Sure, texts);

    [Fact]
    public void AAMVA_numbered_labels_left_of_their_values_are_read_with_US_dates_month_first()
    {
        var reading = LicenceFrontParser.Parse(Lines(
            "DELAWARE", "DRIVER LICENSE", "4d DLN 3680773", "1 FITZGERALD-HOLLOWAY", "2 DAVID JAMES", "8 9716 PINE RD",
            "BRISTOL, DE 620856541", "3 DOB 03/07/2006 15 SEX M", "4a ISS 05/08/2022", "4b EXP 03/07/2027", "9 CLASS D 12 RESTR NONE"));

        Assert.Equal(new PrintedZoneReading("FITZGERALD-HOLLOWAY", "DAVID JAMES", new(2006, 3, 7), "3680773", new(2027, 3, 7)), reading);
    }

    [Fact]
    public void Canadian_dates_are_read_year_first()
    {
        var reading = LicenceFrontParser.Parse(Lines("4d DLN AGDFASP301TI", "1 ST. PIERRE", "2 KAI JO", "3 DOB 1940-09-16", "4a ISS 2018-06-16", "4b EXP 2026-09-16"));

        Assert.Equal(new DateOnly(1940, 9, 16), reading.BirthDate);
        Assert.Equal(new DateOnly(2026, 9, 16), reading.ExpiryDate);
        Assert.Equal("AGDFASP301TI", reading.DocumentNumber);
    }

    [Fact]
    public void Label_words_alone_in_capitals_are_read_with_the_value_beside_or_below()
    {
        // Some states print the word without the number, and the value under its label.
        var lines = new List<OcrLine>
        {
            new("DL NO", Sure, 100, 0, 180, 20), new("D123-456-789", Sure, 100, 30, 320, 60),
            new("LN", Sure, 100, 80, 130, 100), new("DOE", Sure, 150, 78, 220, 102),
            new("FN", Sure, 100, 120, 130, 140), new("JANE ANN", Sure, 150, 118, 320, 142),
            new("DOB", Sure, 100, 160, 160, 180), new("EXPIRES", Sure, 300, 160, 420, 180),
            new("01/31/1980", Sure, 100, 190, 280, 220), new("01/31/2029", Sure, 300, 190, 480, 220),
        };

        var reading = LicenceFrontParser.Parse(lines);

        Assert.Equal(new PrintedZoneReading("DOE", "JANE ANN", new(1980, 1, 31), "D123456789", new(2029, 1, 31)), reading);
    }

    [Fact]
    public void Number_and_word_together_label_a_field_and_OCR_noise_in_them_is_tolerated()
    {
        // "D0B" and "EXP:" as OCR gives them; the red "DLN" read as "om" after a sure "4d"; "2" read as z and fused.
        var reading = LicenceFrontParser.Parse(Lines("4d om 567424966", "1 CHEN", "zKAIJO", "3 D0B 05/09/1950", "4b EXP: 05/09/2028"));

        Assert.Equal(new PrintedZoneReading("CHEN", "KAIJO", new(1950, 5, 9), "567424966", new(2028, 5, 9)), reading);
    }

    [Fact]
    public void An_address_in_a_lane_is_no_family_name()
    {
        var reading = LicenceFrontParser.Parse(Lines("1 LI", "8 6428 CEDAR LN", "SALEM, DE 948228221"));

        Assert.Equal("LI", reading.Surname);
    }

    [Fact]
    public void The_issue_date_misread_as_4d_is_not_taken_for_the_number()
    {
        var reading = LicenceFrontParser.Parse(Lines("«1 mm P013727251536", "4d m5 04/10/2019"));

        Assert.Null(reading.DocumentNumber);
    }

    [Fact]
    public void A_number_on_a_line_OCR_is_unsure_of_is_not_read()
    {
        var reading = LicenceFrontParser.Parse(Lines(70, "4d DLN P4111921217707", "1 O'BRIEN"));

        Assert.Null(reading.DocumentNumber);
        Assert.Equal("O'BRIEN", reading.Surname);
    }

    [Fact]
    public void Without_labels_three_dates_give_the_birth_date_and_expiry_by_their_order()
    {
        // A blurred front: the labels are lost, and with them the separators of some dates.
        var reading = LicenceFrontParser.Parse(Lines("3680773", "FITZGERALD-HOLLOWAY", "DAVID JAMES", "06 14 1955", "1205/2023", "06 14 2031"));

        Assert.Equal(new DateOnly(1955, 6, 14), reading.BirthDate);
        Assert.Equal(new DateOnly(2031, 6, 14), reading.ExpiryDate);
        Assert.Null(reading.Surname);
        Assert.Null(reading.DocumentNumber);
    }

    [Fact]
    public void Without_labels_a_missed_date_leaves_the_birth_date_unread_rather_than_another_date_in_its_place()
    {
        Assert.Null(LicenceFrontParser.Parse(Lines("05/08/2022", "03/07/2027")).BirthDate);
        // Three dates, but the earliest only a few years before the next: not a birth date.
        Assert.Null(LicenceFrontParser.Parse(Lines("05/08/2017", "05/08/2022", "03/07/2027")).BirthDate);
    }

    [Fact]
    public void Without_labels_a_date_on_a_line_OCR_is_unsure_of_is_not_read()
    {
        // A blurred 2023 read as 2033 at confidence 78 (measured): it would be a mismatch for a genuine holder.
        var lines = Lines("10 08 1978", "05 27 2018", "10 08 2033");
        lines[2] = lines[2] with { Confidence = 78 };

        var reading = LicenceFrontParser.Parse(lines);

        Assert.Equal(new DateOnly(1978, 10, 8), reading.BirthDate);
        Assert.Null(reading.ExpiryDate);
    }

    [Fact]
    public void Junk_under_a_misread_label_is_no_name()
    {
        Assert.Null(LicenceFrontParser.Parse(Lines("1. anRY")).Surname);
        Assert.Null(LicenceFrontParser.Parse(Lines("1 CH|D|")).Surname);
        Assert.Null(LicenceFrontParser.Parse(Lines("1 L")).Surname);
        Assert.NotNull(LicenceFrontParser.Parse(Lines("1 jOHANSSON")).Surname);
    }

    [Theory]
    [InlineData("03/07/2006", 2006, 3, 7)]
    [InlineData("03-07-2006", 2006, 3, 7)]
    [InlineData("03 07 2006", 2006, 3, 7)]
    [InlineData("2006-03-07", 2006, 3, 7)]
    [InlineData("2006/03/07", 2006, 3, 7)]
    [InlineData("O3/O7/2OO6", 2006, 3, 7)]
    [InlineData("07 MAR 2006", 2006, 3, 7)]
    public void Licence_dates_are_read_in_the_order_their_format_says(string text, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), LicenceFrontParser.ParseDate(text));

    [Theory]
    [InlineData("13/07/2006")]
    [InlineData("2006-13-07")]
    [InlineData("NONE")]
    public void Text_that_is_no_licence_date_gives_none(string text) => Assert.Null(LicenceFrontParser.ParseDate(text));

    private static AamvaDocument Barcode(string family = "FITZGERALD-HOLLOWAY", string given = "DAVID", string middle = "JAMES",
        string number = "D123-4567", DateOnly? birth = null, DateOnly? expiry = null)
    {
        static AamvaField Text(string value) => new("DXX", value, value.Length > 0);
        static AamvaField Date(DateOnly date) => new("DXX", "", true) { Date = date };
        return new AamvaDocument
        {
            DocumentType = "DL",
            FamilyName = Text(family),
            GivenNames = Text(given),
            MiddleNames = Text(middle),
            BirthDate = Date(birth ?? new DateOnly(2006, 3, 7)),
            ExpiryDate = Date(expiry ?? new DateOnly(2027, 3, 7)),
            IssueDate = Date(new DateOnly(2022, 5, 8)),
            DocumentNumber = Text(number),
            Sex = Text("1"),
            SexCode = AamvaSex.Male,
            Country = Text("USA"),
            Jurisdiction = Text("DE"),
        };
    }

    private static PrintedZoneReading Printed(string? surname = "FITZGERALD-HOLLOWAY", string? given = "DAVID JAMES", string? number = "D1234567",
        DateOnly? birth = null, DateOnly? expiry = null) =>
        new(surname, given, birth ?? new DateOnly(2006, 3, 7), number, expiry ?? new DateOnly(2027, 3, 7));

    [Fact]
    public void A_front_that_prints_what_the_barcode_encodes_agrees_field_by_field()
    {
        var comparison = BarcodeCrossCheck.Compare(Barcode(), Printed());

        Assert.All(comparison.Fields, field => Assert.Equal(FieldAgreement.Agree, field.Agreement));
    }

    [Fact]
    public void Names_agree_after_folding_case_accents_and_punctuation_as_the_barcode_writes_them()
    {
        var comparison = BarcodeCrossCheck.Compare(Barcode(family: "OBRIEN", given: "RENEE", middle: ""), Printed(surname: "O'Brien", given: "Renée"));

        Assert.Equal(FieldAgreement.Agree, comparison.Surname);
        Assert.Equal(FieldAgreement.Agree, comparison.GivenNames);
    }

    [Fact]
    public void OCR_noise_in_a_name_is_near_and_a_middle_name_printed_as_its_initial_or_left_out_is_near()
    {
        Assert.Equal(FieldAgreement.Near, BarcodeCrossCheck.Compare(Barcode(), Printed(surname: "F ITZGERALD-HOLLOWAY")).Surname);
        Assert.Equal(FieldAgreement.Near, BarcodeCrossCheck.Compare(Barcode(middle: "ALEXANDER"), Printed(given: "DAVID A")).GivenNames);
        Assert.Equal(FieldAgreement.Near, BarcodeCrossCheck.Compare(Barcode(middle: "ALEXANDER"), Printed(given: "DAVID")).GivenNames);
        // The first name itself as an initial vouches for nothing.
        Assert.Equal(FieldAgreement.Mismatch, BarcodeCrossCheck.Compare(Barcode(given: "MAXIMILIAN", middle: "ALEXANDER"), Printed(given: "M ALEXANDER")).GivenNames);
    }

    [Fact]
    public void Another_name_or_birth_date_or_expiry_on_the_front_is_a_mismatch()
    {
        var comparison = BarcodeCrossCheck.Compare(Barcode(),
            Printed(surname: "HARRINGTON", given: "JOHN", birth: new DateOnly(2003, 1, 22), expiry: new DateOnly(2029, 3, 7)));

        Assert.Equal(FieldAgreement.Mismatch, comparison.Surname);
        Assert.Equal(FieldAgreement.Mismatch, comparison.GivenNames);
        Assert.Equal(FieldAgreement.Mismatch, comparison.BirthDate);
        Assert.Equal(FieldAgreement.Mismatch, comparison.ExpiryDate);
    }

    [Theory]
    [InlineData("D1234567", FieldAgreement.Agree)]
    [InlineData("D123 4567", FieldAgreement.Agree)]
    [InlineData("01234567", FieldAgreement.Near)]
    [InlineData("D1Z34S67", FieldAgreement.Near)]
    [InlineData("D1234568", FieldAgreement.Mismatch)]
    [InlineData("D12345678", FieldAgreement.Mismatch)]
    public void The_number_agrees_exactly_but_for_the_look_alikes_the_MRZ_check_allows(string printed, FieldAgreement expected) =>
        Assert.Equal(expected, BarcodeCrossCheck.Compare(Barcode(), Printed(number: printed)).DocumentNumber);

    [Fact]
    public void A_field_absent_on_either_side_is_missing_not_a_mismatch()
    {
        var unread = BarcodeCrossCheck.Compare(Barcode(), new PrintedZoneReading(null, null, null, null, null));
        var absent = BarcodeCrossCheck.Compare(Barcode(family: "", given: "", middle: "", number: "") with
        {
            BirthDate = AamvaField.Absent,
            ExpiryDate = AamvaField.Absent,
        }, Printed());

        Assert.All(unread.Fields, field => Assert.Equal(FieldAgreement.Missing, field.Agreement));
        Assert.All(absent.Fields, field => Assert.Equal(FieldAgreement.Missing, field.Agreement));
    }
}
