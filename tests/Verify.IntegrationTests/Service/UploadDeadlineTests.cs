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
/// The limits an upload meets while its body is read and over its client's day, on the in-memory server (which has no
/// minimum data rate of its own: the in-app deadline is what cuts it off): a body too slow is cut off with 408 and frees its slot; a client past its bytes for the
/// day gets 429 until the next UTC day while another client is served.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class UploadDeadlineTests : IAsyncLifetime
{
    private const int BytesPerDay = 4000;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("verify-deadline-").FullName;
    private WebApplicationFactory<Program> _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:DataDirectory", _dataDirectory);
            builder.UseSetting("Upload:ConcurrentUploadsPerClient", "1");
            builder.UseSetting("Upload:BodyReadTimeout", "00:00:01");
            builder.UseSetting("Upload:RequestBytesPerClientPerDay", BytesPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_body_that_does_not_arrive_in_time_gets_408_and_its_slot_is_free_again()
    {
        using var client = await ClientAsync("trickling-platform");
        using var stop = new CancellationTokenSource();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = new TricklingContent(stop.Token, maxBytes: 50) })
        using (var response = await client.SendAsync(request))
        {
            await stop.CancelAsync();
            await ProblemAssert.IsAsync(response, HttpStatusCode.RequestTimeout, "upload_too_slow");
        }

        // The client's only in-flight slot was given back: its next upload gets as far as the consent check.
        using var next = await client.PostAsync("/v1/verifications", NoConsentForm(100));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, next.StatusCode);
    }

    [Fact]
    public async Task A_client_past_its_bytes_for_the_day_gets_429_until_the_next_utc_day_while_another_is_served()
    {
        using var heavy = await ClientAsync("heavy-platform");
        using var light = await ClientAsync("light-platform");
        using (var first = await heavy.PostAsync("/v1/verifications", NoConsentForm(BytesPerDay / 2)))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        }

        using (var refused = await heavy.PostAsync("/v1/verifications", NoConsentForm(BytesPerDay / 2)))
        {
            await ProblemAssert.IsAsync(refused, HttpStatusCode.TooManyRequests, "daily_quota_exceeded");
            Assert.True(refused.Headers.RetryAfter!.Delta <= TimeSpan.FromDays(1), "no later than the next UTC day");
        }

        await using (var db = _factory.Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext())
        {
            Assert.InRange(await db.ClientUsage.Where(u => u.ClientId == "heavy-platform").SumAsync(u => u.RequestBytes), BytesPerDay / 2, BytesPerDay);
        }

        using var served = await light.PostAsync("/v1/verifications", NoConsentForm(BytesPerDay / 2));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, served.StatusCode);
    }

    /// <summary>A form of about <paramref name="bytes"/> bytes that stops at the consent check, which stores nothing.</summary>
    private static MultipartFormDataContent NoConsentForm(int bytes) => new()
    {
        { new StringContent("deadline-test"), "subject_id" },
        { new StringContent(new string('p', bytes)), "padding" },
    };


    private async Task<HttpClient> ClientAsync(string clientId)
    {
        await using var db = _factory.Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext();
        string key = (await _factory.Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, clientId, ApiRole.Client)).Text;
        // Not the default client: it buffers a request body whole before sending it.
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
