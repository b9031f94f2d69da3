using System.Text;
using Verify.Documents.Aamva;
using static Verify.UnitTests.Documents.AamvaBarcodeText;

namespace Verify.UnitTests.Documents;

public sealed class AamvaParserTests
{
    private static AamvaReading Read(string text)
    {
        var result = AamvaParser.Parse(text);
        Assert.True(result.Reading is not null, $"expected a reading, got {result}");
        return result.Reading;
    }

    private static void AssertFails(string text, AamvaError error)
    {
        var result = AamvaParser.Parse(text);
        Assert.Null(result.Reading);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Version_10_licence_parses_header_directory_and_elements()
    {
        var text = new AamvaBarcodeText { JurisdictionVersion = 3 }.With("DL", Version10Licence).Build();

        var reading = Read(text);

        Assert.Equal("ANSI ", reading.FileType);
        Assert.Equal("636000", reading.Iin);
        Assert.Equal(10, reading.Version);
        Assert.Equal(3, reading.JurisdictionVersion);
        var subfile = Assert.Single(reading.Subfiles);
        Assert.Equal("DL", subfile.Type);
        Assert.Equal(31, subfile.Offset);
        Assert.Equal(text.Length - 31, subfile.Length);
        Assert.Equal(Version10Licence.Count, subfile.Elements.Count);
        Assert.Equal(new AamvaElement("DAQ", "T12345678"), subfile.Elements[16]);
        Assert.Equal("232690000  ", subfile.Find("DAK"));
        Assert.Empty(reading.Findings);
    }

    [Fact]
    public void Bytes_parse_like_the_text_with_one_byte_per_character()
    {
        var text = new AamvaBarcodeText().With("DL", Replace(Version10Licence, "DAI", "MONTRÉAL")).Build();

        var fromBytes = AamvaParser.Parse(Encoding.Latin1.GetBytes(text)).Reading!;

        Assert.Equal("MONTRÉAL", fromBytes.Subfiles[0].Find("DAI"));
        Assert.Equal(Read(text).Subfiles[0].Length, fromBytes.Subfiles[0].Length);
    }

    [Fact]
    public void Version_1_header_has_no_jurisdiction_version()
    {
        var text = new AamvaBarcodeText { FileType = "AAMVA", Version = 1, JurisdictionVersion = 7 }
            .With("DL", ["DAQ123", "DAASAMPLE,JANE"]).Build();

        var reading = Read(text);

        Assert.Equal("AAMVA", reading.FileType);
        Assert.Null(reading.JurisdictionVersion);
        Assert.Equal(29, reading.Subfiles[0].Offset);
        Assert.Equal("123", reading.Subfiles[0].Find("DAQ"));
    }

    [Fact]
    public void Jurisdiction_subfile_is_kept_raw_beside_the_licence()
    {
        var text = new AamvaBarcodeText().With("DL", Version10Licence).With("ZV", ["ZVAsome jurisdiction data", "ZVB01"]).Build();

        var reading = Read(text);

        Assert.Equal(["DL", "ZV"], reading.Subfiles.Select(s => s.Type));
        var z = reading.Subfiles[1];
        Assert.True(z.IsJurisdictionSpecific);
        Assert.Empty(z.Elements);
        Assert.Equal("ZVAsome jurisdiction data\nZVB01", z.Raw);
        Assert.Equal(text.Length, z.Offset + z.Length);
    }

    [Fact]
    public void Unknown_element_ids_are_kept_without_a_finding()
    {
        var reading = Read(new AamvaBarcodeText().With("DL", [.. Version10Licence, "DZZunknown"]).Build());

        Assert.Equal("unknown", reading.Subfiles[0].Find("DZZ"));
        Assert.Empty(reading.Findings);
    }

    [Theory]
    [InlineData("D1Q123")]
    [InlineData("daq123")]
    [InlineData("DA")]
    public void Element_id_that_is_not_three_capitals_is_an_error(string element) =>
        AssertFails(new AamvaBarcodeText().With("DL", [.. Version10Licence, element]).Build(), AamvaError.InvalidElementId);

    [Theory]
    [InlineData("")]
    [InlineData("ANSI 636000100001DL00310010DLDAQ1\r")]
    [InlineData("@\n\rANSI 636000100001")]
    public void Text_without_the_compliance_header_is_an_error(string text) => AssertFails(text, AamvaError.MissingHeader);

    [Fact]
    public void Unknown_file_type_is_an_error() =>
        AssertFails(new AamvaBarcodeText { FileType = "ANSI1" }.With("DL", Version10Licence).Build(), AamvaError.WrongFileType);

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Version_outside_1_to_10_is_an_error(int version) =>
        AssertFails(new AamvaBarcodeText { Version = version }.With("DL", Version10Licence).Build(), AamvaError.UnsupportedVersion);

    [Fact]
    public void Non_digit_iin_is_a_malformed_header() =>
        AssertFails(new AamvaBarcodeText { Iin = "63600X" }.With("DL", Version10Licence).Build(), AamvaError.MalformedHeader);

    [Theory]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(25)]
    [InlineData(36)]
    public void Text_cut_in_the_header_or_directory_is_truncated(int length)
    {
        var text = new AamvaBarcodeText().With("DL", Version10Licence).With("ZV", ["ZVA1"]).Build();

        AssertFails(text[..length], AamvaError.Truncated);
    }

