using Microsoft.EntityFrameworkCore;
using Verify.Cli;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;
using static Verify.IntegrationTests.Fixtures.CliRunner;
using Verify.IntegrationTests.Storage;

namespace Verify.IntegrationTests.Cli;

/// <summary>`verify audit verify` on an embedded mode data directory (SQLite and its generated keys), run in-process.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class AuditCliTests : IAsyncLifetime
{
    private StorageHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StorageHost.StartAsync(new Dictionary<string, string?>());
        await using var db = _host.CreateDb();
        await new ApiKeyIssuer(TimeProvider.System).CreateAsync(db, "platform", ApiRole.Client);
        db.AuditEvents.Add(new AuditEvent { At = DateTime.UnixEpoch, Actor = "worker", ClientId = "platform", Action = "verification.verified", SubjectId = "subject-1" });
        db.AuditEvents.Add(new AuditEvent { At = DateTime.UnixEpoch, Actor = "retention", Action = "retention.purged" });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_sealed_chain_checks_out_and_a_modified_row_fails_the_check_by_name()
    {
        var intact = await Run("audit", "verify", "--data-dir", _host.DataDirectory, "--seal");

        Assert.Equal(0, intact.ExitCode);
        Assert.StartsWith("audit chain intact: 3 rows, head #3 ", intact.Output, StringComparison.Ordinal);

        long id;
        await using (var db = _host.CreateDb())
        {
            id = await db.AuditEvents.Where(a => a.Sequence == 2).Select(a => a.Id).SingleAsync();
            await db.Database.ExecuteSqlRawAsync("""UPDATE audit_events SET "Actor" = 'someone-else' WHERE "Sequence" = 2""");
        }

        var broken = await Run("audit", "verify", "--data-dir", _host.DataDirectory);

        Assert.Equal(ExitCodes.AuditBroken, broken.ExitCode);
        Assert.StartsWith($"audit chain broken at row {id} (sequence 2): modified: ", broken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_left_unsealed_since_long_ago_fail_the_check()
    {
        var result = await Run("audit", "verify", "--data-dir", _host.DataDirectory, "--grace", "01:00:00");

        Assert.Equal(ExitCodes.AuditBroken, result.ExitCode);
        Assert.Contains("(unsealed): left unsealed: unsealed since 1970-01-01", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_without_the_services_keys_is_refused_and_left_without_new_ones()
    {
        string empty = Directory.CreateTempSubdirectory("verify-audit-empty-").FullName;
        try
        {
            var result = await Run("audit", "verify", "--data-dir", empty);

            Assert.Equal(ExitCodes.BadInput, result.ExitCode);
            Assert.Contains("no keys at", result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(empty, "keys.json")));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
