using System.Text.Json;
using Verify.Documents.Chip;
using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using static Verify.IntegrationTests.Fixtures.CliRunner;
using Verify.Synthetic;
using Verify.Synthetic.Chip;
using Verify.Synthetic.Licences;

namespace Verify.IntegrationTests.Cli;

/// <summary>`verify read-document`, run in-process with real Tesseract and the real face detector on a page printed by the project's renderer.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ReadDocumentCliTests : IDisposable
{
    // The Doc 9303 part 4 specimen: Anna Maria Eriksson of Utopia, whose passport expired in 2012.
    private static readonly string[] SpecimenLines =
    [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ];

    private readonly string _temporary = Directory.CreateTempSubdirectory("verify-read-document-").FullName;

    [Fact]
    public async Task The_specimen_passport_is_read_field_by_field_and_rejected_as_expired_with_exit_code_1()
    {
        string page = PrintSpecimenPage();

        var result = await Run("read-document", page, "--allow-specimen-codes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("status:        read (MRZ on the front)", result.Output);
        Assert.Contains("MRZ format:    TD3, valid", result.Output);
        Assert.Contains(SpecimenLines[0], result.Output);
        Assert.Contains(SpecimenLines[1], result.Output);
        Assert.Matches(@"document_number\s+L898902C3\s+valid", result.Output);
        Assert.Matches(@"issuing_state\s+UTO\s+valid", result.Output);
        Assert.Matches(@"nationality\s+UTO\s+valid", result.Output);
        Assert.Matches(@"birth_date\s+1974-08-12\s+valid", result.Output);
        Assert.Matches(@"sex\s+F\s+valid", result.Output);
        Assert.Matches(@"expiry_date\s+2012-04-15\s+valid", result.Output);
        Assert.Matches(@"optional_data_1\s+ZE184226B\s+valid", result.Output);
        Assert.Matches(@"name\s+ERIKSSON, ANNA MARIA\s+valid", result.Output);
        Assert.Contains("check digits:  document_number passed, birth_date passed, expiry_date passed, optional_data passed, composite passed", result.Output);
        // Specimen codes allowed, so the expiry is the one reason to reject.
        Assert.Contains("findings:      document_expired (reject, expiry_date)", result.Output);
        Assert.Contains("portrait:      found", result.Output);
        Assert.Contains("printed zone:", result.Output);
        Assert.Contains("timings:       decode", result.Output);
        Assert.Contains("outcome:       rejected", result.Output);
    }

    [Fact]
    public async Task As_json_the_specimen_gives_fields_check_digits_findings_and_timings_under_snake_case_names()
    {
        string page = PrintSpecimenPage();

        var result = await Run("read-document", page, "--json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("read", root.GetProperty("status").GetString());
        Assert.Equal("rejected", root.GetProperty("outcome").GetString());
        Assert.Equal("front", root.GetProperty("side").GetString());
        var mrz = root.GetProperty("mrz");
        Assert.Equal("td3", mrz.GetProperty("format").GetString());
        Assert.True(mrz.GetProperty("valid").GetBoolean());
        Assert.Equal(SpecimenLines, mrz.GetProperty("lines").EnumerateArray().Select(line => line.GetString()));
        var fields = mrz.GetProperty("fields").EnumerateArray().ToDictionary(field => field.GetProperty("name").GetString()!, field => field.GetProperty("value").GetString());
        Assert.Equal("L898902C3", fields["document_number"]);
        Assert.Equal("1974-08-12", fields["birth_date"]);
        Assert.Equal("2012-04-15", fields["expiry_date"]);
        Assert.Equal("UTO", fields["nationality"]);
        Assert.Equal("ERIKSSON", mrz.GetProperty("surname").GetString());
        Assert.Equal("ANNA MARIA", mrz.GetProperty("given_names").GetString());
        Assert.Equal(5, mrz.GetProperty("check_digits").GetArrayLength());
        Assert.All(mrz.GetProperty("check_digits").EnumerateArray(), check => Assert.True(check.GetProperty("passed").GetBoolean()));
        // Without --allow-specimen-codes, UTO is an unknown state: a person would look, but the expiry already rejects.
        var findings = root.GetProperty("findings").EnumerateArray()
            .Select(finding => (finding.GetProperty("code").GetString(), finding.GetProperty("severity").GetString(), finding.GetProperty("field").GetString()))
            .ToList();
        Assert.Contains(("document_expired", "reject", "expiry_date"), findings);
        Assert.Contains(("unknown_issuing_state", "review", "issuing_state"), findings);
        Assert.True(root.GetProperty("portrait").GetProperty("found").GetBoolean());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("capture_signals").ValueKind);
        Assert.Equal(5, root.GetProperty("printed_zone").GetArrayLength());
        foreach (string stage in new[] { "decode", "mrz", "mrz_locate", "mrz_ocr", "portrait", "printed_zone" })
        {
            Assert.True(root.GetProperty("timings_ms").TryGetProperty(stage, out _), $"no {stage} timing");
        }
    }

    [Fact]
    public async Task A_photo_without_an_MRZ_exits_with_code_3()
    {
        var result = await Run("read-document", TestPaths.Lfw("Colin_Powell", 38));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("status:        no MRZ", result.Output);
        Assert.Contains("outcome:       no MRZ found", result.Output);
    }

    [Fact]
    public async Task A_pdf_renamed_jpg_is_unreadable_input_with_exit_code_4()
    {
        string fake = Path.Combine(_temporary, "passport.jpg");
        File.WriteAllText(fake, "%PDF-1.7\n%%EOF\n");

        var result = await Run("read-document", fake);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("status:        image unreadable (failed on the front)", result.Output);
        Assert.Contains("PDF document", result.Output);
    }

    [Fact]
    public async Task A_missing_file_is_unreadable_input_with_exit_code_4()
    {
        var result = await Run("read-document", Path.Combine(_temporary, "no-such-passport.jpg"));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("error: cannot read input", result.Error);
        Assert.Empty(result.Output);
    }

    public void Dispose() => Directory.Delete(_temporary, recursive: true);

    /// <summary>Prints the specimen's data page with the project's renderer and photographs it without capture effects.</summary>
    [Fact]
    public async Task A_licence_is_read_from_its_barcode_with_every_field_printed()
    {
        using var generator = new SyntheticLicenceGenerator(new SyntheticGeneratorOptions { FacesFolder = TestPaths.LfwImages, Capture = CaptureEffects.Mild, Seed = 35 });
        var licence = generator.Generate(0);
        string front = Path.Combine(_temporary, "licence-front.jpg"), back = Path.Combine(_temporary, "licence-back.jpg");
        File.WriteAllBytes(front, licence.Front);
        File.WriteAllBytes(back, licence.Back);

        var result = await Run("read-document", front, back);

        Assert.Contains("status:        read (read from the back)", result.Output);
        Assert.Contains("source:        barcode", result.Output);
        Assert.Matches($@"surname\s+{System.Text.RegularExpressions.Regex.Escape(licence.GroundTruth.Barcode.FamilyName)}\s+DCS valid", result.Output);
        Assert.Matches($@"document_number\s+{System.Text.RegularExpressions.Regex.Escape(licence.GroundTruth.Barcode.DocumentNumber)}\s+DAQ valid", result.Output);
    }

    [Fact]
    public async Task Chip_files_are_authenticated_against_the_trust_store_given()
    {
        using var issuer = SyntheticChipIssuer.Create();
        string store = Path.Combine(_temporary, "csca");
        issuer.WriteTrustStore(store);
        var identity = new MrzIdentity(MrzFormat.Td3, "P", "NLD", "JANSEN", "ANNA", "NX4R7KP21", "NLD", new DateOnly(1990, 3, 14), MrzSex.Female, new DateOnly(2031, 5, 1));
        using var photo = new ImageDecoder().Decode(File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38)));
        var genuine = issuer.Issue(identity, new ChipFaceImage(ChipImageFormat.Jpeg, ImageEncoder.EncodeJpeg(photo, 85), photo.Width, photo.Height));
        var altered = issuer.Issue(identity, new ChipFaceImage(ChipImageFormat.Jpeg, ImageEncoder.EncodeJpeg(photo, 85), photo.Width, photo.Height), ChipTamper.Dg1ByteChanged);

        var read = await Run(["read-document", .. ChipFiles("genuine", genuine), "--trust-store", store]);
        var forged = await Run(["read-document", .. ChipFiles("altered", altered), "--trust-store", store]);

        Assert.Equal(0, read.ExitCode);
        Assert.Contains("source:        chip", read.Output);
        Assert.Contains("chip:          authenticated", read.Output);
        Assert.Matches(@"document_number\s+NX4R7KP21\s+valid", read.Output);
        Assert.Equal(1, forged.ExitCode);
        Assert.Contains("chip:          NOT authenticated: chip_dg1_altered", forged.Output);
    }

    private string[] ChipFiles(string name, ChipFiles files)
    {
        var paths = new[] { ("--dg1", files.Dg1), ("--dg2", files.Dg2), ("--sod", files.Sod) };
        return [.. paths.SelectMany(file =>
        {
            string path = Path.Combine(_temporary, $"{name}{file.Item1[2..]}.bin");
            File.WriteAllBytes(path, file.Item2);
            return new[] { file.Item1, path };
        })];
    }

    private string PrintSpecimenPage()
    {
        var mrz = new MrzIdentity(MrzFormat.Td3, "P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", new DateOnly(1974, 8, 12), MrzSex.Female,
            new DateOnly(2012, 4, 15), "ZE184226B");
        Assert.Equal(SpecimenLines, MrzComposer.Compose(mrz));
        // IssuingCountry.All leaves out UTO on purpose, so the specimen state is written here.
        var utopia = new IssuingCountry("UTO", "UTOPIA", "UTOPIAN", ["ZENITH"]);
        var identity = new SyntheticIdentity(mrz, utopia, "ZENITH", new DateOnly(2002, 4, 16), ["1 SPECIMEN ROAD", "00000 ZENITH"], "ISSUING OFFICE ZENITH");

        using var fonts = DocumentFonts.Load();
        using var photo = new ImageDecoder().Decode(File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38)));
        using var side = new DocumentRenderer(fonts).RenderPassportPage(identity, photo, new Random(9303));
        var captured = CaptureSimulator.Capture(side, CaptureEffects.None, new Random(9303));
        string path = Path.Combine(_temporary, "specimen.jpg");
        File.WriteAllBytes(path, captured.Jpeg);
        return path;
    }
}
