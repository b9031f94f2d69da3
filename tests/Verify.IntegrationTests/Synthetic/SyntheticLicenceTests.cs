using System.Globalization;
using System.Security.Cryptography;
using Verify.Documents.Aamva;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;
using Verify.Synthetic.Licences;

namespace Verify.IntegrationTests.Synthetic;

/// <summary>Synthetic driver's licences generated from the LFW photos in place.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class SyntheticLicenceTests
{
    private static SyntheticLicenceGenerator Generator(CaptureEffects capture, int seed, DateOnly? validOn = null) =>
        new(new SyntheticGeneratorOptions { FacesFolder = TestPaths.LfwImages, Capture = capture, Seed = seed, ValidOn = validOn });

    private static string Hash(SyntheticLicence licence) =>
        Convert.ToHexString(SHA256.HashData([.. licence.Front, .. licence.Back]));

    [Fact]
    public void A_licence_depends_only_on_the_options_and_its_index()
    {
        using var first = Generator(CaptureEffects.Mild, seed: 4);
        using var second = Generator(CaptureEffects.Mild, seed: 4);

        // Out of order in the second run: nothing carries over from one licence to the next.
        var a = new[] { first.Generate(0), first.Generate(1) };
        var b = new[] { second.Generate(1), second.Generate(0) };

        Assert.Equal(Hash(a[0]), Hash(b[1]));
        Assert.Equal(Hash(a[1]), Hash(b[0]));
        Assert.Equal(a[0].GroundTruth.Barcode, b[1].GroundTruth.Barcode);
        Assert.NotEqual(Hash(a[0]), Hash(a[1]));
    }

    [Fact]
    public void Another_seed_gives_other_licences_and_another_capture_the_same_holder()
    {
        using var mild = Generator(CaptureEffects.Mild, seed: 4);
        using var strong = Generator(CaptureEffects.Strong, seed: 4);
        using var other = Generator(CaptureEffects.Mild, seed: 5);

        var a = mild.Generate(2);
        var b = strong.Generate(2);

        Assert.Equal(a.GroundTruth.Barcode, b.GroundTruth.Barcode);
        Assert.Equal(a.GroundTruth.Face, b.GroundTruth.Face);
        Assert.NotEqual(Hash(a), Hash(b));
        Assert.NotEqual(a.GroundTruth.Barcode, other.Generate(2).GroundTruth.Barcode);
    }

    [Fact]
    public void Ground_truth_records_the_printed_front_and_a_licence_valid_on_the_date()
    {
        var validOn = new DateOnly(2026, 12, 5);
        using var generator = Generator(CaptureEffects.None, seed: 9, validOn);
        var decoder = new ImageDecoder();
        for (int index = 0; index < 4; index++)
        {
            var truth = generator.Generate(index).GroundTruth;
            var expected = truth.Barcode;
            bool canadian = truth.Country == "CAN";

            Assert.Equal(AamvaJurisdictions.Find(truth.Iin), new AamvaJurisdiction(truth.Jurisdiction, truth.Country));
            Assert.True(expected.ExpiryDate >= validOn);
            Assert.Equal(expected.DocumentNumber, truth.Printed["document_number"]);
            Assert.Equal(expected.FamilyName, truth.Printed["family_name"]);
            Assert.Equal(LicenceRenderer.PrintedDate(expected.BirthDate, canadian), truth.Printed["date_of_birth"]);
            Assert.Matches(canadian ? @"^\d{4}-\d{2}-\d{2}$" : @"^\d{2}/\d{2}/\d{4}$", truth.Printed["date_of_expiry"]);
            Assert.Equal(["front", "back"], truth.Images.Select(i => i.Side));
            Assert.NotNull(truth.Images[0].PortraitCorners);
        }

        using var front = decoder.Decode(generator.Generate(0).Front);
        Assert.Equal((int)Math.Round(85.60 * 300 / 25.4), front.Width);
    }

    [Fact]
    public void A_front_with_a_changed_birth_date_prints_another_date_over_the_genuine_barcode()
    {
        using var generator = Generator(CaptureEffects.Mild, seed: 4);
        for (int index = 0; index < 6; index++)
        {
            var genuine = generator.Generate(index);
            var tampered = generator.Generate(index, LicenceTamper.PrintedBirthDate);
            var truth = tampered.GroundTruth;
            bool canadian = truth.Country == "CAN";

            Assert.Equal(LicenceTamper.None, genuine.GroundTruth.Tamper);
            Assert.Equal(LicenceTamper.PrintedBirthDate, truth.Tamper);
            Assert.Equal(genuine.GroundTruth.Barcode, truth.Barcode);
            Assert.Equal(genuine.Back, tampered.Back);
            Assert.NotEqual(genuine.Front, tampered.Front);
            Assert.Equal(genuine.GroundTruth.Printed["family_name"], truth.Printed["family_name"]);
            var printed = DateOnly.ParseExact(truth.Printed["date_of_birth"], canadian ? "yyyy-MM-dd" : "MM/dd/yyyy", CultureInfo.InvariantCulture);
            int yearsOff = Math.Abs(printed.Year - truth.Barcode.BirthDate.Year);
            Assert.InRange(yearsOff, 2, 7);
            Assert.True(printed.AddYears(16) <= truth.Barcode.IssueDate);
        }
    }
}
