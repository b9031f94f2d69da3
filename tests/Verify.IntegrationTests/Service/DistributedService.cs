using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;
using Verify.IntegrationTests.Storage;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// The service in distributed mode: a real RabbitMQ (scripts/rabbitmq.sh), a real PostgreSQL (scripts/postgres.sh) and
/// an S3-compatible server for the images (scripts/s3.sh) on 127.0.0.1, the API in this process and workers as separate processes (the built Verify.Worker), which tests
/// start and kill. A listener on the broker records every event the platform would receive.
/// </summary>
public sealed class DistributedService : IAsyncLifetime
{
    /// <summary>The built worker, from the configuration these tests were built in.</summary>
    internal static readonly string WorkerDll = Path.Combine(TestPaths.RepoRoot, "src", "Verify.Worker", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "Verify.Worker.dll");

    private readonly PostgresServer _postgres = new();
    private readonly S3Server _s3 = new();
    private readonly string _s3Prefix = S3Server.Prefix("distributed");
    private readonly ConcurrentQueue<object> _events = new();
    private readonly List<Process> _workers = [];
    private WebApplicationFactory<Program>? _api;
    private readonly Lazy<PipelineFixture> _pipeline = new(() => new PipelineFixture());
    private HostReceiveEndpointHandle? _listener;

    public IReadOnlyCollection<object> Events => _events;

    public string ClientKey { get; private set; } = "";

    public string LogDirectory { get; } = Directory.CreateTempSubdirectory("verify-distributed-").FullName;

    public IServiceProvider Services => _api!.Services;

    /// <summary>A document reader in the test process, built on first use: the distributed-mode API loads no model to lend one.</summary>
    public Verify.Documents.Reading.DocumentReader Reader => _pipeline.Value.Get<Verify.Documents.Reading.DocumentReader>();

    private Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        // The broker's own account for the service, as scripts/run-distributed.sh uses it: guest is deleted there.
        string broker = await Scripts.RunAsync("rabbitmq.sh", "start");
        string passwordFile = broker.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Single(part => part.StartsWith("password-file=", StringComparison.Ordinal))["password-file=".Length..];
        await _postgres.InitializeAsync();
        Settings["Storage:Provider"] = "PostgreSql";
        Settings["Storage:ConnectionString"] = _postgres.ConnectionString;
        await _s3.InitializeAsync();
        foreach (var (key, value) in _s3.Settings(_s3Prefix))
        {
            Settings[key] = value!;
        }

