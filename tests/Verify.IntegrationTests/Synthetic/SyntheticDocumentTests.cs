using System.Security.Cryptography;
using System.Text.Json;
using Verify.Cli;
using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;

namespace Verify.IntegrationTests.Synthetic;

/// <summary>Synthetic documents generated from the LFW photos in place, checked against their own ground truth.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class SyntheticDocumentTests : IDisposable
{
    private readonly string _temporary = Directory.CreateTempSubdirectory("verify-synthetic-").FullName;
    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void The_same_seed_gives_the_same_bytes()
    {
        var first = Hashes(Generate(CaptureEffects.Mild, seed: 11), 0, 1);
        var second = Hashes(Generate(CaptureEffects.Mild, seed: 11), 0, 1);
        var other = Hashes(Generate(CaptureEffects.Mild, seed: 12), 0, 1);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_different_capture_keeps_the_same_holder_and_document()
    {
        using var mild = Generate(CaptureEffects.Mild, seed: 5);
        using var strong = Generate(CaptureEffects.Strong, seed: 5);

        var a = mild.Generate(1).GroundTruth;
        var b = strong.Generate(1).GroundTruth;

        Assert.Equal(a.Identity, b.Identity);
        Assert.Equal(a.Face, b.Face);
        Assert.NotEqual(a.Images[0].Capture, b.Images[0].Capture);
    }

    [Fact]
    public void Production_numbers_keep_the_same_holder_and_portrait()
    {
        using var hard = Generate(CaptureEffects.None, seed: 5);
        using var production = Generate(CaptureEffects.None, seed: 5, numbers: DocumentNumberStyle.Production);

        var a = hard.Generate(0).GroundTruth;
        var b = production.Generate(0).GroundTruth;

        Assert.Equal(a.Identity with { DocumentNumber = "" }, b.Identity with { DocumentNumber = "" });
        Assert.NotEqual(a.Identity.DocumentNumber, b.Identity.DocumentNumber);
        Assert.Equal(a.Face, b.Face);
        Assert.Equal(MrzComposer.Compose(b.Identity), b.MrzLines);
    }

    [Fact]
    public void Images_decode_upright_at_the_size_the_ground_truth_gives()
    {
        // Every image stored turned, so that the EXIF path is always taken.
        using var generator = Generate(CaptureEffects.Mild with { ExifRotationShare = 1 }, seed: 21);
        for (int index = 0; index < 2; index++)
        {
            var document = generator.Generate(index);
            foreach (var (file, jpeg) in document.Files)
            {
                var truth = document.GroundTruth.Images.Single(image => image.File == file);
                var info = _decoder.Identify(jpeg);
                using var decoded = _decoder.Decode(jpeg);

                Assert.Equal(ImageFormat.Jpeg, info.Format);
                Assert.NotEqual(1, truth.Capture.ExifOrientation);
                Assert.Equal(truth.Capture.ExifOrientation, (int)info.Orientation);
                Assert.Equal((truth.StoredWidth, truth.StoredHeight), (info.Width, info.Height));
                Assert.Equal((truth.Width, truth.Height), (decoded.Width, decoded.Height));
                Assert.Equal(2000, Math.Max(decoded.Width, decoded.Height));
            }
        }
    }

    [Theory]
    [InlineData(SyntheticDocumentKind.Td3)]
    [InlineData(SyntheticDocumentKind.Td1)]
    public void Mrz_lines_are_the_composed_identity_with_valid_check_digits(SyntheticDocumentKind kind)
    {
        using var generator = Generate(CaptureEffects.None, seed: 3, kind);
        for (int index = 0; index < 4; index++)
        {
            var truth = generator.Generate(index).GroundTruth;
            var lines = truth.MrzLines;

            Assert.Equal(MrzComposer.Compose(truth.Identity), lines);
            if (kind == SyntheticDocumentKind.Td3)
            {
                Assert.Equal([44, 44], lines.Select(line => line.Length));
                string second = lines[1];
                Assert.True(MrzCheckDigit.IsValid(second.AsSpan(0, 9), second[9]), "document number");
                Assert.True(MrzCheckDigit.IsValid(second.AsSpan(13, 6), second[19]), "birth date");
                Assert.True(MrzCheckDigit.IsValid(second.AsSpan(21, 6), second[27]), "expiry date");
                Assert.True(MrzCheckDigit.IsValid(second.AsSpan(28, 14), second[42]), "optional data");
                Assert.True(MrzCheckDigit.IsValid(second[..10] + second[13..20] + second[21..43], second[43]), "composite");
            }
            else
            {
                Assert.Equal([30, 30, 30], lines.Select(line => line.Length));
                string first = lines[0], second = lines[1];
                Assert.True(MrzCheckDigit.IsValid(first.AsSpan(5, 9), first[14]), "document number");
                Assert.True(MrzCheckDigit.IsValid(second.AsSpan(0, 6), second[6]), "birth date");
                Assert.True(MrzCheckDigit.IsValid(second.AsSpan(8, 6), second[14]), "expiry date");
                Assert.True(MrzCheckDigit.IsValid(first[5..30] + second[..7] + second[8..15] + second[18..29], second[29]), "composite");
            }
        }
    }

    [Fact]
    public void Portrait_mrz_and_document_corners_lie_inside_the_image()
    {
        using var generator = Generate(CaptureEffects.Strong, seed: 8);
        for (int index = 0; index < 4; index++)
        {
            var truth = generator.Generate(index).GroundTruth;
            foreach (var image in truth.Images)
            {
                var corners = image.DocumentCorners.Concat(image.PortraitCorners ?? []).Concat(image.MrzCorners ?? []);
                Assert.All(corners, corner =>
                {
                    Assert.InRange(corner[0], 0, image.Width);
                    Assert.InRange(corner[1], 0, image.Height);
                });
                Assert.Equal(image.Side != "back", image.PortraitCorners is not null);
                Assert.Equal(image.Side != "front", image.MrzCorners is not null);
            }
        }
    }

    [Fact]
    public void The_portrait_comes_from_a_person_with_another_photo_to_compare_with()
    {
        using var generator = Generate(CaptureEffects.None, seed: 2);

        var face = generator.Generate(0).GroundTruth.Face;

        Assert.True(File.Exists(Path.Combine(TestPaths.LfwImages, face.File)));
        Assert.True(Directory.GetFiles(Path.Combine(TestPaths.LfwImages, face.Person), "*.jpg").Length >= 2);
        Assert.StartsWith(face.Person + "/", face.File);
    }

    [Fact]
    public async Task Samples_generate_with_strong_capture_writes_images_ground_truth_and_a_manifest()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await VerifyCommandLine.RunAsync(
            ["samples", "generate", "--out", _temporary, "--count", "2", "--capture", "strong", "--seed", "4", "--faces", TestPaths.LfwImages, "--long-side", "1200"],
            output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.StartsWith("generated 2 documents (3 images, capture strong, seed 4)", output.ToString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temporary, "manifest.json")));
        var items = manifest.RootElement.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["td3", "td1"], items.Select(item => item.GetProperty("kind").GetString()));
        Assert.Equal("hard", manifest.RootElement.GetProperty("numbers").GetString());
        foreach (var item in items)
        {
            using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temporary, item.GetProperty("ground_truth").GetString()!)));
            Assert.Equal(item.GetProperty("id").GetString(), truth.RootElement.GetProperty("id").GetString());
            Assert.True(truth.RootElement.GetProperty("identity").TryGetProperty("document_number", out _));
            foreach (var file in item.GetProperty("images").EnumerateArray())
            {
                using var image = _decoder.Decode(File.ReadAllBytes(Path.Combine(_temporary, file.GetString()!)));
                Assert.Equal(1200, Math.Max(image.Width, image.Height));
            }
        }
    }

    [Fact]
    public async Task Samples_generate_with_production_numbers_records_the_style_in_the_manifest()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await VerifyCommandLine.RunAsync(
            ["samples", "generate", "--out", _temporary, "--count", "1", "--capture", "none", "--numbers", "production", "--faces", TestPaths.LfwImages],
            output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains("with production numbers", output.ToString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temporary, "manifest.json")));
        Assert.Equal("production", manifest.RootElement.GetProperty("numbers").GetString());
    }

    [Fact]
    public async Task Samples_generate_without_out_is_a_usage_error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await VerifyCommandLine.RunAsync(["samples", "generate", "--count", "1"], output, error);

        Assert.Equal(2, exitCode);
        Assert.Contains("--out", error.ToString());
    }

    public void Dispose() => Directory.Delete(_temporary, recursive: true);

    private static SyntheticDocumentGenerator Generate(CaptureEffects capture, int seed, SyntheticDocumentKind kind = SyntheticDocumentKind.Mixed,
        DocumentNumberStyle numbers = DocumentNumberStyle.Hard) =>
        new(new SyntheticGeneratorOptions { FacesFolder = TestPaths.LfwImages, Kind = kind, Capture = capture, Seed = seed, Numbers = numbers });

    private static string[] Hashes(SyntheticDocumentGenerator generator, params int[] indices)
    {
        using (generator)
        {
            return indices.Select(generator.Generate).SelectMany(document =>
                    document.Files.Select(file => Convert.ToHexString(SHA256.HashData(file.Jpeg)))
                        .Append(Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document.GroundTruth, DocumentGroundTruth.JsonOptions)))))
                .ToArray();
        }
    }
}
