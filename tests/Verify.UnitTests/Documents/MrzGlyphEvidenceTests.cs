using Verify.Documents.Mrz;

namespace Verify.UnitTests.Documents;

/// <summary>What check digits cannot see (6 against G, a filler against 0, confusions that cancel out) decided by the glyph.</summary>
public sealed class MrzGlyphEvidenceTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    /// <summary>A TD3 passport whose document number is <paramref name="number"/>, with every check digit right.</summary>
    private static string[] Passport(string number, string surname = "ERIKSSON") => MrzComposer.Compose(new MrzIdentity(
        MrzFormat.Td3, "P", "GBR", surname, "ANNA MARIA", number, "GBR", new DateOnly(1974, 8, 12), MrzSex.Female,
        new DateOnly(2031, 4, 15), ""));

    private static MrzReading Parse(string[] lines, IMrzGlyphEvidence? line2 = null) =>
        MrzParser.Parse(lines, Today, null, [null, line2]) ?? throw new InvalidOperationException("did not parse");

    [Fact]
    public void A_document_number_with_a_6_and_no_glyph_evidence_goes_to_review()
    {
        var reading = Parse(Passport("968724622"));

        Assert.True(reading.IsValid);
        Assert.True(reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber));
    }

    [Fact]
    public void A_6_whose_glyph_is_clearly_a_6_is_settled()
    {
        var lines = Passport("968724622");
        var glyphs = new Glyphs(lines[1]).Shows('6', over: 'G', by: 0.2f);

        var reading = Parse(lines, glyphs);

        Assert.True(reading.IsValid);
        Assert.Equal("968724622", reading.DocumentNumber.Value);
        Assert.Empty(reading.Flags);
    }

    [Fact]
    public void A_6_whose_glyph_is_clearly_a_G_becomes_a_G()
    {
        var lines = Passport("AG8724622");
        var read = new[] { lines[0], lines[1].Remove(1, 1).Insert(1, "6") };
        var glyphs = new Glyphs(read[1]).Shows('6', over: 'G', by: 0.2f).At(1, 'G', over: '6', by: 0.2f);

        var reading = Parse(read, glyphs);

        Assert.True(reading.IsValid);
        Assert.Equal("AG8724622", reading.DocumentNumber.Value);
        Assert.True(reading.Has(MrzIssue.CorrectedByGlyph, MrzFieldName.DocumentNumber));
        Assert.False(reading.Has(MrzIssue.Ambiguous));
    }

    [Fact]
    public void A_6_whose_glyph_could_be_either_goes_to_review()
    {
        var lines = Passport("968724622");
        var glyphs = new Glyphs(lines[1]).Shows('6', over: 'G', by: GlyphJudge.Margin / 2);

        var reading = Parse(lines, glyphs);

        Assert.Equal("968724622", reading.DocumentNumber.Value);
        Assert.True(reading.Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber));
    }

    [Fact]
    public void A_short_number_whose_filler_is_plainly_a_filler_is_settled()
    {
        var lines = Passport("WA913397");
        Assert.True(Parse(lines).Has(MrzIssue.ZeroOrFiller, MrzFieldName.DocumentNumber));

        var reading = Parse(lines, new Glyphs(lines[1]).At(8, '<', over: '0', by: 0.4f));

        Assert.Equal("WA913397", reading.DocumentNumber.Value);
        Assert.False(reading.Has(MrzIssue.ZeroOrFiller));
    }

    [Fact]
    public void A_short_number_ending_in_0_needs_both_the_0_and_the_filler_to_be_clear()
    {
        var lines = Passport("WA913390");
        var fillerOnly = new Glyphs(lines[1]).At(8, '<', over: '0', by: 0.4f);
        Assert.True(Parse(lines, fillerOnly).Has(MrzIssue.ZeroOrFiller, MrzFieldName.DocumentNumber));

        var both = new Glyphs(lines[1]).At(8, '<', over: '0', by: 0.4f).At(7, '0', over: '<', by: 0.4f);
        Assert.False(Parse(lines, both).Has(MrzIssue.ZeroOrFiller));
    }

    [Fact]
    public void Two_O_read_as_0_that_cancel_in_the_check_digits_are_restored_by_their_glyphs()
    {
        // O counts 24 and 0 counts 0; at weights 7 and 3 the two errors change every check sum by 240, a multiple of 10.
        var truth = Passport("OO1234567");
        var read = new[] { truth[0], "00" + truth[1][2..] };
        Assert.True(Parse(read).IsValid);
        Assert.Equal("001234567", Parse(read).DocumentNumber.Value);

        var glyphs = new Glyphs(read[1]).At(0, 'O', over: '0', by: 0.2f).At(1, 'O', over: '0', by: 0.2f);
        var reading = Parse(read, glyphs);

        Assert.True(reading.IsValid);
        Assert.Equal("OO1234567", reading.DocumentNumber.Value);
        Assert.True(reading.Has(MrzIssue.CorrectedByGlyph, MrzFieldName.DocumentNumber));
    }

    [Fact]
    public void Cancelling_confusions_stay_as_read_when_one_glyph_is_unclear()
    {
        var truth = Passport("OO1234567");
        var read = new[] { truth[0], "00" + truth[1][2..] };
        var glyphs = new Glyphs(read[1]).At(0, 'O', over: '0', by: 0.2f).At(1, 'O', over: '0', by: GlyphJudge.Margin / 2);

        Assert.Equal("001234567", Parse(read, glyphs).DocumentNumber.Value);
    }

    [Fact]
    public void Two_sets_of_swaps_that_both_pass_are_decided_by_the_glyphs()
    {
        // Two O read as 0 (weight 7 each). Restoring them passes every check digit, and so does Z for the 2 with S for
        // the 5: the check digits cannot choose, the glyphs can.
        var truth = Passport("O12O45670");
        var read = new[] { truth[0], "012045670" + truth[1][9..] };
        Assert.True(Parse(read).Has(MrzIssue.Ambiguous, MrzFieldName.DocumentNumber));

        var glyphs = new Glyphs(read[1]).Shows('1', over: 'I', by: 0.2f).Shows('2', over: 'Z', by: 0.2f).Shows('5', over: 'S', by: 0.2f).Shows('6', over: 'G', by: 0.2f)
            .At(0, 'O', over: '0', by: 0.2f).At(3, 'O', over: '0', by: 0.2f).At(8, '0', over: 'O', by: 0.2f);
        var reading = Parse(read, glyphs);

        Assert.True(reading.IsValid);
        Assert.Equal("O12O45670", reading.DocumentNumber.Value);
        Assert.True(reading.Has(MrzIssue.CorrectedByGlyph, MrzFieldName.DocumentNumber));
        Assert.False(reading.Has(MrzIssue.Ambiguous));
    }

    [Fact]
    public void A_W_read_as_M_in_the_name_is_restored_by_its_glyph()
    {
        var truth = Passport("968724622", "WALKER");
        var read = new[] { truth[0].Remove(5, 1).Insert(5, "M"), truth[1] };
        var name = new Glyphs(read[0]).At(5, 'W', over: 'M', by: 0.15f);

        var reading = MrzParser.Parse(read, Today, null, [name, new Glyphs(read[1]).Shows('6', over: 'G', by: 0.2f)])!;

        Assert.Equal("WALKER", reading.Surname);
        Assert.True(reading.Has(MrzIssue.CorrectedByGlyph, MrzFieldName.Name));
    }

    [Fact]
    public void A_name_letter_is_kept_when_its_glyph_is_not_clearly_another()
    {
        var lines = Passport("968724622", "WALKER");
        var read = new[] { lines[0].Remove(5, 1).Insert(5, "M"), lines[1] };
        var name = new Glyphs(read[0]).At(5, 'W', over: 'M', by: GlyphJudge.Margin / 2);

        var reading = MrzParser.Parse(read, Today, null, [name, null])!;

        Assert.Equal("MALKER", reading.Surname);
        Assert.False(reading.Has(MrzIssue.CorrectedByGlyph));
    }

    /// <summary>Glyph evidence for one line: every look-alike matches its own reading at 0.5 unless told otherwise.</summary>
    private sealed class Glyphs(string line) : IMrzGlyphEvidence
    {
        private readonly Dictionary<(int, char), float> _scores = [];

        public Glyphs Shows(char character, char over, float by)
        {
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == character)
                {
                    At(i, character, over, by);
                }
            }

            return this;
        }

        public Glyphs At(int position, char shown, char over, float by)
        {
            _scores[(position, shown)] = 0.9f;
            _scores[(position, over)] = 0.9f - by;
            return this;
        }

        public float? Similarity(int position, char candidate) =>
            _scores.TryGetValue((position, candidate), out float score) ? score : null;
    }
}

