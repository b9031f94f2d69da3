using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// The API's submission limits on a host of their own (tight limits, served by Kestrel on 127.0.0.1): per client per
/// minute (429), and in flight in the process over all clients (503); the service keeps serving afterwards.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class SubmissionLimitTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("verify-limits-").FullName;
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:DataDirectory", _dataDirectory);
            builder.UseSetting("Upload:SubmissionsPerMinute", "3");
            builder.UseSetting("Upload:ConcurrentSubmissions", "1");
            builder.UseSetting("Upload:SubmissionQueue", "0");
        });
        // A real Kestrel server on a free port: a request body then streams, so a slow upload really holds its slot
        // (the in-memory test server reads the whole body before the request starts).
        _factory.UseKestrel(0);
        _factory.StartServer();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after_while_another_client_is_served()
    {
        using var busy = await ClientAsync("busy-platform");
        for (int i = 0; i < 3; i++)
        {
            using var allowed = await busy.PostAsync("/v1/verifications", NoConsentForm());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, allowed.StatusCode);
        }

        using var refused = await busy.PostAsync("/v1/verifications", NoConsentForm());
        await ProblemAssert.IsAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");

        using var other = await ClientAsync("quiet-platform");
        using var served = await other.PostAsync("/v1/verifications", NoConsentForm());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, served.StatusCode);
    }

    [Fact]
    public async Task Submissions_beyond_the_in_flight_limit_get_503_with_retry_after_and_the_next_one_is_served()
    {
        // The first submission's body arrives slowly: headers and the start of the form, then nothing. It holds the
        // only slot while the API waits for the rest.
        var slow = await StartSlowUploadAsync("first-platform");
        try
        {
            // Probe (each from a client of its own, clear of the per-client limit) until the server is inside the slow
            // one. A probe before that is answered 422 and stores nothing; a slow upload that arrived while a probe held
            // the slot was itself refused (an answer is waiting on its socket), and is started again.
            HttpResponseMessage refused;
            int probes = 0;
            do
            {
                if (slow.Available > 0)
                {
                    slow.Dispose();
                    slow = await StartSlowUploadAsync($"first-platform-{probes}");
                }

                using var probe = await ClientAsync($"probe-{probes++}");
                refused = await probe.PostAsync("/v1/verifications", NoConsentForm());
                if (refused.StatusCode == HttpStatusCode.UnprocessableEntity && probes < 100)
                {
                    refused.Dispose();
                    continue;
                }

                break;
            }
            while (true);

            using (refused)
            {
                await ProblemAssert.IsAsync(refused, HttpStatusCode.ServiceUnavailable, "server_busy");
            }
        }
        finally
        {
            // The slow client gives up; its slot comes free and the service goes on serving.
            slow.Dispose();
        }

        // Served again once the server has noticed the slow client is gone. Each attempt from a client of its own: a
        // refused attempt still counts against its client's rate (the per-client limits come first).
        HttpStatusCode status;
        int attempts = 0;
        while (true)
        {
            using var retrying = await ClientAsync($"second-platform-{attempts}");
            using var served = await retrying.PostAsync("/v1/verifications", NoConsentForm());
            status = served.StatusCode;
            if (status != HttpStatusCode.ServiceUnavailable || ++attempts == 100)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
    }


    /// <summary>A submission that passes the limits and stops at the consent check, which stores nothing.</summary>
    private static MultipartFormDataContent NoConsentForm() => new() { { new StringContent("limit-test"), "subject_id" } };

    private async Task<string> CreateKeyAsync(string clientId)
    {
        await using var db = _factory.Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext();
        return (await _factory.Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, clientId, ApiRole.Client)).Text;
    }

    private async Task<HttpClient> ClientAsync(string clientId)
    {
        string key = await CreateKeyAsync(clientId);
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// Sends a submission's headers and the first bytes of its form over a socket of its own, flushed, and no more:
    /// an upload over a slow link. Closing the client ends it.
    /// </summary>
    private async Task<System.Net.Sockets.TcpClient> StartSlowUploadAsync(string clientId)
    {
        string key = await CreateKeyAsync(clientId);
        using var addressSource = _factory.CreateClient();
        var server = addressSource.BaseAddress!;
        var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(server.Host, server.Port);
        string head = $"POST /v1/verifications HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {key}\r\n"
            + "Content-Type: multipart/form-data; boundary=slow\r\nContent-Length: 100000\r\n\r\n--slow\r\n";
        var stream = socket.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();
        return socket;
    }
}
