using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.Pipeline.Retention;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Retention;

/// <summary>
/// The revocations an erasure announces: one per client that held a badge for the subject id, each naming its own
/// client, and never one for a client whose subject the erasure did not touch.
/// </summary>
public sealed class ErasureEventTests : IAsyncLifetime
{
    private SqliteTestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTestStore.CreateAsync();
        await _store.AddVerificationAsync("user-42", state: VerificationState.Verified, clientId: "client-a");
        await _store.AddVerificationAsync("user-42", state: VerificationState.Verified, clientId: "client-b");
        await _store.AddVerificationAsync("user-42", state: VerificationState.Rejected, clientId: "client-c");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_clients_erasure_revokes_its_own_badge_only()
    {
        await using var db = _store.CreateDbContext();
        var report = await new SubjectEraser(_store.Blobs, _store.Time).EraseAsync(db, "user-42", new ApiCaller("key-a", "client-a", ApiRole.Client), "client-a");

        Assert.True(report.BadgeRevoked);
        Assert.Equal([("client-a", "user-42")], await RevocationsAsync());
    }

    [Fact]
    public async Task An_admins_erasure_revokes_each_clients_badge_under_its_own_client()
    {
        await using var db = _store.CreateDbContext();
        var report = await new SubjectEraser(_store.Blobs, _store.Time).EraseAsync(db, "user-42", new ApiCaller("key-admin", "operator", ApiRole.Admin), clientId: null);

        Assert.True(report.BadgeRevoked);
        Assert.Equal([("client-a", "user-42"), ("client-b", "user-42")], await RevocationsAsync());
    }

    private async Task<List<(string ClientId, string SubjectId)>> RevocationsAsync()
    {
        await using var db = _store.CreateDbContext();
        var payloads = await db.Outbox.Where(m => m.MessageType == typeof(BadgeRevoked).FullName).Select(m => m.Payload).ToListAsync();
        return [.. payloads.Select(p => JsonSerializer.Deserialize<BadgeRevoked>(p, JsonSerializerOptions.Web)!)
            .Select(e => (e.ClientId, e.SubjectId)).Order()];
    }
}
