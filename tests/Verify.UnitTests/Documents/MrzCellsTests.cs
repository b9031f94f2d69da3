using Verify.Documents.Ocr;
using Verify.Documents.Reading;

namespace Verify.UnitTests.Documents;

public sealed class MrzCellsTests
{
    private const double Pitch = 24;
    private const double First = 28.8;

    [Fact]
    public void Evenly_placed_characters_fill_their_cells_in_order()
    {
        var line = MrzCells.Assemble(Symbols("ERIKSSON<<ANNA<MARIA<<<<<<<<<<"), 30, First, Pitch);

        Assert.Equal("ERIKSSON<<ANNA<MARIA<<<<<<<<<<", line.Text);
        Assert.Equal(30, line.Confidence.Length);
    }

    [Fact]
    public void A_glyph_reported_three_times_counts_once_and_keeps_its_most_confident_reading()
    {
        // "ZO<": the O reported as O, 0, O a third of a pitch apart, as the LSTM does on a blurred line.
        var symbols = Symbols("ZO<<<<<<<<");
        symbols[1] = Symbol('O', Centre(1) - 7, 70);
        symbols.Insert(2, Symbol('0', Centre(1), 96));
        symbols.Insert(3, Symbol('O', Centre(1) + 7, 80));

        var line = MrzCells.Assemble(symbols, 10, First, Pitch);

        Assert.Equal("Z0<<<<<<<<", line.Text);
        Assert.Equal(96, line.Confidence[1]);
    }

    [Fact]
    public void A_mark_beyond_the_first_cell_is_dropped()
    {
        // The card edge read as a B one pitch before the first character.
        var symbols = Symbols("MBEKWUNDE<").Prepend(Symbol('B', Centre(-1), 60)).ToList();

        var line = MrzCells.Assemble(symbols, 10, First, Pitch);

        Assert.Equal("MBEKWUNDE<", line.Text);
    }

    [Fact]
    public void A_skipped_glyph_leaves_its_cell_empty_instead_of_shifting_the_rest()
    {
        var symbols = Symbols("O849898086").Where((_, index) => index != 0).ToList();

        var line = MrzCells.Assemble(symbols, 10, First, Pitch);

        Assert.Equal("?849898086", line.Text);
        Assert.Equal(0, line.Confidence[0]);
    }

    [Fact]
    public void A_pitch_that_changes_along_the_line_under_perspective_keeps_every_character_in_its_cell()
    {
        // The pitch grows from 0.9 to 1.1 of the mean along 44 characters: mid-line, characters stand most of a
        // pitch away from where a uniform pitch puts them.
        const string text = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        double position = 0;
        var symbols = new List<OcrSymbol>();
        for (int i = 0; i < text.Length; i++)
        {
            symbols.Add(Symbol(text[i], First + (position * Pitch), 99));
            position += 0.9 + (0.2 * i / (text.Length - 1));
        }

        var line = MrzCells.Assemble(symbols, text.Length, First, position / (text.Length - 1) * Pitch);

        Assert.Equal(text, line.Text);
    }

    [Fact]
    public void Characters_off_by_most_of_a_pitch_at_one_end_still_fill_the_whole_line()
    {
        // Every character 0.75 pitch to the right of its cell at the start and on it at the end.
        const string text = "HALVORSTAD<<JEAN<BAPTISTE<<<<<";
        var symbols = text.Select((c, i) => Symbol(c, Centre(i) + (0.75 * Pitch * (1 - (i / 29.0))), 99)).ToList();

        var line = MrzCells.Assemble(symbols, 30, First, Pitch);

        Assert.Equal(text, line.Text);
    }

    [Fact]
    public void Nothing_read_gives_an_empty_line()
    {
        Assert.Equal(string.Empty, MrzCells.Assemble([], 30, First, Pitch).Text);
    }

    [Fact]
    public void The_reader_takes_the_fullest_window_of_a_line_that_was_merged_with_marks_beside_it()
    {
        // The locator merged the TD1 lines with marks along the same axis: the cells hold the MRZ line, then gaps
        // with stray characters. Only the window over the MRZ itself parses with every check digit passing.
        var specimen = MrzSpecimens.Lines["TD1"];
        var lines = specimen.Select((line, index) => Line(index == 1 ? "B???" + line + "??M??" : line + "?????8")).ToList();

        var (reading, _) = MrzReader.BestAlignment(lines, MrzSpecimens.Today);

        Assert.NotNull(reading);
        Assert.True(reading.IsValid);
        Assert.Equal(specimen, reading.Lines);
    }

    private static MrzLineText Line(string text) => new(text, [.. text.Select(c => c == MrzCells.Missing ? 0f : 99f)]);

    private static double Centre(int cell) => First + (cell * Pitch);

    private static List<OcrSymbol> Symbols(string text) => [.. text.Select((c, i) => Symbol(c, Centre(i), 99))];

    private static OcrSymbol Symbol(char c, double centre, float confidence) =>
        new(c, confidence, (int)Math.Round(centre - 8), 4, (int)Math.Round(centre + 8), 28);
}
