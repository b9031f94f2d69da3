using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Verify.Data;
using Verify.Storage;

namespace Verify.IntegrationTests.Storage;

/// <summary>The storage services as a host builds them (AddVerifyStorage), on a fresh data directory, migrated.</summary>
public sealed class StorageHost : IAsyncDisposable
{
    private StorageHost(ServiceProvider services, string dataDirectory)
    {
        Services = services;
        DataDirectory = dataDirectory;
    }

    public ServiceProvider Services { get; }

    public string DataDirectory { get; }

    public static async Task<StorageHost> StartAsync(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        string dataDirectory = Directory.CreateTempSubdirectory("verify-storage-").FullName;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory })
            .AddInMemoryCollection(settings)
            .Build();
        var collection = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        var services = collection.AddVerifyStorage().BuildServiceProvider(validateScopes: true);
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return new StorageHost(services, dataDirectory);
    }

    public VerifyDbContext CreateDb() => Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
