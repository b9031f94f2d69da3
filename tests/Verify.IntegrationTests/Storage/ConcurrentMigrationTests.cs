using Microsoft.EntityFrameworkCore;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Storage;

/// <summary>
/// Hosts that start together on a fresh PostgreSQL database (API replicas and workers, each migrating at start) must
/// all come up: one applies the migrations, the others find none pending.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
public sealed class ConcurrentMigrationTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Six_hosts_migrating_a_fresh_database_at_once_all_start_and_the_schema_is_applied_once()
    {
        var settings = server.StorageSettings();
        using var start = new ManualResetEventSlim();
        var hosts = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await StorageHost.StartAsync(settings);
        })).ToArray();
        start.Set();

        try
        {
            // Every host must start: one that lost a race on the schema throws here.
            var started = await Task.WhenAll(hosts);
            await using var db = started[0].CreateDb();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.Equal(db.Database.GetMigrations().Count(), applied.Count);
            Assert.Equal(applied.Count, applied.Distinct(StringComparer.Ordinal).Count());
        }
        finally
        {
            foreach (var host in hosts.Where(host => host.IsCompletedSuccessfully))
            {
                await (await host).DisposeAsync();
            }
        }
    }
}
