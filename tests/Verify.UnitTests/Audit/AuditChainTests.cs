using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Verify.Data.Access;
using Verify.Data.Audit;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Pipeline.Audit;
using Verify.Pipeline.Retention;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Audit;

/// <summary>The audit chain: plain rows sealed in order, and every kind of tampering with them named at the first broken row.</summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    private SqliteTestStore _store = null!;
    private AuditRowMac _mac = null!;
    private AuditSealer _sealer = null!;
    private AuditChain _chain = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTestStore.CreateAsync();
        _mac = new AuditRowMac(_store.Keys);
        _sealer = new AuditSealer(_mac);
        _chain = new AuditChain(_mac, _store.Time);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Plain_rows_are_sealed_in_order_into_an_intact_chain()
    {
        await AddRowsAsync(3);
        Assert.Equal(3, await SealAsync());
        await AddRowsAsync(2);
        Assert.Equal(2, await SealAsync());

        var report = await VerifyAsync();

        Assert.True(report.Intact, report.FirstBreak?.Description);
        Assert.Equal((5L, 5L, 0), (report.Rows, report.HeadSequence, report.Unsealed));
        await using var db = _store.CreateDbContext();
        var rows = await db.AuditEvents.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([1L, 2, 3, 4, 5], rows.Select(a => a.Sequence!.Value));
        Assert.Null(rows[0].PreviousHash);
        Assert.All(rows.Skip(1), (row, i) => Assert.Equal(rows[i].Hash, row.PreviousHash));
        Assert.Equal(rows[^1].Hash, report.HeadHash);
    }

    [Theory]
    [InlineData("""UPDATE audit_events SET "Action" = 'verification.verified' WHERE "Sequence" = 3""", AuditBreakKind.Modified, 3, "altered since it was sealed")]
    [InlineData("""DELETE FROM audit_events WHERE "Sequence" = 3""", AuditBreakKind.MissingBefore, 4, "the row at position 3 is missing")]
    [InlineData("""UPDATE audit_events SET "SubjectId" = 'subject-someone-else' WHERE "Sequence" = 3""", AuditBreakKind.SubjectChanged, 3, "subject id")]
    public async Task Editing_or_deleting_a_sealed_row_is_named_at_the_first_broken_row(string tampering, AuditBreakKind kind, long sequence, string because)
    {
        await AddRowsAsync(5);
        await SealAsync();

        await SqlAsync(tampering);

        var broken = await AssertBreakAsync(kind, sequence, rowsBefore: 2);
        Assert.Contains(because, broken.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_forged_row_inserted_into_the_chain_is_named_as_inserted(bool withHash)
    {
        await AddRowsAsync(5);
        await SealAsync();
        byte[] previous = await HashAtAsync(2);

        // Make room at position 3 (in two steps, as the unique index wants), then slip a row in that links to row 2.
        await SqlAsync("""UPDATE audit_events SET "Sequence" = "Sequence" + 1000 WHERE "Sequence" >= 3""");
        await SqlAsync("""UPDATE audit_events SET "Sequence" = "Sequence" - 999 WHERE "Sequence" >= 1000""");
        byte[]? forgedHash = withHash ? RandomNumberGenerator.GetBytes(32) : null;
        string? keyId = withHash ? _mac.KeyId : null;
        await using (var db = _store.CreateDbContext())
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO audit_events ("At", "Actor", "Action", "ClientId", "Sequence", "PreviousHash", "Hash", "SealKeyId")
                VALUES ({_store.Now}, 'key-a', 'biometrics.deleted', 'client-a', 3, {previous}, {forgedHash}, {keyId})
                """);
        }

        var broken = await AssertBreakAsync(AuditBreakKind.Inserted, sequence: 3, rowsBefore: 2);
        await using var check = _store.CreateDbContext();
        Assert.Equal("biometrics.deleted", (await check.AuditEvents.SingleAsync(a => a.Id == broken.Id)).Action);
    }

    [Fact]
    public async Task A_row_left_unsealed_past_the_grace_period_is_reported_and_a_fresh_one_is_not()
    {
        await AddRowsAsync(2);
        await SealAsync();
        await AddRowsAsync(1);
        Assert.True((await VerifyAsync()).Intact);

        _store.Time.Now += Grace + TimeSpan.FromSeconds(1);

        var report = await VerifyAsync();
        var broken = Assert.IsType<AuditBreak>(report.FirstBreak);
        Assert.Equal((AuditBreakKind.Unsealed, (long?)null, 1), (broken.Kind, broken.Sequence, report.Unsealed));
        await using var db = _store.CreateDbContext();
        Assert.Equal(await db.AuditEvents.Where(a => a.Sequence == null).Select(a => a.Id).SingleAsync(), broken.Id);
    }

    [Fact]
    public async Task A_chain_checked_under_another_audit_key_says_so_rather_than_calling_rows_altered()
    {
        await AddRowsAsync(2);
        await SealAsync();
        var otherKey = new AuditRowMac(ProtectionKeyRing.Create(new ProtectionOptions
        {
            Keys = { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));

        await using var db = _store.CreateDbContext();
        var report = await new AuditChain(otherKey, _store.Time).VerifyAsync(db, Grace);

        var broken = Assert.IsType<AuditBreak>(report.FirstBreak);
        Assert.Equal((AuditBreakKind.OtherKey, 1L), (broken.Kind, broken.Sequence));
        Assert.Contains(_mac.KeyId, broken.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_written_before_the_chain_existed_get_their_subject_digest_when_sealed()
    {
        await SqlAsync("""INSERT INTO audit_events ("At", "Actor", "Action", "SubjectId") VALUES ('2026-11-01 08:00:00', 'client-a', 'verification.submitted', 'subject-old')""");

        await SealAsync();

        Assert.True((await VerifyAsync()).Intact);
        await using var db = _store.CreateDbContext();
        var row = await db.AuditEvents.SingleAsync();
        Assert.NotNull(row.SubjectDigest);
        Assert.True(AuditSubjects.Matches(row));
    }

    [Fact]
    public async Task Erasing_a_subject_leaves_no_subject_id_in_the_audit_and_the_chain_intact()
    {
        var erased = await _store.AddVerificationAsync("subject-1");
        var kept = await _store.AddVerificationAsync("subject-2");
        await using (var db = _store.CreateDbContext())
        {
            db.AuditEvents.Add(Row("subject-1", erased.Id));
            db.AuditEvents.Add(Row("subject-2", kept.Id));
            // Another client's row about the same subject id: not this client's to erase.
            db.AuditEvents.Add(new AuditEvent { At = _store.Now, Actor = "key-b", ClientId = "client-b", Action = "verification.submitted", SubjectId = "subject-1" });
            await db.SaveChangesAsync();
        }

        await SealAsync();
        await using (var db = _store.CreateDbContext())
        {
            // One row still waits for the sealer when the subject goes.
            db.AuditEvents.Add(Row("subject-1", erased.Id));
            await db.SaveChangesAsync();
            await new SubjectEraser(_store.Blobs, _store.Time).EraseAsync(db, "subject-1", new ApiCaller("key-a", "client-a", ApiRole.Client), "client-a");
        }

        await SealAsync();

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.FirstBreak?.Description);
        Assert.Equal(5, report.Rows);
        await using var check = _store.CreateDbContext();
        var rows = await check.AuditEvents.OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(["client-b"], rows.Where(a => a.SubjectId == "subject-1").Select(a => a.ClientId));
        Assert.Equal(["subject-2", "subject-1"], rows.Where(a => a.SubjectSalt is not null).Select(a => a.SubjectId));
        var deletion = rows[^1];
        Assert.Equal(("biometrics.deleted", "key-a", "client-a", (string?)null), (deletion.Action, deletion.Actor, deletion.ClientId, deletion.SubjectId));
        Assert.NotNull(deletion.SubjectDigest);
    }

    [Fact]
    public async Task Issuing_a_key_is_audited_with_its_id_and_role_but_nothing_secret()
    {
        await using var db = _store.CreateDbContext();
        var (key, text) = await new ApiKeyIssuer(_store.Time).CreateAsync(db, "trust-and-safety", ApiRole.Reviewer);

        var row = await db.AuditEvents.SingleAsync();
        Assert.Equal(("key.created", ApiKeyIssuer.OperatorActor, "trust-and-safety", $"reviewer:{key.KeyId}"), (row.Action, row.Actor, row.ClientId, row.Detail));
        Assert.DoesNotContain(text[(text.LastIndexOf('_') + 1)..], row.Detail, StringComparison.Ordinal);
    }

    private AuditEvent Row(string subjectId, Guid? verificationId = null) => new()
    {
        At = _store.Now, Actor = "key-a", ClientId = "client-a", Action = "verification.submitted", SubjectId = subjectId, VerificationId = verificationId,
    };

    private async Task AddRowsAsync(int count)
    {
        await using var db = _store.CreateDbContext();
        int existing = await db.AuditEvents.CountAsync();
        for (int i = 0; i < count; i++)
        {
            db.AuditEvents.Add(Row($"subject-{existing + i}", Guid.NewGuid()));
        }

        await db.SaveChangesAsync();
    }

    private async Task<int> SealAsync()
    {
        await using var db = _store.CreateDbContext();
        return await _sealer.SealAsync(db);
    }

    private async Task<AuditChainReport> VerifyAsync()
    {
        await using var db = _store.CreateDbContext();
        return await _chain.VerifyAsync(db, Grace);
    }

    private async Task<AuditBreak> AssertBreakAsync(AuditBreakKind kind, long sequence, long rowsBefore)
    {
        var report = await VerifyAsync();
        var broken = Assert.IsType<AuditBreak>(report.FirstBreak);
        Assert.Equal((kind, sequence, rowsBefore), (broken.Kind, broken.Sequence!.Value, report.Rows));
        await using var db = _store.CreateDbContext();
        Assert.Equal(sequence, (await db.AuditEvents.SingleAsync(a => a.Id == broken.Id)).Sequence);
        return broken;
    }

    private async Task<byte[]> HashAtAsync(long sequence)
    {
        await using var db = _store.CreateDbContext();
        return (await db.AuditEvents.SingleAsync(a => a.Sequence == sequence)).Hash!;
    }

    private async Task SqlAsync(string sql)
    {
        await using var db = _store.CreateDbContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
