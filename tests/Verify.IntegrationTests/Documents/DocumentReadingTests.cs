using Verify.Documents.Checks;
using Verify.Documents.Mrz;
using Verify.Documents.Portrait;
using Verify.Documents.PrintedZone;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.Imaging.Exif;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;
using Verify.Synthetic.Licences;

namespace Verify.IntegrationTests.Documents;

/// <summary>The document reader with real Tesseract and the real face detector, on generated documents.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class DocumentReadingTests(PipelineFixture pipeline)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Theory]
    [InlineData(0, "none")]
    [InlineData(2, "mild")]
    [InlineData(4, "strong")]
    public void A_passport_page_photo_gives_every_MRZ_field_and_the_portrait(int index, string capture)
    {
        var document = Generate(SyntheticDocumentKind.Td3, capture, seed: 31, index);
        var page = document.GroundTruth.Images[0];

        using var result = pipeline.Get<DocumentReader>().Read(document.Files[0].Jpeg);

        Assert.Equal(DocumentReadStatus.Read, result.Status);
        Assert.Equal(DocumentSide.Front, result.Side);
        AssertFieldsMatch(document.GroundTruth, result.Mrz!);
        Assert.True(result.Mrz!.CheckDigits.All(check => check.Passed));
        Assert.NotNull(result.Portrait);
        Assert.True(page.PortraitContains(result.Portrait.Centre.X, result.Portrait.Centre.Y), "the face found is not the printed portrait");
        // A settled MRZ is what the decision uses: the printed zone is read only to settle one that is not.
        Assert.True(MrzReader.IsSettled(result.Mrz));
        Assert.Null(result.Comparison);
        Assert.DoesNotContain("printed_zone", result.Timings.Keys);
    }

    [Fact]
    public void An_identity_card_is_read_from_its_back_and_its_portrait_from_its_front()
    {
        var document = Generate(SyntheticDocumentKind.Td1, "mild", seed: 32, index: 1);
        var front = document.Files.Single(file => file.File.EndsWith("-front.jpg", StringComparison.Ordinal)).Jpeg;
        var back = document.Files.Single(file => file.File.EndsWith("-back.jpg", StringComparison.Ordinal)).Jpeg;

        using var result = pipeline.Get<DocumentReader>().Read(front, back);

        Assert.Equal(DocumentReadStatus.Read, result.Status);
        Assert.Equal(DocumentSide.Back, result.Side);
        Assert.Equal(MrzFormat.Td1, result.Mrz!.Format);
        AssertFieldsMatch(document.GroundTruth, result.Mrz);
        Assert.NotNull(result.Portrait);
        Assert.Equal(document.GroundTruth.Identity.ExpiryDate < Today, result.Findings.Any(finding => finding.Code == "document_expired"));
    }

    [Theory]
    [InlineData(0, "mild")]
    [InlineData(1, "strong")]
    public void A_driving_licence_is_read_from_its_barcode_and_its_portrait_from_its_front(int index, string capture)
    {
        using var generator = new SyntheticLicenceGenerator(new SyntheticGeneratorOptions
        {
            FacesFolder = TestPaths.LfwImages, Capture = CaptureEffects.Preset(capture)!, Seed = 33, ValidOn = Today,
        });
        var licence = generator.Generate(index);

        using var result = pipeline.Get<DocumentReader>().Read(new DocumentEvidence(licence.Front, licence.Back));

        Assert.Equal(DocumentReadStatus.Read, result.Status);
        Assert.Equal(DocumentSource.Barcode, result.Source);
        Assert.Null(result.Mrz);
        Assert.Empty(licence.GroundTruth.Barcode.Mismatches(result.Aamva!.Document));
        Assert.NotNull(result.Portrait);
        Assert.DoesNotContain(result.Findings, finding => finding.Severity == FindingSeverity.Reject);
        Assert.Equal(licence.GroundTruth.Barcode.ExpiryDate, result.ExpiryDate);
        Assert.StartsWith("AAMVA:", result.DocumentKey!.Value.Issuer, StringComparison.Ordinal);
    }

    [Fact]
    public void A_licence_front_printed_with_another_birth_date_than_its_barcode_goes_to_review()
    {
        using var generator = new SyntheticLicenceGenerator(new SyntheticGeneratorOptions
        {
            FacesFolder = TestPaths.LfwImages, Capture = CaptureEffects.Mild, Seed = 18,
        });
        var genuine = generator.Generate(1);
        var tampered = generator.Generate(1, LicenceTamper.PrintedBirthDate);

        using var read = pipeline.Get<DocumentReader>().Read(new DocumentEvidence(genuine.Front, genuine.Back));
        using var altered = pipeline.Get<DocumentReader>().Read(new DocumentEvidence(tampered.Front, tampered.Back));

        Assert.NotNull(read.Comparison);
        Assert.DoesNotContain(read.Findings, finding => finding.Code == "barcode_printed_mismatch");
        Assert.Contains(new DocumentFinding("barcode_printed_mismatch", FindingSeverity.Review, "birth_date"), altered.Findings);
    }

    [Theory]
    [InlineData(ExifOrientation.Normal)]
    [InlineData(ExifOrientation.Rotate90Clockwise)]
    [InlineData(ExifOrientation.Rotate180)]
    public void A_card_fronts_portrait_is_found_in_any_turn_and_cut_at_full_resolution(ExifOrientation turn)
    {
        // The search runs on a reduced image; the crop must still come from the full-resolution photo, with the face
        // where the printed portrait is and its landmarks inside its box.
        var document = Generate(SyntheticDocumentKind.Td1, "mild", seed: 36, index: 1);
        var frontTruth = document.GroundTruth.Images.Single(image => image.Side == "front");
        using var upright = pipeline.Get<ImageDecoder>().Decode(document.Files.Single(file => file.File.EndsWith("-front.jpg", StringComparison.Ordinal)).Jpeg);
        using var turned = turn == ExifOrientation.Normal ? null : ExifOrientationTransform.Apply(upright, turn);
        var photo = turned ?? upright;

        using var portrait = pipeline.Get<PortraitLocator>().Locate(photo);

        Assert.NotNull(portrait);
        // Back from the turned photo to the upright one.
        int quarterTurnsApplied = turn switch { ExifOrientation.Rotate90Clockwise => 1, ExifOrientation.Rotate180 => 2, _ => 0 };
        var centre = PortraitLocator.Unturn(portrait.Centre.X, portrait.Centre.Y, upright.Width, upright.Height, quarterTurnsApplied);
        Assert.True(frontTruth.PortraitContains(centre.X, centre.Y), $"the face found ({centre.X:F0}, {centre.Y:F0}) is not the printed portrait");
        var box = portrait.Face.Box;
        Assert.True(box.Width > 60, $"a face {box.Width:F0} px wide is not cut from the full-resolution photo");
        Assert.All(portrait.Face.Landmarks, point => Assert.True(point.X >= box.X && point.X <= box.Right && point.Y >= box.Y && point.Y <= box.Bottom,
            $"landmark ({point.X:F0}, {point.Y:F0}) outside the face box"));
        Assert.True(box.Right <= portrait.Crop.Width && box.Bottom <= portrait.Crop.Height, "the face box is outside the crop");
    }

    [Fact]
    public void A_photo_stored_turned_with_an_EXIF_orientation_is_read_upright()
    {
        var effects = CaptureEffects.Mild with { ExifRotationShare = 1 };
        using var generator = new SyntheticDocumentGenerator(new SyntheticGeneratorOptions
        {
            FacesFolder = TestPaths.LfwImages, Kind = SyntheticDocumentKind.Td3, Capture = effects, Seed = 33,
        });
        var document = generator.Generate(0);
        Assert.NotEqual(1, document.GroundTruth.Images[0].Capture.ExifOrientation);

        using var result = pipeline.Get<DocumentReader>().Read(document.Files[0].Jpeg);

        // The document number of this seed mixes O and 0, which the check digit cannot always settle; the rest must be exact.
        Assert.True(result.Mrz is not null, $"status {result.Status}");
        Assert.Equal(document.GroundTruth.MrzLines[0], result.Mrz.Lines[0]);
        Assert.Equal(document.GroundTruth.MrzLines[1][9..], result.Mrz.Lines[1][9..]);
    }

    [Fact]
    public void A_photo_without_an_MRZ_is_reported_as_no_MRZ_found()
    {
        var face = File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38));

        using var result = pipeline.Get<DocumentReader>().Read(face);

        Assert.Equal(DocumentReadStatus.NoMrz, result.Status);
        Assert.Null(result.Mrz);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void The_front_of_an_identity_card_alone_has_no_MRZ()
    {
        var document = Generate(SyntheticDocumentKind.Td1, "mild", seed: 34, index: 1);
        var front = document.Files.Single(file => file.File.EndsWith("-front.jpg", StringComparison.Ordinal)).Jpeg;

        using var result = pipeline.Get<DocumentReader>().Read(front);

        Assert.Equal(DocumentReadStatus.NoMrz, result.Status);
        Assert.NotNull(result.Portrait);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public void Bytes_that_are_not_an_image_give_a_typed_error_and_the_reader_keeps_working(string kind)
    {
        var document = Generate(SyntheticDocumentKind.Td3, "none", seed: 35, index: 0);
        byte[] bad = kind switch
        {
            "pdf" => "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"u8.ToArray(),
            "truncated" => document.Files[0].Jpeg[..(document.Files[0].Jpeg.Length / 3)],
            _ => [],
        };
        var reader = pipeline.Get<DocumentReader>();

        using (var failed = reader.Read(bad))
        {
            Assert.Equal(DocumentReadStatus.ImageUnreadable, failed.Status);
            Assert.Equal(DocumentSide.Front, failed.Side);
            Assert.Equal(kind switch { "pdf" => ImageDecodeError.UnsupportedFormat, "truncated" => ImageDecodeError.Truncated, _ => ImageDecodeError.Empty },
                failed.DecodeError!.Error);
        }

        using var next = reader.Read(document.Files[0].Jpeg);
        Assert.Equal(DocumentReadStatus.Read, next.Status);
    }

    [Fact]
    public void Nothing_personal_is_printed_by_the_results()
    {
        var document = Generate(SyntheticDocumentKind.Td3, "none", seed: 36, index: 0);

        using var result = pipeline.Get<DocumentReader>().Read(document.Files[0].Jpeg);

        var identity = document.GroundTruth.Identity;
        var printed = string.Join("\n", result.ToString(), result.Scan!.ToString(), result.Mrz!.ToString(),
            result.Printed?.ToString(), string.Join(",", result.Findings));
        var secrets = new List<string> { identity.DocumentNumber, identity.BirthDate.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture) };
        secrets.AddRange(document.GroundTruth.MrzLines);
        // A short surname (OU, LI) is a substring of ordinary words; longer ones must not appear anywhere.
        secrets.AddRange(new[] { MrzComposer.Transliterate(identity.Surname) }.Where(surname => surname.Length >= 5));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, printed, StringComparison.OrdinalIgnoreCase);
        }
    }

    internal static SyntheticDocument Generate(SyntheticDocumentKind kind, string capture, int seed, int index)
    {
        using var generator = new SyntheticDocumentGenerator(new SyntheticGeneratorOptions
        {
            FacesFolder = TestPaths.LfwImages,
            Kind = kind,
            Capture = CaptureEffects.Preset(capture)!,
            Seed = seed,
        });
        return generator.Generate(index);
    }

    /// <summary>
    /// Every field the check digits cover, the codes and the sex exactly; the name (no check digit covers it) to
    /// within one OCR slip, as the evaluation measures name accuracy (docs/evaluation.md) rather than this test.
    /// </summary>
    private static void AssertFieldsMatch(DocumentGroundTruth truth, MrzReading reading)
    {
        var expected = MrzParser.Parse(truth.MrzLines, Today)!;
        Assert.Equal(expected.Format, reading.Format);
        foreach (var field in expected.Fields)
        {
            var read = reading.Fields.Single(read => read.Name == field.Name).Value;
            if (field.Name == MrzFieldName.Name)
            {
                Assert.True(EditDistance.Between(read, field.Value) <= 1, "the name was read with more than one slip");
            }
            else
            {
                Assert.True(read == field.Value, $"{field.Name} was read wrong");
            }
        }
    }
}
