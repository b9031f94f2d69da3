using Verify.Documents.Mrz;

namespace Verify.UnitTests.Documents;

public sealed class MrzCorrectionTests
{
    private static readonly string[] Td3 = MrzSpecimens.Lines["TD3"];

    // Line 2 positions of the TD3 specimen that hold only digits: check digits and the two dates.
    private static readonly int[] NumericPositions = [9, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 42, 43];

    [Theory]
    [InlineData('0', 'O')]
    [InlineData('0', 'Q')]
    [InlineData('0', 'D')]
    [InlineData('1', 'I')]
    [InlineData('2', 'Z')]
    [InlineData('5', 'S')]
    [InlineData('8', 'B')]
    [InlineData('6', 'G')]
    public void A_confusable_letter_in_a_numeric_field_is_read_as_its_digit(char digit, char letter)
    {
        var position = NumericPositions.First(p => Td3[1][p] == digit);
        var reading = Parse(Td3[0], Replace(Td3[1], position, letter));

        Assert.True(reading.IsValid);
        Assert.Equal(Td3, reading.Lines);
        Assert.Contains(new MrzCorrection(2, position, letter, digit), reading.Corrections);
    }

    [Theory]
    [InlineData(0, 4, '0')]
    [InlineData(0, 7, '1')]
    [InlineData(0, 9, '5')]
    [InlineData(1, 12, '0')]
    public void A_confusable_digit_in_an_alphabetic_field_is_read_as_its_letter(int line, int position, char digit)
    {
        var lines = Td3.ToArray();
        lines[line] = Replace(lines[line], position, digit);
        var reading = Parse(lines);

        Assert.True(reading.IsValid);
        Assert.Equal(Td3, reading.Lines);
        Assert.Contains(new MrzCorrection(line + 1, position, digit, Td3[line][position]), reading.Corrections);
    }

    [Fact]
    public void A_digit_read_as_a_letter_that_the_field_does_not_allow_is_flagged()
    {
        var reading = Parse(Replace(Td3[0], 0, '8'), Td3[1]);

        Assert.False(reading.IsValid);
        Assert.True(reading.Has(MrzIssue.UnexpectedDocumentCode, MrzFieldName.DocumentCode));
    }

    [Fact]
    public void A_digit_that_resembles_no_letter_in_a_name_is_flagged()
    {
        var reading = Parse(Replace(Td3[0], 6, '7'), Td3[1]);

        Assert.False(reading.Name.IsValid);
        Assert.True(reading.Has(MrzIssue.UnexpectedCharacter, MrzFieldName.Name));
    }

    [Fact]
    public void A_document_number_confusion_that_one_reading_fixes_is_corrected_and_flagged()
    {
        // L898902C3 read as L8989O2C3: only the swap back to 0 makes the check digit and the composite pass.
        var reading = Parse(Td3[0], Replace(Td3[1], 5, 'O'));

        Assert.True(reading.IsValid);
        Assert.Equal(Td3, reading.Lines);
        Assert.True(reading.Has(MrzIssue.CorrectedByCheckDigit, MrzFieldName.DocumentNumber));
    }

