using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>The embedded service with a small queue quota per client, and bodies that may trickle for the test's whole life.</summary>
public sealed class FairAdmissionService : EmbeddedService
{
    public const int QueuedPerClient = 3;

    public const int ConcurrentUploadsPerClient = 4;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Upload:QueuedPerClient", QueuedPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Upload:ConcurrentUploadsPerClient", ConcurrentUploadsPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The slow uploads below must stay in flight while the other client is served: no deadline or rate cuts them off.
        builder.UseSetting("Upload:BodyReadTimeout", "00:30:00");
        builder.UseSetting("Upload:MinBodyRateGrace", "00:10:00");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new AnswerRecorder(Answers)));
    }

    /// <summary>
    /// What the server answered each client, as the server sent it (a client still sending its body may not read the
    /// answer until it stops).
    /// </summary>
    public ConcurrentQueue<(string ClientId, int Status, string? RetryAfter)> Answers { get; } = new();

    private sealed class AnswerRecorder(ConcurrentQueue<(string ClientId, int Status, string? RetryAfter)> answers) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                try
                {
                    await following(context);
                }
                finally
                {
                    answers.Enqueue((context.User.FindFirst("client_id")?.Value ?? "", context.Response.StatusCode, context.Response.Headers.RetryAfter.FirstOrDefault()));
                }
            });
            next(app);
        };
    }

    /// <summary>A client with a key of its own (a fresh client id), so tests do not share quotas.</summary>
    public async Task<HttpClient> NewClientAsync(string clientId)
    {
        await using var db = Database();
        return StreamingClient((await Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, clientId, ApiRole.Client)).Text);
    }
}

/// <summary>
/// Fair admission with the real pipeline: one client's slow uploads (bodies that trickle and never finish, through the
/// in-memory server) or full queue never keep another client's submission out.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class FairAdmissionTests(FairAdmissionService service) : IClassFixture<FairAdmissionService>
{
    [Fact]
    public async Task Forty_one_slow_uploads_from_one_client_leave_another_clients_submission_accepted()
    {
        using var slowClient = await service.NewClientAsync("slow-platform");
        using var otherClient = await service.NewClientAsync("patient-platform");
        using var stop = new CancellationTokenSource();
        // What the issue measured: 8 in flight plus a queue of 32 filled by one client, and the 42nd upload refused.
        var slow = Enumerable.Range(0, 41).Select(_ => SendTricklingAsync(slowClient, stop.Token)).ToList();
        try
        {
            // The client's own share is taken; the rest of its uploads are refused at once, before their bodies are read
            // (as the server answered: the client sees those answers only when their bodies end, which is never).
            int refusedCount = 41 - FairAdmissionService.ConcurrentUploadsPerClient;
            Assert.True(await service.EventuallyAsync(_ => Task.FromResult(service.Answers.Count(a => a.ClientId == "slow-platform") >= refusedCount)),
                "the uploads beyond the client's share were answered");
            var refused = service.Answers.Where(a => a.ClientId == "slow-platform").ToList();
            Assert.Equal(refusedCount, refused.Count);
            Assert.All(refused, answer =>
            {
                Assert.Equal(StatusCodes.Status429TooManyRequests, answer.Status);
                Assert.True(int.Parse(answer.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture) > 0);
            });

            var (id, _) = await EmbeddedService.PostAcceptedAsync(otherClient, "/v1/verifications",
                EmbeddedService.Submission("patient-holder", service.CleanDocument.Document, CleanDocuments.HolderSelfie(service.CleanDocument), templateStorage: false));
            Assert.NotEqual(Guid.Empty, id);
            Assert.Equal(refusedCount, service.Answers.Count(a => a.ClientId == "slow-platform"));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var upload in slow)
            {
                try
                {
                    (await upload).Dispose();
                }
                catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException)
                {
                    // The test stopped it.
                }
            }
        }
    }

    [Fact]
    public async Task A_client_over_its_queue_quota_gets_429_with_retry_after_while_another_client_is_served()
    {
        using var busy = await service.NewClientAsync("queue-platform");
        using var other = await service.NewClientAsync("queue-neighbour");
        var queued = new List<VerificationRecord>();
        await using (var db = service.Database())
        {
            for (int i = 0; i < FairAdmissionService.QueuedPerClient; i++)
            {
                queued.Add(new VerificationRecord
                {
                    Id = Guid.NewGuid(), ClientId = "queue-platform", SubjectId = $"queued-{i}", State = i == 0 ? VerificationState.Processing : VerificationState.Queued,
                    CreatedAt = DateTime.UnixEpoch, UpdatedAt = DateTime.UnixEpoch,
                });
            }

            db.Verifications.AddRange(queued);
            await db.SaveChangesAsync();
        }

        using (var refused = await busy.PostAsync("/v1/verifications", NoConsentForm()))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
            Assert.Equal("urn:verify:problem:queue_quota_exceeded", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }

        await EmbeddedService.PostAcceptedAsync(other, "/v1/verifications",
            EmbeddedService.Submission("neighbour-holder", service.CleanDocument.Document, CleanDocuments.HolderSelfie(service.CleanDocument), templateStorage: false));

        // Once one of its verifications is decided the client is under its quota again (and gets as far as the consent check).
        await using (var db = service.Database())
        {
            db.Attach(queued[1]);
            queued[1].State = VerificationState.Rejected;
            await db.SaveChangesAsync();
        }

        using var served = await busy.PostAsync("/v1/verifications", NoConsentForm());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, served.StatusCode);
    }

    private static MultipartFormDataContent NoConsentForm() => new() { { new StringContent("quota-test"), "subject_id" } };

    private static Task<HttpResponseMessage> SendTricklingAsync(HttpClient client, CancellationToken stop)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = new TricklingContent(stop) };
        return client.SendAsync(request, stop);
    }
}

/// <summary>
/// A multipart body that starts, then sends one more byte every 100 ms and never ends: an upload over a very slow link
/// that holds its connection as long as it can. It stops when the test does, or after <c>maxBytes</c> bytes (unfinished).
/// </summary>
internal sealed class TricklingContent : HttpContent
{
    private readonly CancellationToken _stop;
    private readonly int _maxBytes;

    public TricklingContent(CancellationToken stop, int maxBytes = int.MaxValue)
    {
        _stop = stop;
        _maxBytes = maxBytes;
        Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=trickle");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        try
        {
            await stream.WriteAsync("--trickle\r\nContent-Disposition: form-data; name=\"subject_id\"\r\n\r\n"u8.ToArray(), _stop);
            await stream.FlushAsync(_stop);
            for (int sent = 0; sent < _maxBytes; sent++)
            {
                await Task.Delay(100, _stop);
                await stream.WriteAsync("a"u8.ToArray(), _stop);
                await stream.FlushAsync(_stop);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The test stopped, or the server answered without reading on: the upload ends here.
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
