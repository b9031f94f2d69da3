using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Protection;

namespace Verify.Storage;

/// <summary>At start-up: checks the encryption keys (a bad key stops the host) and applies pending migrations (<see cref="DatabaseMigrator"/>).</summary>
internal sealed partial class StorageInitializer(IServiceProvider services, IOptions<StorageOptions> options, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ProtectionKeyRing>();
        if (!options.Value.MigrateOnStart)
        {
            return;
        }

        var factory = services.GetRequiredService<IDbContextFactory<VerifyDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        int applied = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(db, cancellationToken).ConfigureAwait(false);
        LogReady(logger, options.Value.ParsedProvider.ToString(), applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready on {Provider}: {Applied} migrations applied")]
    private static partial void LogReady(ILogger logger, string provider, int applied);
}
