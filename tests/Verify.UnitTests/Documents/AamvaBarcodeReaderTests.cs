using Verify.Documents.Aamva;
using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.Imaging.Exif;
using Verify.Synthetic;
using Verify.Synthetic.Licences;

namespace Verify.UnitTests.Documents;

/// <summary>The PDF417 reader on licence backs printed by the synthetic renderer (no faces needed), at modest sizes.</summary>
public sealed class AamvaBarcodeReaderTests : IDisposable
{
    private readonly DocumentFonts _fonts = DocumentFonts.Load();
    private readonly ImageDecoder _decoder = new();
    private readonly AamvaBarcodeReader _reader = new();

    public void Dispose() => _fonts.Dispose();

    private static LicenceIdentity Holder(int seed) => LicenceSampler.Sample(new Random(seed));

    private RenderedSide Back(LicenceIdentity holder, string? text = null) =>
        new LicenceRenderer(_fonts).RenderBack(holder, text ?? AamvaComposer.Compose(holder, jurisdictionSubfile: true), new Random(5)).Side;

    /// <summary>The side photographed through <paramref name="effects"/> and decoded as the service would (EXIF applied).</summary>
    private RgbImage Photo(RenderedSide side, CaptureEffects effects, int seed) =>
        _decoder.Decode(CaptureSimulator.Capture(side, effects, new Random(seed)).Jpeg);

    private static void AssertReads(AamvaBarcodeScan scan, LicenceIdentity holder)
    {
        Assert.True(scan.Status == AamvaBarcodeStatus.Read, scan.ToString());
        Assert.Empty(AamvaComposer.Expected(holder).Mismatches(scan.Reading!.Document));
        Assert.Empty(scan.Reading.Findings);
    }

    [Fact]
    public void A_clean_back_reads_whole_and_upright()
    {
        var holder = Holder(1);
        using var back = Back(holder);

        var scan = _reader.Read(back.Image);

        AssertReads(scan, holder);
        Assert.Equal(0, scan.QuarterTurns);
        Assert.False(scan.FromRegion);
    }

    [Theory]
    [InlineData(ExifOrientation.Rotate90Clockwise, 3)]
    [InlineData(ExifOrientation.Rotate180, 2)]
    [InlineData(ExifOrientation.Rotate90CounterClockwise, 1)]
    public void A_turned_back_reads_and_says_how_to_turn_it_upright(ExifOrientation turn, int quarterTurns)
    {
        var holder = Holder(2);
        using var back = Back(holder);
        using var turned = ExifOrientationTransform.Apply(back.Image, turn);

        var scan = _reader.Read(turned);

        AssertReads(scan, holder);
        Assert.Equal(quarterTurns, scan.QuarterTurns);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(12)]
    public void A_tilted_photo_reads(int seed)
    {
        var holder = Holder(seed);
        using var back = Back(holder);
        var effects = CaptureEffects.Mild with { MaxTiltDegrees = 8, QuarterTurns = false, ExifRotationShare = 0, GlareShare = 0, LongSide = 1400 };
        using var photo = Photo(back, effects, seed);

        AssertReads(_reader.Read(photo), holder);
    }

    [Fact]
    public void A_photo_where_the_barcode_is_a_small_part_of_the_frame_reads()
    {
        var holder = Holder(4);
        using var back = Back(holder);
        var effects = CaptureEffects.Mild with { Margin = (1.2, 1.4), QuarterTurns = false, MaxTiltDegrees = 3, GlareShare = 0, ExifRotationShare = 0, LongSide = 2400 };
        using var photo = Photo(back, effects, 4);

        var scan = _reader.Read(photo);

        AssertReads(scan, holder);
    }

    [Fact]
    public void A_tilt_the_detector_misses_on_the_whole_image_is_read_from_the_deskewed_region()
    {
        // Seed 12 draws an 8 degree tilt with some shear, which ZXing's detector does not find in the whole photo.
        var holder = Holder(12);
        using var back = Back(holder);
        var effects = CaptureEffects.Mild with { MaxTiltDegrees = 8, QuarterTurns = false, ExifRotationShare = 0, GlareShare = 0, LongSide = 1400 };
        using var photo = Photo(back, effects, 12);

        var scan = _reader.Read(photo);

        AssertReads(scan, holder);
        Assert.True(scan.FromRegion);
        Assert.Equal(0, scan.QuarterTurns);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(9)]
    public void A_heavily_blurred_photo_reads_from_the_sharpened_region(int seed)
    {
        // Blur sigma 2.4 px on modules of about 3.5 px: thin bars and gaps fade to grey.
        var holder = Holder(seed);
        using var back = Back(holder);
        var effects = CaptureEffects.Strong with
        {
            QuarterTurns = false, MaxTiltDegrees = 2, ExifRotationShare = 0, GlareShare = 0, BlurSigma = (2.4, 2.4), PerspectiveJitter = 0.03, LongSide = 1600,
        };
        using var photo = Photo(back, effects, seed);

        var scan = _reader.Read(photo);

        AssertReads(scan, holder);
        Assert.True(scan.FromRegion);
    }

    [Fact]
    public void An_image_without_a_barcode_is_not_found()
    {
        using var fonts = DocumentFonts.Load();
        var identity = IdentitySampler.Sample(new Random(1), MrzFormat.Td1);
        using var cardBack = new DocumentRenderer(fonts).RenderCardBack(identity, new Random(1));

        var scan = _reader.Read(cardBack.Image);

        Assert.Equal(AamvaBarcodeStatus.NotFound, scan.Status);
        Assert.Null(scan.Parse);
    }

    [Fact]
    public void A_PDF417_that_is_not_AAMVA_is_told_apart_with_the_parsers_error()
    {
        using var back = Back(Holder(1), "LOYALTY CARD 0042 - NOT A LICENCE");

        var scan = _reader.Read(back.Image);

        Assert.Equal(AamvaBarcodeStatus.NotAamva, scan.Status);
        Assert.Equal(AamvaError.MissingHeader, scan.Parse!.Error);
        Assert.Null(scan.Reading);
    }

    [Fact]
    public void A_scan_prints_no_barcode_data()
    {
        var holder = Holder(1);
        using var back = Back(holder);

        string printed = _reader.Read(back.Image).ToString();

        Assert.DoesNotContain(holder.FamilyName, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(holder.Number, printed, StringComparison.Ordinal);
    }
}
