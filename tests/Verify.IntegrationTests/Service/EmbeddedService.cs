using System.Net;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.Documents.Reading;
using Verify.IntegrationTests.Documents;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;
using Verify.Synthetic.Chip;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// The service in embedded mode, as scripts/run.sh starts it (SQLite, in-memory bus, encrypted local blobs, the
/// pipeline in the API process) with the real models and Tesseract, a fresh data directory, one API key per role,
/// and a listener on the bus that records the events the platform would receive.
/// </summary>
public class EmbeddedService : IAsyncLifetime
{
    private readonly bool _onLoopback;
    private readonly ConcurrentQueue<object> _events = new();
    private WebApplicationFactory<Program>? _factory;
    private HostReceiveEndpointHandle? _listener;

    public EmbeddedService()
        : this(onLoopback: false)
    {
    }

    /// <param name="onLoopback">Serve on a real port on 127.0.0.1 (Kestrel) instead of the in-memory test server, for clients
    /// outside this process such as a browser; <see cref="BaseAddress"/> says where.</param>
    protected EmbeddedService(bool onLoopback) => _onLoopback = onLoopback;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("verify-embedded-").FullName;

    /// <summary>Where the service answers: a 127.0.0.1 URL on loopback, else the test server's placeholder.</summary>
    public Uri BaseAddress => _factory!.ClientOptions.BaseAddress;

    /// <summary>The platform's webhook endpoint, subscribed to every event.</summary>
    public WebhookReceiver Webhooks { get; } = new();

    public const string WebhookSecret = "test-webhook-secret-0123456789abcdef";

    public IServiceProvider Services => _factory!.Services;

    public IReadOnlyCollection<object> Events => _events;

    /// <summary>Keys by name: client (platform), other (a second client), reviewer, admin.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>The id of the key named <paramref name="name"/> (vk_{id}_{secret}): what the audit records as the actor.</summary>
    public string KeyId(string name) => Keys[name].Split('_')[1];

    /// <summary>A generated passport page the reader reads without findings, and two photos of its holder.</summary>
    public (byte[] Document, string Person, string PortraitPhoto) CleanDocument { get; private set; }

    /// <summary>A test CSCA and Document Signer whose CSCA (and CRL) the service trusts (Documents:Chip:TrustStore).</summary>
    public SyntheticChipIssuer ChipIssuer { get; } = SyntheticChipIssuer.Create();

