using System.Diagnostics;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Setup;

/// <summary>scripts/fetch-models.sh against a local mirror: verified installs, idempotent re-runs, and a hard stop on a bad checksum.</summary>
public sealed class FetchModelsScriptTests : IDisposable
{
    private const string ModelFile = "face_detection_yunet_2023mar.onnx";
    private readonly string _root = Directory.CreateTempSubdirectory("verify-fetch-").FullName;

    public FetchModelsScriptTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "manifests"));
        Directory.CreateDirectory(Path.Combine(_root, "mirror", "yunet"));
        File.Copy(Path.Combine(TestPaths.RepoRoot, "models", "yunet-2023mar.model.json"), Path.Combine(_root, "manifests", "yunet-2023mar.model.json"));
    }

    [Fact]
    public void A_good_mirror_copy_is_installed_and_a_second_run_changes_nothing()
    {
        File.Copy(Path.Combine(TestPaths.RepoRoot, ".deps", "models", ModelFile), Path.Combine(_root, "mirror", "yunet", ModelFile));

        var first = RunScript();
        var installed = new FileInfo(Path.Combine(_root, "models", ModelFile));
        var writtenAt = installed.LastWriteTimeUtc;
        var second = RunScript();

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("yunet-2023mar: installed from mirror", first.Error);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("yunet-2023mar: present and verified", second.Error);
        Assert.Equal(writtenAt, new FileInfo(installed.FullName).LastWriteTimeUtc);
    }

    [Fact]
    public void A_checksum_mismatch_stops_with_a_clear_message_and_installs_nothing()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, ".deps", "models", ModelFile));
        bytes[100] ^= 0x01;
        File.WriteAllBytes(Path.Combine(_root, "mirror", "yunet", ModelFile), bytes);

        var result = RunScript();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("checksum mismatch for model 'yunet-2023mar' from mirror", result.Error);
        Assert.Contains("8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4", result.Error);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "models")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (int ExitCode, string Error) RunScript()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestPaths.RepoRoot, "scripts", "fetch-models.sh")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["VERIFY_MODEL_MANIFESTS"] = Path.Combine(_root, "manifests"),
                ["VERIFY_MODEL_MIRROR"] = Path.Combine(_root, "mirror"),
                ["VERIFY_MODELS_DIR"] = Path.Combine(_root, "models"),
                ["VERIFY_NPM_CACHE"] = Path.Combine(_root, "cache"),
            },
        };
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException("fetch-models.sh did not finish");
        }

        return (process.ExitCode, error);
    }
}
