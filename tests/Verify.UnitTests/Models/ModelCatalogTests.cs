using System.Security.Cryptography;
using Verify.Inference.Models;

namespace Verify.UnitTests.Models;

public sealed class ModelCatalogTests : IDisposable
{
    private static readonly byte[] Content = "not really a model, but bytes with a checksum"u8.ToArray();
    private readonly string _manifests = Directory.CreateTempSubdirectory("verify-manifests-").FullName;
    private readonly string _models = Directory.CreateTempSubdirectory("verify-models-").FullName;

    public ModelCatalogTests()
    {
        WriteManifest(Convert.ToHexStringLower(SHA256.HashData(Content)), Content.Length);
    }

    [Fact]
    public void A_file_matching_its_manifest_is_handed_out()
    {
        File.WriteAllBytes(Path.Combine(_models, "tiny.onnx"), Content);
        var catalog = new ModelCatalog(_manifests, _models);

        Assert.Equal(Path.Combine(_models, "tiny.onnx"), catalog.VerifiedPath("tiny"));
        Assert.StartsWith("tiny@", catalog.Get("tiny").Version);
    }

    [Fact]
    public void A_missing_file_is_refused_with_what_to_run()
    {
        var error = Assert.Throws<ModelUnavailableException>(() => new ModelCatalog(_manifests, _models).VerifiedPath("tiny"));
        Assert.Contains("is missing", error.Message);
        Assert.Contains("scripts/fetch-models.sh", error.Message);
    }

    [Fact]
    public void A_missing_optional_model_says_where_to_put_it_and_how_to_fetch_it()
    {
        WriteManifest(Convert.ToHexStringLower(SHA256.HashData(Content)), Content.Length, optional: true);

        var error = Assert.Throws<ModelUnavailableException>(() => new ModelCatalog(_manifests, _models).VerifiedPath("tiny"));

        Assert.True(new ModelCatalog(_manifests, _models).Get("tiny").Optional);
        Assert.Contains("optional and has no public source", error.Message);
        Assert.Contains("as mirror/tiny.onnx", error.Message);
        Assert.Contains("VERIFY_OPTIONAL_MODELS=tiny scripts/fetch-models.sh", error.Message);
    }

    [Fact]
    public void A_file_of_the_wrong_size_is_refused()
    {
        File.WriteAllBytes(Path.Combine(_models, "tiny.onnx"), [.. Content, 0]);
        Assert.Contains("has 46 bytes", Assert.Throws<ModelUnavailableException>(() => new ModelCatalog(_manifests, _models).VerifiedPath("tiny")).Message);
    }

    [Fact]
    public void A_file_with_the_right_size_and_wrong_bytes_fails_its_checksum()
    {
        var tampered = (byte[])Content.Clone();
        tampered[0] ^= 1;
        File.WriteAllBytes(Path.Combine(_models, "tiny.onnx"), tampered);

        var error = Assert.Throws<ModelUnavailableException>(() => new ModelCatalog(_manifests, _models).VerifiedPath("tiny"));

        Assert.Contains("fails its checksum", error.Message);
        Assert.Equal("tiny", error.ModelId);
    }

    [Fact]
    public void A_failed_check_is_retried_once_the_file_is_fixed()
    {
        var catalog = new ModelCatalog(_manifests, _models);
        Assert.Throws<ModelUnavailableException>(() => catalog.VerifiedPath("tiny"));

        File.WriteAllBytes(Path.Combine(_models, "tiny.onnx"), Content);

        Assert.EndsWith("tiny.onnx", catalog.VerifiedPath("tiny"));
    }

    [Fact]
    public void An_unknown_model_lists_the_known_ones() =>
        Assert.Contains("known models: tiny", Assert.Throws<ModelUnavailableException>(() => new ModelCatalog(_manifests, _models).Get("other")).Message);

    [Fact]
    public void A_manifest_without_a_proper_checksum_is_invalid()
    {
        WriteManifest("abc", 1);
        Assert.Throws<InvalidDataException>(() => new ModelCatalog(_manifests, _models));
    }

    [Fact]
    public void The_repository_manifests_parse_and_declare_their_contracts()
    {
        var catalog = new ModelCatalog(Path.Combine(AppContext.BaseDirectory, "models"), _models);

        Assert.Equal(["dlib-resnet-v1", "fr-feature", "fr-liveness", "minifasnet-v1se", "minifasnet-v2", "tesseract-eng", "tesseract-ocrb", "yunet-2023mar"], catalog.Manifests.Select(m => m.Id).Order());
        Assert.All(catalog.Manifests, manifest =>
        {
            Assert.False(string.IsNullOrWhiteSpace(manifest.License));
            Assert.True(manifest.Source?.MirrorPath is not null || manifest.Source?.Npm is not null);
        });
        // Tesseract traineddata has no tensor contract; every ONNX model declares one.
        Assert.All(catalog.Manifests.Where(m => m.Task != "ocr"), manifest =>
        {
            Assert.NotEmpty(manifest.Inputs);
            Assert.NotEmpty(manifest.Outputs);
        });
        Assert.Equal(["tessdata/eng.traineddata", "tessdata/ocrb_int.traineddata"],
            catalog.Manifests.Where(m => m.Task == "ocr").Select(m => m.File).Order());
        // A model without a public source is optional: a machine without the mirror can still set up the defaults.
        Assert.Equal(["dlib-resnet-v1", "minifasnet-v1se", "minifasnet-v2"], catalog.Manifests.Where(m => m.Optional).Select(m => m.Id).Order());
        Assert.All(catalog.Manifests.Where(m => m.Source?.Npm is null && m.Source?.Urls.Count is null or 0), manifest => Assert.True(manifest.Optional));
        Assert.All(catalog.Manifests.Where(m => m.Task == "face-embedding"), manifest =>
            Assert.Equal([1e-2, 1e-3, 1e-4, 1e-5, 1e-6], manifest.Matching!.OperatingPoints.Select(p => p.FalseAcceptRate)));
    }

    public void Dispose()
    {
        Directory.Delete(_manifests, recursive: true);
        Directory.Delete(_models, recursive: true);
    }

    private void WriteManifest(string sha256, long size, bool optional = false) => File.WriteAllText(Path.Combine(_manifests, "tiny.model.json"), $$"""
        {
          // comments are allowed in manifests
          "id": "tiny",
          "task": "test",
          "file": "tiny.onnx",
          "sha256": "{{sha256}}",
          "size": {{size}},
          "license": "none",
          "source": { "mirrorPath": "mirror/tiny.onnx" },
          "optional": {{(optional ? "true" : "false")}},
        }
        """);
}
