using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Setup;

/// <summary>
/// scripts/fetch-models.sh against a local mirror: verified installs, idempotent re-runs, a hard stop on a bad checksum,
/// and a set-up without any mirror (public sources only, optional models skipped and named).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Script)]
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

    [Fact]
    public async Task Without_a_mirror_every_default_model_comes_from_its_public_source_and_the_optional_ones_are_named()
    {
        // This machine reaches no web host: the URL-sourced models are served from 127.0.0.1 under their manifest's
        // file name, and their manifests point there. npm sources use the registry (through the checkout's tarball cache).
        File.Delete(Path.Combine(_root, "manifests", "yunet-2023mar.model.json"));
        var requests = new ConcurrentQueue<string>();
        using var server = new LocalHttpServer(context => ServeModelAsync(context, requests));
        int port = server.Port;
        var served = new List<string>();
        var optional = new List<string>();
        var required = new List<(string Id, string File)>();
        foreach (string path in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "models"), "*.model.json"))
        {
            var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            string id = manifest["id"]!.GetValue<string>(), file = manifest["file"]!.GetValue<string>();
            if (manifest["optional"]?.GetValue<bool>() == true)
            {
                optional.Add(id);
            }
            else
            {
                required.Add((id, file));
            }

            if (manifest["source"]!["urls"] is JsonArray { Count: > 0 } urls)
            {
                urls.Clear();
                urls.Add($"http://127.0.0.1:{port}/{file}");
                served.Add(id);
            }

            File.WriteAllText(Path.Combine(_root, "manifests", Path.GetFileName(path)), manifest.ToJsonString());
        }

        var result = await Task.Run(() => RunScript(("VERIFY_NPM_CACHE", Path.Combine(TestPaths.RepoRoot, ".deps", "cache")), ("VERIFY_OPTIONAL_MODELS", "")));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.NotEmpty(served);
        Assert.Equal(3, optional.Count);
        foreach (var (id, file) in required)
        {
            Assert.True(File.Exists(Path.Combine(_root, "models", file)), $"{id} was not installed: {result.Error}");
            Assert.Contains(served.Contains(id) ? $"{id}: installed from http://127.0.0.1:{port}/" : $"{id}: installed from npm", result.Error);
        }

        Assert.Equal(served.Count, requests.Count);
        foreach (string id in optional)
        {
            Assert.Contains($"{id}: optional, skipped", result.Error);
        }

        Assert.Contains($"{required.Count} models ready", result.Error);
        Assert.Contains($"optional models skipped: {string.Join(", ", optional.Order(StringComparer.Ordinal))}", result.Error);
        Assert.Equal(required.Count, Directory.GetFiles(Path.Combine(_root, "models"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void An_optional_model_is_installed_from_the_mirror_unasked_a_damaged_copy_is_removed_and_asked_for_without_one_stops_the_script()
    {
        const string Optional = "minifasnet-v2.model.json";
        const string OptionalFile = "MiniFASNetV2.onnx";
        File.Delete(Path.Combine(_root, "manifests", "yunet-2023mar.model.json"));
        File.Copy(Path.Combine(TestPaths.RepoRoot, "models", Optional), Path.Combine(_root, "manifests", Optional));

        // A damaged copy of an optional model that no source can replace is removed, not left for the service to trip on.
        Directory.CreateDirectory(Path.Combine(_root, "models"));
        File.WriteAllBytes(Path.Combine(_root, "models", OptionalFile), [1, 2, 3]);
        var damaged = RunScript(("VERIFY_OPTIONAL_MODELS", ""));
        Assert.Equal(0, damaged.ExitCode);
        Assert.Contains("minifasnet-v2: removed", damaged.Error);
        Assert.False(File.Exists(Path.Combine(_root, "models", OptionalFile)));

        var missing = RunScript(("VERIFY_OPTIONAL_MODELS", "dlib-resnet-v1,minifasnet-v2"));
        Directory.CreateDirectory(Path.Combine(_root, "mirror", "minifasnet"));
        File.Copy(Path.Combine(TestPaths.RepoRoot, ".deps", "models", OptionalFile), Path.Combine(_root, "mirror", "minifasnet", OptionalFile));
        var mirrored = RunScript(("VERIFY_OPTIONAL_MODELS", ""));

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("optional model 'minifasnet-v2' was asked for (VERIFY_OPTIONAL_MODELS)", missing.Error);
        Assert.Contains("minifasnet/MiniFASNetV2.onnx", missing.Error);
        Assert.Equal(0, mirrored.ExitCode);
        Assert.Contains("minifasnet-v2: installed from mirror", mirrored.Error);
        Assert.True(File.Exists(Path.Combine(_root, "models", OptionalFile)));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Answers with the checkout's installed model file at the request's path in the models folder, or 404.</summary>
    private static async Task ServeModelAsync(HttpListenerContext context, ConcurrentQueue<string> requests)
    {
        // The manifest's file name may hold a folder (tessdata/...); nothing outside the models folder is served.
        string name = context.Request.Url!.AbsolutePath.TrimStart('/');
        string models = Path.Combine(TestPaths.RepoRoot, ".deps", "models");
        string path = Path.GetFullPath(Path.Combine(models, name));
        requests.Enqueue(name);
        if (path.StartsWith(models + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path))
        {
            await using var file = File.OpenRead(path);
            context.Response.ContentLength64 = file.Length;
            await file.CopyToAsync(context.Response.OutputStream);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    private (int ExitCode, string Error) RunScript(params (string Name, string Value)[] environment)
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
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill();
            throw new TimeoutException("fetch-models.sh did not finish");
        }

        return (process.ExitCode, error);
    }
}
