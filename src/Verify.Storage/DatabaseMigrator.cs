using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Verify.Data;

namespace Verify.Storage;

/// <summary>
/// Applies the pending migrations of a database, one process at a time on PostgreSQL: the hosts at start-up
/// (<see cref="StorageInitializer"/>) and the command line (<c>verify keys</c>) go through it alike.
/// </summary>
public sealed partial class DatabaseMigrator(ILogger<DatabaseMigrator> logger)
{
    /// <summary>The advisory lock key processes take while they migrate a PostgreSQL database ("verify migrations").</summary>
    private const long MigrationLockKey = 0x7665_7269_6679_6d67;

    private const string PostgreSqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Applies what is pending and returns how many migrations that was (0: the schema was current).</summary>
    public async Task<int> MigrateAsync(VerifyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        bool postgres = db.Database.ProviderName == PostgreSqlProvider;
        if (postgres)
        {
            // Several hosts start at once (API replicas, workers) and each migrates: EF's own migration lock did not
            // stop two of them applying the same migration to a fresh database ("column already exists", the loser
            // exits). A session advisory lock held across the pending check and the migration serialises them; the
            // later ones then find nothing pending. PostgreSQL drops it with the session if a process dies.
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // Asked again every second rather than waited for in one statement: a wait behind a long migration would
            // outlast the command timeout and stop this process, which is what the lock is here to prevent.
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

            return pending.Count;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The migration lock could not be released ({Error}); closing the session releases it")]
    private static partial void LogUnlockFailed(ILogger logger, string error);
}