/// <summary>ICAO Doc 9303 part 5: a TD1 document number longer than nine characters.</summary>
public sealed class MrzLongDocumentNumberTests
{
    // Doc 9303 part 5's example: number D23145890734, check digit 9, run on into the optional data.
    private static readonly string[] Example = ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"];

    [Fact]
    public void A_long_number_continues_in_the_optional_data()
    {
        var reading = MrzParser.Parse(Example, new DateOnly(1994, 1, 1))!;

        Assert.True(reading.IsValid);
        Assert.Equal("D23145890734", reading.DocumentNumber.Value);
        Assert.True(reading.DocumentNumber.IsValid);
        Assert.Equal("", reading.OptionalData1.Value);
        Assert.All(reading.CheckDigits, check => Assert.True(check.Passed));
    }

    [Fact]
    public void Optional_data_after_a_long_number_is_kept_apart()
    {
        var lines = Example.ToArray();
        lines[0] = "I<UTOD23145890<7349<AB12<<<<<<";
        lines[1] = Composite(lines[0], lines[1]);

        var reading = MrzParser.Parse(lines, new DateOnly(1994, 1, 1))!;

        Assert.True(reading.IsValid);
        Assert.Equal("D23145890734", reading.DocumentNumber.Value);
        Assert.Equal("AB12", reading.OptionalData1.Value);
    }

    [Fact]
    public void A_long_number_with_a_wrong_check_digit_fails_it()
    {
        var lines = Example.ToArray();
        lines[0] = "I<UTOD23145890<7348<<<<<<<<<<<";
        lines[1] = Composite(lines[0], lines[1]);

        var reading = MrzParser.Parse(lines, new DateOnly(1994, 1, 1))!;

        Assert.False(reading.DocumentNumber.IsValid);
        Assert.Contains(reading.CheckDigits, check => check.Check == MrzCheck.DocumentNumber && !check.Passed);
    }

    [Fact]
    public void A_nine_character_number_is_read_as_before()
    {
        var reading = MrzSpecimens.Parse("TD1");

        Assert.Equal("D23145890", reading.DocumentNumber.Value);
        Assert.True(reading.IsValid);
    }

    private static string Composite(string line1, string line2)
    {
        string covered = line1[5..30] + line2[..7] + line2[8..15] + line2[18..29];
        return line2[..29] + MrzCheckDigit.ComputeChar(covered);
    }
}