        Settings["Protection:Keys:k1"] = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);
        Settings["Protection:ActiveKeyId"] = "k1";
        Settings["Protection:FingerprintKey"] = Convert.ToBase64String([.. Enumerable.Range(101, 32).Select(i => (byte)i)]);
        Settings["Messaging:Transport"] = "RabbitMq";
        Settings["Messaging:RabbitMqPort"] = Environment.GetEnvironmentVariable("VERIFY_RABBITMQ_PORT") ?? "56720";
        Settings["Messaging:RabbitMqUsername"] = "verify";
        Settings["Messaging:RabbitMqPassword"] = (await File.ReadAllTextAsync(passwordFile)).Trim();
        Settings["Messaging:OutboxPollInterval"] = "00:00:00.100";
        Settings["Inference:IntraOpThreads"] = "1";
        // LFW's 150-pixel selfies hold 39-79 px faces; the default gate (80 px) is for phone cameras.
        Settings["Quality:MinFaceSizePixels"] = "32";
        await StartApiAsync();
        await using var db = Database();
        ClientKey = (await Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, "platform", ApiRole.Client)).Text;
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers.Where(w => !w.HasExited))
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }

        await StopApiAsync();
        if (_pipeline.IsValueCreated)
        {
            _pipeline.Value.Dispose();
        }

        await _postgres.DisposeAsync();
        Directory.Delete(LogDirectory, recursive: true);
    }

    /// <summary>The broker's port (the test RabbitMQ's).</summary>
    public int BrokerPort => int.Parse(Settings["Messaging:RabbitMqPort"], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The database server's port.</summary>
    public int DatabasePort => new Npgsql.NpgsqlConnectionStringBuilder(Settings["Storage:ConnectionString"]).Port;

    /// <summary>
    /// A second API host on the same servers with <paramref name="overrides"/> (e.g. through a <see cref="TcpRelay"/>),
    /// which the test owns and disposes.
    /// </summary>
    public WebApplicationFactory<Program> ApiFactory(IReadOnlyDictionary<string, string> overrides) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in Settings.Concat(overrides))
            {
                builder.UseSetting(key, value);
            }
        });

    /// <summary>The database connection string with another port (to reach the server through a relay).</summary>
    public string ConnectionStringWithPort(int port) =>
        new Npgsql.NpgsqlConnectionStringBuilder(Settings["Storage:ConnectionString"]) { Port = port }.ConnectionString;

    /// <summary>Starts (or restarts) the API process's host with a fresh listener on the broker.</summary>
    public async Task StartApiAsync()
    {
        _api = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in Settings)
            {
                builder.UseSetting(key, value);
            }
        });
        _ = _api.Server;
        _listener = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("verify-tests-events", endpoint =>
        {
            endpoint.Handler<IdentityVerified>(context => Record(context.Message));
            endpoint.Handler<VerificationCompleted>(context => Record(context.Message));
        });
        await _listener.Ready;
    }

    public async Task StopApiAsync()
    {
        if (_listener is not null)
        {
            await _listener.StopAsync();
            _listener = null;
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
            _api = null;
        }
    }

    public HttpClient Client() => Client(ClientKey);

    /// <summary>A client of a tenant of its own (a new API key for <paramref name="clientId"/>).</summary>
    public async Task<HttpClient> NewClientAsync(string clientId)
    {
        await using var db = Database();
        return Client((await Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, clientId, ApiRole.Client)).Text);
    }

    private HttpClient Client(string key)
    {
        var client = _api!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Overwrites the stored images of a verification in the bucket with bytes that no key opens.</summary>
    public async Task DamageStoredImagesAsync(Guid verificationId)
    {
        await using var db = Database();
        var ids = await db.Blobs.Where(b => b.VerificationId == verificationId).Select(b => b.Id).ToListAsync();
        Assert.NotEmpty(ids);
        using var client = _s3.Client();
        foreach (var id in ids)
        {
            await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
            {
                BucketName = _s3.Bucket, Key = $"{_s3Prefix}{id:N}.blob", ContentBody = "not a ciphertext of ours", UseChunkEncoding = false,
            });
        }
    }

    /// <summary>The blob ids whose content is in the bucket now, read from the bucket itself.</summary>
    public async Task<HashSet<Guid>> StoredObjectIdsAsync()
    {
        using var client = _s3.Client();
        var ids = new HashSet<Guid>();
        var request = new Amazon.S3.Model.ListObjectsV2Request { BucketName = _s3.Bucket, Prefix = _s3Prefix };
        Amazon.S3.Model.ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? [])
            {
                ids.Add(Guid.ParseExact(item.Key[_s3Prefix.Length..][..32], "N"));
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return ids;
    }

    public VerifyDbContext Database() => Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext();

    /// <summary>Starts a worker process (Verify.Worker, CPU queue) with the same configuration as the API, and <paramref name="overrides"/>.</summary>
    public Process StartWorker(IReadOnlyDictionary<string, string>? overrides = null)
    {
        if (!File.Exists(WorkerDll))
        {
            throw new FileNotFoundException($"Build the solution first: {WorkerDll} is missing.", WorkerDll);
        }

        var start = new ProcessStartInfo("dotnet", [WorkerDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(WorkerDll)!,
        };
        foreach (var (key, value) in Settings.Concat(overrides ?? new Dictionary<string, string>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(LogDirectory, $"worker-{process.Id}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { lock (log) { log.WriteLine(line.Data); } } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { lock (log) { log.WriteLine(line.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _workers.Add(process);
        return process;
    }

    /// <summary>What the workers wrote, for a failure message.</summary>
    public string WorkerLogs() => string.Join("\n", Directory.GetFiles(LogDirectory).Select(file =>
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return $"== {Path.GetFileName(file)}\n{new StreamReader(stream).ReadToEnd()}";
    }));

    public async Task<VerificationState> WaitForStateAsync(Guid id, Func<VerificationState, bool> reached, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = Database();
            var state = await db.Verifications.Where(v => v.Id == id).Select(v => v.State).SingleAsync();
            if (reached(state) || DateTime.UtcNow > deadline)
            {
                return state;
            }

            await Task.Delay(100);
        }
    }

    private Task Record(object message)
    {
        _events.Enqueue(message);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DistributedServiceCollection : ICollectionFixture<DistributedService>
{
    public const string Name = "distributed service";
}
