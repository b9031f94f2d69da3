using Verify.Documents.Mrz;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;

namespace Verify.IntegrationTests.Documents;

/// <summary>
/// The MRZ reader with real Tesseract and the OCR-B glyphs, on passport pages printed by the project's renderer and
/// photographed as a careful phone would: what check digits cannot tell apart is decided by the glyph.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class MrzGlyphReadingTests(PipelineFixture pipeline)
{
    [Theory]
    [InlineData("968724622", 1)]
    [InlineData("GK6G8G6G6", 2)]
    [InlineData("614520956", 3)]
    public void A_number_with_6_and_G_is_read_and_settled_by_the_glyphs(string number, int seed)
    {
        var reading = Read(number, seed);

        Assert.Equal(number, reading.DocumentNumber.Value);
        Assert.True(MrzReader.IsSettled(reading), $"not settled: {reading}");
        Assert.False(reading.Has(MrzIssue.Ambiguous));
    }

    [Fact]
    public void A_short_number_ends_where_its_fillers_plainly_begin()
    {
        var reading = Read("WA913397", seed: 4);

        Assert.Equal("WA913397", reading.DocumentNumber.Value);
        Assert.False(reading.Has(MrzIssue.ZeroOrFiller));
        Assert.True(MrzReader.IsSettled(reading), $"not settled: {reading}");
    }

    private MrzReading Read(string number, int seed)
    {
        var country = IssuingCountry.All.First(state => state.Code == "GBR");
        var mrz = new MrzIdentity(MrzFormat.Td3, "P", "GBR", "FAIRWEATHERBY", "EMILY", number, "GBR", new DateOnly(1980, 6, 16), MrzSex.Female,
            new DateOnly(2033, 6, 15), "");
        var identity = new SyntheticIdentity(mrz, country, "LONDON", new DateOnly(2023, 6, 16), ["1 BIRCH ROAD", "10000 LONDON"], "ISSUING OFFICE LONDON");
        using var fonts = DocumentFonts.Load();
        using var photo = new ImageDecoder().Decode(File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38)));
        using var side = new DocumentRenderer(fonts).RenderPassportPage(identity, photo, new Random(seed));
        var captured = CaptureSimulator.Capture(side, CaptureEffects.Mild with { ExifRotationShare = 0 }, new Random(seed));
        using var image = new ImageDecoder().Decode(captured.Jpeg);
        var scan = pipeline.Get<MrzReader>().Read(image);
        return scan.Reading ?? throw new InvalidOperationException($"no MRZ read: {scan}");
    }
}
