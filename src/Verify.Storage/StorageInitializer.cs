using System.Data.Common;
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
            // Asked again every second rather than waited for in one statement: a wait behind a long migration would
            // outlast the command timeout and stop this host, which is what the lock is here to prevent.
            while (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({MigrationLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
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
                // Closing the session releases the lock as well; the unlock only frees it before the pool reuses it.
                try
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is DbException or InvalidOperationException)
                {
                    LogUnlockFailed(logger, exception.GetType().Name);
                }

                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The migration lock could not be released ({Error}); closing the session releases it")]
    private static partial void LogUnlockFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready on {Provider}: {Applied} migrations applied")]
    private static partial void LogReady(ILogger logger, string provider, int applied);
}
