using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Protection;

namespace Verify.Storage;

/// <summary>At start-up: checks the encryption keys (a bad key stops the host) and applies pending migrations.</summary>
internal sealed partial class StorageInitializer(IServiceProvider services, IOptions<StorageOptions> options, ILogger<StorageInitializer> logger) : IHostedService
{
    /// <summary>The advisory lock key hosts take while they migrate a PostgreSQL database ("verify migrations").</summary>
    private const long MigrationLockKey = 0x7665_7269_6679_6d67;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ProtectionKeyRing>();
        if (!options.Value.MigrateOnStart)
        {
            return;
        }

        var factory = services.GetRequiredService<IDbContextFactory<VerifyDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        bool postgres = options.Value.ParsedProvider == DatabaseProvider.PostgreSql;
        if (postgres)
        {
            // Several hosts start at once (API replicas, workers) and each migrates: EF's own migration lock did not
            // stop two of them applying the same migration to a fresh database ("column already exists", the loser
            // exits). A session advisory lock held across the pending check and the migration serialises them; the
            // later ones then find nothing pending. PostgreSQL drops it with the session if a host dies.
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            if (pending.Count > 0)
            {
                await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }

            LogReady(logger, options.Value.ParsedProvider.ToString(), pending.Count);
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready on {Provider}: {Applied} migrations applied")]
    private static partial void LogReady(ILogger logger, string provider, int applied);
}