    [Fact]
    public void A_document_number_confusion_that_two_readings_fix_is_left_as_read_and_flagged_ambiguous()
    {
        // A 1 misread as I in a number rich in confusable characters, chosen so that two different swaps each
        // restore both check digits: the parser must not choose between them.
        var number = FindAmbiguousNumber();
        var lines = Td1With(number.Read, withCheckDigitOf: number.Truth);
        var reading = Parse(lines);

        Assert.False(reading.IsValid);
        Assert.Equal(number.Read, reading.DocumentNumber.Raw);
        Assert.True(reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber));
    }

    [Fact]
    public void Of_two_readings_that_pass_the_check_digits_the_one_whose_character_the_engine_doubted_is_taken()
    {
        var number = FindAmbiguousNumber();
        var lines = Td1With(number.Read, withCheckDigitOf: number.Truth);
        // The engine was sure of every character but the misread I at the start of the number (line 1, position 5).
        var confidence = lines.Select(line => Enumerable.Repeat(99f, line.Length).ToArray()).ToArray();
        confidence[0][5] = 60;

        var reading = MrzParser.Parse(lines, MrzSpecimens.Today, confidence)!;

        Assert.True(reading.IsValid);
        Assert.Equal(number.Truth, reading.DocumentNumber.Value);
        Assert.True(reading.Has(MrzIssue.ChosenByConfidence, MrzFieldName.DocumentNumber));
        Assert.False(reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber));
    }

    [Fact]
    public void Confidences_that_do_not_clearly_single_out_one_reading_leave_the_field_ambiguous()
    {
        var number = FindAmbiguousNumber();
        var lines = Td1With(number.Read, withCheckDigitOf: number.Truth);
        var confidence = lines.Select(line => Enumerable.Repeat(97f, line.Length).ToArray()).ToArray();
        confidence[0][5] = 95;

        var reading = MrzParser.Parse(lines, MrzSpecimens.Today, confidence)!;

        Assert.False(reading.IsValid);
        Assert.Equal(number.Read, reading.DocumentNumber.Raw);
        Assert.True(reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber));
    }

    [Fact]
    public void An_unknown_country_code_that_one_look_alike_letter_makes_known_is_corrected_and_flagged()
    {
        var lines = Td3Of("SWE");
        // W read as M on both lines: SME is no code, SWE is the only code one look-alike swap reaches.
        var reading = Parse(Replace(lines[0], 3, 'M'), Replace(lines[1], 11, 'M'));

        Assert.True(reading.IsValid);
        Assert.Equal("SWE", reading.IssuingState.Value);
        Assert.Equal("SWE", reading.Nationality.Value);
        Assert.True(reading.Has(MrzIssue.CorrectedByCodeList, MrzFieldName.IssuingState));
        Assert.True(reading.Has(MrzIssue.CorrectedByCodeList, MrzFieldName.Nationality));
    }

    [Fact]
    public void An_unknown_country_code_that_no_single_look_alike_makes_known_is_left_as_read()
    {
        var lines = Td3Of("SWE");
        var reading = Parse(lines[0][..2] + "QQQ" + lines[0][5..], lines[1]);

        Assert.Equal("QQQ", reading.IssuingState.Value);
        Assert.False(reading.Has(MrzIssue.CorrectedByCodeList));
    }

    [Theory]
    [InlineData("SWE")]
    [InlineData("XXX")]
    [InlineData("UTO")]
    [InlineData("D")]
    public void A_known_country_code_is_never_changed(string code)
    {
        var reading = Parse(Td3Of(code));

        Assert.Equal(code, reading.IssuingState.Value);
        Assert.False(reading.Has(MrzIssue.CorrectedByCodeList));
    }

    [Theory]
    [InlineData('0', 'O')]
    [InlineData('1', 'I')]
    [InlineData('2', 'Z')]
    [InlineData('5', 'S')]
    [InlineData('8', 'B')]
    [InlineData('O', '0')]
    [InlineData('I', '1')]
    [InlineData('Z', '2')]
    [InlineData('S', '5')]
    [InlineData('B', '8')]
    public void Every_document_number_confusion_is_corrected_or_flagged_never_silently_wrong(char truth, char misread)
    {
        foreach (var position in Enumerable.Range(0, 9))
        {
            var number = ("X1234567Y"[..position] + truth + "X1234567Y"[(position + 1)..]).Replace('X', 'K');
            var reading = Parse(Td1With(number[..position] + misread + number[(position + 1)..], withCheckDigitOf: number));

            Assert.True(
                (reading.DocumentNumber.Raw == number && reading.Has(MrzIssue.CorrectedByCheckDigit, MrzFieldName.DocumentNumber))
                || reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber),
                $"position {position}");
        }
    }

    [Fact]
    public void Six_and_G_in_a_document_number_are_flagged_because_no_check_digit_separates_them()
    {
        var reading = Parse(Td1With("L868902C3"));

        Assert.True(reading.IsValid);
        Assert.Equal("L868902C3", reading.DocumentNumber.Value);
        Assert.True(reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber));
    }

    [Theory]
    [InlineData("ZE184226B0<<<<", MrzFieldName.OptionalData1, MrzIssue.ZeroOrFiller)]
    [InlineData("ZE184226B<<0<<", MrzFieldName.OptionalData1, MrzIssue.DataAfterFiller)]
    public void A_zero_beside_fillers_is_flagged_because_both_count_zero(string optional, MrzFieldName field, MrzIssue issue)
    {
        var reading = Parse(Td3[0], Td3[1][..28] + optional + Td3[1][42..]);

        Assert.True(reading.Has(issue, field));
    }

    [Fact]
    public void A_short_document_number_is_flagged_because_a_zero_would_pass_where_its_fillers_stand()
    {
        var reading = Parse(Td1With("D2314589<"));

        Assert.True(reading.IsValid);
        Assert.True(reading.Has(MrzIssue.ZeroOrFiller, MrzFieldName.DocumentNumber));
    }

    private static (string Read, string Truth) FindAmbiguousNumber()
    {
        // Search deterministically: one misread 1 -> I in a field holding several confusable characters.
        var tails = Enumerable.Range(0, 1000)
            .Select(i => i.ToString("000", System.Globalization.CultureInfo.InvariantCulture))
            .Where(tail => !tail.Contains('6', StringComparison.Ordinal));
        foreach (var tail in tails)
        {
            var truth = "1B2S0" + tail + "1";
            var read = "IB2S0" + tail + "1";
            var reading = Parse(Td1With(read, withCheckDigitOf: truth));
            if (reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber))
            {
                return (read, truth);
            }
        }

        throw new InvalidOperationException("No ambiguous number in the search space.");
    }

    // A TD1 specimen with another document number; the check digits are those of withCheckDigitOf (the truth).
    private static string[] Td1With(string number, string? withCheckDigitOf = null)
    {
        var truth = withCheckDigitOf ?? number;
        var lines = MrzComposer.Compose(new MrzIdentity(
            MrzFormat.Td1, "I", "UTO", "Eriksson", "Anna Maria", truth.Replace("<", "", StringComparison.Ordinal), "UTO",
            new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2012, 4, 15)));
        lines[0] = lines[0][..5] + number + lines[0][14..];
        return lines;
    }

    private static string[] Td3Of(string country) => MrzComposer.Compose(new MrzIdentity(
        MrzFormat.Td3, "P", country, "Eriksson", "Anna Maria", "L898902C3", country,
        new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2012, 4, 15)));

    private static string Replace(string line, int position, char c) => line[..position] + c + line[(position + 1)..];

    private static MrzReading Parse(params string[] lines) => MrzParser.Parse(lines, MrzSpecimens.Today)!;
}