    [Fact]
    public void Text_cut_inside_a_subfile_is_truncated()
    {
        var text = new AamvaBarcodeText().With("DL", Version10Licence).Build();

        AssertFails(text[..(text.Length - 20)], AamvaError.Truncated);
    }

    [Fact]
    public void Subfile_length_one_short_misses_its_terminator()
    {
        var text = new AamvaBarcodeText().With(new Subfile("DL", Version10Licence) { LengthError = -1 }).Build();

        var result = AamvaParser.Parse(text);

        Assert.Equal(AamvaError.SubfileUnterminated, result.Error);
        Assert.Equal(text.Length - 2, result.Position);
    }

    [Fact]
    public void Subfile_length_past_the_end_of_a_complete_text_is_out_of_range() =>
        AssertFails(new AamvaBarcodeText().With(new Subfile("DL", Version10Licence) { LengthError = 4 }).Build(), AamvaError.SubfileOutOfRange);

    [Theory]
    [InlineData(-5)]
    [InlineData(5000)]
    public void Subfile_offset_in_the_directory_or_past_the_end_is_out_of_range(int offsetError) =>
        AssertFails(new AamvaBarcodeText().With(new Subfile("DL", Version10Licence) { OffsetError = offsetError }).Build(), AamvaError.SubfileOutOfRange);

    [Fact]
    public void Subfile_whose_data_starts_with_another_type_is_an_error() =>
        AssertFails(new AamvaBarcodeText().With(new Subfile("ID", Version10Licence) { DataType = "DL" }).Build(), AamvaError.SubfileTypeMismatch);

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void Entry_count_that_disagrees_with_the_directory_is_an_error(int entries)
    {
        var text = new AamvaBarcodeText { Entries = entries }.With("DL", Version10Licence).With("ZV", ["ZVA1"]).Build();

        var result = AamvaParser.Parse(text);

        Assert.Equal(AamvaError.EntryCountMismatch, result.Error);
    }

    [Fact]
    public void Malformed_designator_is_an_error()
    {
        var text = new AamvaBarcodeText().With("DL", Version10Licence).Build();

        AssertFails(text[..21] + "DL00X1" + text[27..], AamvaError.MalformedDesignator);
    }

    [Fact]
    public void Barcode_with_only_a_jurisdiction_subfile_has_no_document() =>
        AssertFails(new AamvaBarcodeText().With("ZV", ["ZVA1"]).Build(), AamvaError.NoDocumentSubfile);
}
