using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Verify.Inference.Models;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Api;

/// <summary>The API host in embedded mode with the real models: liveness at once, readiness only once every model is verified and loaded.</summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class HealthEndpointTests : IDisposable
{
    private readonly string _temporary = Directory.CreateTempSubdirectory("verify-api-").FullName;

    [Fact]
    public async Task Ready_only_once_every_model_is_loaded_and_verified()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var (status, body) = await WaitForReadiness(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var models = ModelCheck(body).GetProperty("data").GetProperty("models").EnumerateArray().Select(m => m.GetString()).ToArray();
        Assert.Contains(models, m => m!.StartsWith("yunet-2023mar@", StringComparison.Ordinal));
        Assert.Contains(models, m => m!.StartsWith("fr-feature@", StringComparison.Ordinal));
        // Liveness is on by default: its ensemble is loaded and run before the first verification too.
        Assert.Contains(models, m => m!.StartsWith("fr-liveness@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_api_reference_page_is_served_in_development_only_with_its_script_from_the_service()
    {
        await using var development = new WebApplicationFactory<Program>();
        await using var production = development.WithWebHostBuilder(host => host.UseEnvironment("Production"));
        using var developer = development.CreateClient();
        using var operatorClient = production.CreateClient();

        var page = await developer.GetAsync("/scalar/v1");
        string html = await page.Content.ReadAsStringAsync();
        string script = Regex.Match(html, "<script[^>]*src=\"([^\"]+)\"").Groups[1].Value;

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html);
        Assert.DoesNotContain("cdn.", html);
        Assert.False(Uri.TryCreate(script, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), script);
        Assert.Equal(HttpStatusCode.OK, (await developer.GetAsync(new Uri(new Uri(developer.BaseAddress!, "/scalar/v1"), script))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task Without_the_optional_models_the_default_configuration_is_ready()
    {
        // What a machine without the model mirror has after scripts/bootstrap.sh: every model but the optional ones.
        string models = Path.Combine(TestPaths.RepoRoot, ".deps", "models");
        var optional = new ModelCatalog(Path.Combine(TestPaths.RepoRoot, "models"), models).Manifests
            .Where(manifest => manifest.Optional).Select(manifest => manifest.File).ToHashSet(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(models, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(models, file);
            if (!optional.Contains(relative) && !relative.EndsWith(".partial", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_temporary, relative))!);
                File.Copy(file, Path.Combine(_temporary, relative));
            }
        }

        await using var factory = WithModelDirectory(_temporary);
        using var client = factory.CreateClient();

        var (status, body) = await WaitForReadiness(client);

        Assert.Equal(3, optional.Count);
        Assert.All(optional, file => Assert.False(File.Exists(Path.Combine(_temporary, file))));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"{Directory.GetFiles(_temporary, "*", SearchOption.AllDirectories).Length} model files verified",
            ModelCheck(body).GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_missing_model_keeps_the_service_live_but_not_ready()
    {
        await using var factory = WithModelDirectory(_temporary);
        using var client = factory.CreateClient();

        var (status, body) = await WaitForReadiness(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("is missing", ModelCheck(body).GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_model_that_fails_its_checksum_is_refused()
    {
        string modelDirectory = Path.Combine(TestPaths.RepoRoot, ".deps", "models");
        foreach (string file in Directory.GetFiles(modelDirectory, "*.onnx"))
        {
            File.Copy(file, Path.Combine(_temporary, Path.GetFileName(file)));
        }

        // Same size, one byte changed: only the checksum can tell.
        string tampered = Path.Combine(_temporary, "fr_feature.onnx");
        var bytes = File.ReadAllBytes(tampered);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(tampered, bytes);

        await using var factory = WithModelDirectory(_temporary);
        using var client = factory.CreateClient();
        var (status, body) = await WaitForReadiness(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("fails its checksum", ModelCheck(body).GetProperty("description").GetString());
    }

    [Fact]
    public async Task Unknown_routes_answer_with_problem_details()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => Directory.Delete(_temporary, recursive: true);

    private static WebApplicationFactory<Program> WithModelDirectory(string directory) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting("Models:Directory", directory));

    /// <summary>The models' entry among the readiness checks (storage and the bus have theirs too).</summary>
    private static JsonElement ModelCheck(JsonElement body) =>
        body.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "models");

    /// <summary>Polls readiness until it is decided (models load in the background); a hang guard, not a speed check.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForReadiness(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            string? description = ModelCheck(body).GetProperty("description").GetString();
            if (response.StatusCode == HttpStatusCode.OK || description != "models are loading" || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(100);
        }
    }
}