    public async Task InitializeAsync()
    {
        string trustStore = Path.Combine(DataDirectory, "csca");
        ChipIssuer.WriteTrustStore(trustStore);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:DataDirectory", DataDirectory);
            builder.UseSetting("Documents:Chip:TrustStore", trustStore);
            builder.UseSetting("Messaging:OutboxPollInterval", "00:00:00.100");
            builder.UseSetting("Inference:IntraOpThreads", "2");
            builder.UseSetting("Webhooks:Endpoints:0:Name", "platform-hooks");
            builder.UseSetting("Webhooks:Endpoints:0:ClientId", "platform");
            builder.UseSetting("Webhooks:Endpoints:0:Url", Webhooks.Url.ToString());
            builder.UseSetting("Webhooks:Endpoints:0:Secret", WebhookSecret);
            builder.UseSetting("Webhooks:PollInterval", "00:00:00.100");
            // The selfies are LFW's 150-pixel photos with 39-79 px faces; the default gate (80 px) is for phone cameras.
            builder.UseSetting("Quality:MinFaceSizePixels", "32");
            if (_onLoopback)
            {
                // A free port, never appsettings.json's 5080 (a service started by hand, or another test run, may hold it).
                builder.UseSetting("Urls", "http://127.0.0.1:0");
            }

            Configure(builder);
        });
        if (_onLoopback)
        {
            _factory.UseKestrel(0);
            _factory.StartServer();
        }
        else
        {
            _ = _factory.Server;
        }

        await using (var db = await Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContextAsync())
        {
            var issuer = Services.GetRequiredService<ApiKeyIssuer>();
            foreach (var (name, client, role) in new[] { ("client", "platform", ApiRole.Client), ("other", "other-platform", ApiRole.Client), ("reviewer", "platform", ApiRole.Reviewer), ("other-reviewer", "other-platform", ApiRole.Reviewer), ("admin", "operator", ApiRole.Admin) })
            {
                Keys[name] = (await issuer.CreateAsync(db, client, role)).Text;
            }
        }

        _listener = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint($"test-events-{Guid.NewGuid():N}", endpoint =>
        {
            endpoint.Handler<IdentityVerified>(context => Record(context.Message));
            endpoint.Handler<VerificationCompleted>(context => Record(context.Message));
            endpoint.Handler<BadgeRevoked>(context => Record(context.Message));
        });
        await _listener.Ready;
        CleanDocument = CleanDocuments.First(Services.GetRequiredService<DocumentReader>());
    }

    public async Task DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.StopAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Webhooks.Dispose();
        ChipIssuer.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Settings a variant of the service adds to the defaults above.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>A client sending the named key (<see cref="Keys"/>), a well-formed key that was never issued ("wrong"), or none (null).</summary>
    public HttpClient Client(string? key)
    {
        var client = _factory!.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key == "wrong" ? "vk_0000000000000000_not-a-real-secret" : Keys[key]);
        }

        return client;
    }

    /// <summary>
    /// A client whose request bodies stream as they are written (the default client buffers each body whole, to replay
    /// it on a redirect), sending <paramref name="key"/> as its API key.
    /// </summary>
    public HttpClient StreamingClient(string key)
    {
        var client = _factory!.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public VerifyDbContext Database() => Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext();

    /// <summary>A well-formed submission with consent.</summary>
    public static MultipartFormDataContent Submission(string subjectId, byte[] document, byte[] selfie, bool templateStorage = true)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(subjectId), "subject_id" },
            { new StringContent("true"), "biometric_processing" },
            { new StringContent(templateStorage ? "true" : "false"), "template_storage" },
            { new StringContent("2026-11"), "policy_version" },
        };
        form.Add(Image(document), "document_front", "front.jpg");
        form.Add(Image(selfie), "selfie", "selfie.jpg");
        return form;
    }

    public static ByteArrayContent Image(byte[] bytes, string type = "image/jpeg")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    /// <summary>
    /// POSTs an upload to <paramref name="path"/> (with an Idempotency-Key when given), checks that it was accepted with
    /// the Location of the new id, and returns that id and the status the answer gave.
    /// </summary>
    public static async Task<(Guid Id, string Status)> PostAcceptedAsync(HttpClient client, string path, HttpContent form, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"{path}/{id}", response.Headers.Location?.OriginalString);
        return (id, body.GetProperty("status").GetString()!);
    }

    /// <summary>Polls the verification until it is decided (or a minute passes) and returns its JSON.</summary>
    public Task<JsonElement> WaitForDecisionAsync(HttpClient client, Guid id) => WaitWhileQueuedAsync(client, $"/v1/verifications/{id}");

    /// <summary>Polls a verification or an impersonation report while its status is queued or processing (at most a minute) and returns its JSON.</summary>
    public static async Task<JsonElement> WaitWhileQueuedAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var body = await client.GetFromJsonAsync<JsonElement>(path);
            string status = body.GetProperty("status").GetString()!;
            if (status is not ("queued" or "processing") || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Waits up to 30 s for <paramref name="condition"/> to hold in the database: for what the service does just after a
    /// decision commits (the images' deletion), which a client can see decided a moment before.
    /// </summary>
    public async Task<bool> EventuallyAsync(Func<VerifyDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var db = Database())
            {
                if (await condition(db))
                {
                    return true;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits up to 30 s for an event matching <paramref name="match"/>.</summary>
    public async Task<T?> WaitForEventAsync<T>(Func<T, bool> match)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_events.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return null;
    }

    private Task Record(object message)
    {
        _events.Enqueue(message);
        return Task.CompletedTask;
    }
}

/// <summary>Generated passport pages the real reader reads with no finding at all, so that tests of the service are not tests of the reader.</summary>
internal static class CleanDocuments
{
    private static readonly Lock Gate = new();
    private static (byte[] Document, string Person, string PortraitPhoto)? _found;

    public static (byte[] Document, string Person, string PortraitPhoto) First(DocumentReader reader)
    {
        lock (Gate)
        {
            return _found ??= Find(reader);
        }
    }

    /// <summary>Another photo of the holder than the one printed on the document.</summary>
    public static byte[] HolderSelfie((byte[] Document, string Person, string PortraitPhoto) document)
    {
        string other = Directory.GetFiles(Path.Combine(TestPaths.LfwImages, document.Person), "*.jpg").Order(StringComparer.Ordinal)
            .First(file => !file.EndsWith(Path.GetFileName(document.PortraitPhoto), StringComparison.Ordinal));
        return File.ReadAllBytes(other);
    }

    /// <summary>Whether the reader reads the page without any finding, with a portrait and a settled MRZ.</summary>
    public static bool IsClean(DocumentReader reader, byte[] page)
    {
        using var read = reader.Read(page);
        return read.Status == DocumentReadStatus.Read && read.Findings.Count == 0 && read.Portrait is not null && MrzReader.IsSettled(read.Mrz);
    }

    /// <summary>The holder's photos but <see cref="HolderSelfie"/> (so the printed one among them), in name order.</summary>
    public static List<byte[]> OtherHolderPhotos((byte[] Document, string Person, string PortraitPhoto) document)
    {
        var selfie = HolderSelfie(document);
        return [.. Directory.GetFiles(Path.Combine(TestPaths.LfwImages, document.Person), "*.jpg").Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).Where(bytes => !bytes.AsSpan().SequenceEqual(selfie))];
    }

    /// <summary>The first photo of the first other person in LFW.</summary>
    public static byte[] StrangerSelfie((byte[] Document, string Person, string PortraitPhoto) document) =>
        File.ReadAllBytes(Directory.GetDirectories(TestPaths.LfwImages).Order(StringComparer.Ordinal)
            .Where(folder => Path.GetFileName(folder) != document.Person)
            .SelectMany(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(1))
            .First());

    private static (byte[] Document, string Person, string PortraitPhoto) Find(DocumentReader reader)
    {
        for (int index = 0; index < 20; index++)
        {
            var document = DocumentReadingTests.Generate(SyntheticDocumentKind.Td3, "none", seed: 71, index);
            var bytes = document.Files[0].Jpeg;
            if (IsClean(reader, bytes))
            {
                return (bytes, document.GroundTruth.Face.Person, document.GroundTruth.Face.File);
            }
        }

        throw new InvalidOperationException("None of 20 generated passport pages read without findings.");
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedServiceCollection : ICollectionFixture<EmbeddedService>
{
    public const string Name = "embedded service";
}
