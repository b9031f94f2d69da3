using System.Diagnostics;
using System.Net;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>The worker process serves the health endpoints the deployment probes (deploy/k8s), on the address Urls names.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class WorkerHealthEndpointTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("verify-worker-health-").FullName;

    [Fact]
    public async Task A_worker_answers_liveness_and_becomes_ready_once_its_models_are_loaded()
    {
        int port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", [DistributedService.WorkerDll])
        {
            WorkingDirectory = Path.GetDirectoryName(DistributedService.WorkerDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The in-memory bus and SQLite in a folder of its own: no broker or database server needed to serve probes.
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__DataDirectory"] = _dataDirectory;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var worker = Process.Start(start)!;
        worker.OutputDataReceived += (_, _) => { };
        worker.ErrorDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var ready = await PollAsync(client, "/health/ready", TimeSpan.FromSeconds(90), worker);
            Assert.Equal(HttpStatusCode.OK, ready);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private static async Task<HttpStatusCode?> PollAsync(HttpClient client, string path, TimeSpan timeout, Process worker)
    {
        HttpStatusCode? last = null;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < timeout && !worker.HasExited; await Task.Delay(250))
        {
            try
            {
                last = (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode;
                if (last == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }

        return last;
    }
}
