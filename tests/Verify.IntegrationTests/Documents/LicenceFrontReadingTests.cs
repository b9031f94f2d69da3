using Verify.Documents.Portrait;
using Verify.Documents.PrintedZone;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;
using Verify.Synthetic.Licences;

namespace Verify.IntegrationTests.Documents;

/// <summary>Generated licence fronts read with real Tesseract, upright by the portrait's turn, and cross-checked with their barcode.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class LicenceFrontReadingTests(PipelineFixture pipeline)
{
    private PrintedZoneComparison ReadAndCompare(SyntheticLicence licence)
    {
        using var front = pipeline.Get<ImageDecoder>().Decode(licence.Front);
        using var portrait = pipeline.Get<PortraitLocator>().Locate(front);
        Assert.NotNull(portrait);
        var printed = pipeline.Get<PrintedZoneReader>().ReadLicence(front, portrait.TextAngleDegrees);
        return BarcodeCrossCheck.Compare(LicenceBarcodeDocument.From(licence.GroundTruth.Barcode), printed);
    }

    [Fact]
    public void A_genuine_front_agrees_with_its_barcode_and_one_printing_another_birth_date_does_not()
    {
        using var generator = new SyntheticLicenceGenerator(new SyntheticGeneratorOptions
        {
            FacesFolder = TestPaths.LfwImages, Capture = CaptureEffects.Mild, Seed = 18,
        });

        var genuine = ReadAndCompare(generator.Generate(1));
        var tampered = ReadAndCompare(generator.Generate(1, LicenceTamper.PrintedBirthDate));

        Assert.DoesNotContain(genuine.Fields, field => field.Agreement == FieldAgreement.Mismatch);
        Assert.Equal(FieldAgreement.Agree, genuine.Surname);
        Assert.Equal(FieldAgreement.Agree, genuine.BirthDate);
        Assert.Equal(FieldAgreement.Mismatch, tampered.BirthDate);
        Assert.Equal(FieldAgreement.Agree, tampered.Surname);
    }
}
