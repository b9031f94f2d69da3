using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.Pipeline.Retention;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Storage;

/// <summary>
/// The subject lock on SQLite as embedded mode uses it: a file, one connection per context. The second holder waits
/// until the first commits and then reads what the first wrote; each client's subject is its own row.
/// </summary>
public sealed class SubjectLockTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("verify-subject-lock-").FullName;
    private DbContextOptions<VerifyDbContext> _options = null!;

    public async Task InitializeAsync()
    {
        _options = new DbContextOptionsBuilder<VerifyDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_directory, "verify.db")}", sqlite => sqlite.MigrationsAssembly("Verify.Data.Sqlite")).Options;
        await using var db = Context();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_second_holder_waits_until_the_first_commits_and_then_sees_what_it_wrote()
    {
        var consent = await AddConsentAsync("client-a", "subject-1");
        await using var first = Context();
        await using var second = Context();
        await using var held = await first.Database.BeginTransactionAsync();
        await SubjectLock.TakeAsync(first, "client-a", "subject-1", SubjectLockHolder.Erasure);
        await first.Consents.Where(c => c.Id == consent).ExecuteUpdateAsync(set => set.SetProperty(c => c.WithdrawnAt, DateTime.UnixEpoch));

        var waiting = Task.Run(async () =>
        {
            await using var transaction = await second.Database.BeginTransactionAsync();
            await SubjectLock.TakeAsync(second, "client-a", "subject-1", SubjectLockHolder.Decision);
            bool withdrawn = await second.Consents.AnyAsync(c => c.Id == consent && c.WithdrawnAt != null);
            await transaction.CommitAsync();
            return withdrawn;
        });

        // Held: a lock that did not block would have read the consent (not yet withdrawn) and finished by now.
        Assert.NotSame(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(1))));
        await held.CommitAsync();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)), "the second holder re-checked the consent after the first committed");
        await using var check = Context();
        Assert.Equal(2, (await check.Subjects.SingleAsync()).Version);
    }

    [Fact]
    public async Task Each_client_s_subject_is_its_own_row_and_the_lock_needs_a_transaction()
    {
        await using var db = Context();
        await Assert.ThrowsAsync<InvalidOperationException>(() => SubjectLock.TakeAsync(db, "client-a", "subject-1", SubjectLockHolder.Decision));
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await SubjectLock.TakeAsync(db, "client-a", "subject-1", SubjectLockHolder.Decision);
            await SubjectLock.TakeAsync(db, "client-a", "subject-1", SubjectLockHolder.Review);
            await SubjectLock.TakeAsync(db, "client-b", "subject-1", SubjectLockHolder.Erasure);
            await transaction.CommitAsync();
        }

        var rows = await db.Subjects.AsNoTracking().OrderBy(s => s.ClientId).ToListAsync();
        Assert.Equal([("client-a", "subject-1", 2L), ("client-b", "subject-1", 1L)], rows.Select(s => (s.ClientId, s.SubjectId, s.Version)));
    }

    [Fact]
    public async Task A_client_s_erasure_takes_its_own_row_and_an_admin_s_takes_every_client_s()
    {
        await using var store = await SqliteTestStore.CreateAsync();
        await store.AddVerificationAsync("subject-1", clientId: "client-a");
        await store.AddVerificationAsync("subject-1", clientId: "client-b");
        var eraser = new SubjectEraser(store.Blobs, store.Time);
        await using var db = store.CreateDbContext();

        await eraser.EraseAsync(db, "subject-1", new ApiCaller("key-a", "client-a", ApiRole.Client), "client-a");
        Assert.Equal([("client-a", 1L)], await VersionsAsync(db));

        await eraser.EraseAsync(db, "subject-1", new ApiCaller("key-admin", "operator", ApiRole.Admin), clientId: null);
        Assert.Equal([("client-a", 2L), ("client-b", 1L)], await VersionsAsync(db));
    }

    private static async Task<List<(string, long)>> VersionsAsync(VerifyDbContext db) =>
        [.. (await db.Subjects.AsNoTracking().Where(s => s.SubjectId == "subject-1").OrderBy(s => s.ClientId).ToListAsync()).Select(s => (s.ClientId, s.Version))];

    private VerifyDbContext Context() => new(_options);

    private async Task<Guid> AddConsentAsync(string clientId, string subjectId)
    {
        await using var db = Context();
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), ClientId = clientId, SubjectId = subjectId, BiometricProcessing = true, PolicyVersion = "2026-11", GrantedAt = DateTime.UnixEpoch,
        };
        db.Consents.Add(consent);
        await db.SaveChangesAsync();
        return consent.Id;
    }
}
