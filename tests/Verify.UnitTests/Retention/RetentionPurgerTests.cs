using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verify.Data.Entities;
using Verify.Pipeline.Retention;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Retention;

/// <summary>The purge of what is not biometric but still names a subject: webhook bodies, challenges, old audit rows.</summary>
public sealed class RetentionPurgerTests
{
    [Fact]
    public async Task Finished_webhook_deliveries_go_after_their_retention_and_pending_ones_never_do()
    {
        await using var store = await SqliteTestStore.CreateAsync();
        var options = new RetentionOptions();
        await using (var db = store.CreateDbContext())
        {
            db.WebhookDeliveries.AddRange(
                Delivery("delivered", WebhookDeliveryState.Delivered, store.Now),
                Delivery("failed", WebhookDeliveryState.Failed, store.Now),
                Delivery("pending", WebhookDeliveryState.Pending, store.Now));
            await db.SaveChangesAsync();
        }

        var purger = new RetentionPurger(store.Blobs, Options.Create(options), store.Time);
        store.Time.Now += options.WebhookDeliveryRetention - TimeSpan.FromMinutes(1);
        await using (var db = store.CreateDbContext())
        {
            Assert.Equal(0, (await purger.PurgeAsync(db)).WebhookDeliveries);
        }

        store.Time.Now += TimeSpan.FromMinutes(2);
        await using (var db = store.CreateDbContext())
        {
            Assert.Equal(2, (await purger.PurgeAsync(db)).WebhookDeliveries);
            Assert.Equal(["pending"], await db.WebhookDeliveries.Select(d => d.Endpoint).ToListAsync());
        }
    }

    [Fact]
    public async Task Challenges_used_or_not_go_once_expired_for_the_retention_and_live_ones_stay()
    {
        await using var store = await SqliteTestStore.CreateAsync();
        var options = new RetentionOptions();
        await using (var db = store.CreateDbContext())
        {
            db.LivenessChallenges.AddRange(
                Challenge("used", store.Now.AddMinutes(5), usedAt: store.Now),
                Challenge("unused", store.Now.AddMinutes(5), usedAt: null),
                Challenge("live", store.Now.AddDays(30), usedAt: null));
            await db.SaveChangesAsync();
        }

        store.Time.Now += options.ChallengeRetention + TimeSpan.FromMinutes(10);
        await using (var db = store.CreateDbContext())
        {
            var report = await new RetentionPurger(store.Blobs, Options.Create(options), store.Time).PurgeAsync(db);
            Assert.Equal(2, report.Challenges);
            Assert.Equal(["live"], await db.LivenessChallenges.Select(c => c.Instruction).ToListAsync());
        }
    }

    [Fact]
    public async Task Old_audit_rows_forget_their_subject_and_keep_the_rest_and_recent_rows_are_untouched()
    {
        await using var store = await SqliteTestStore.CreateAsync();
        var options = new RetentionOptions();
        await using (var db = store.CreateDbContext())
        {
            db.AuditEvents.Add(new AuditEvent { At = store.Now, Actor = "k1", Action = "verification.submitted", ClientId = "client-a", SubjectId = "old-subject" });
            await db.SaveChangesAsync();
        }

        store.Time.Now += options.AuditSubjectRetention + TimeSpan.FromDays(1);
        await using (var db = store.CreateDbContext())
        {
            db.AuditEvents.Add(new AuditEvent { At = store.Now, Actor = "k1", Action = "verification.submitted", ClientId = "client-a", SubjectId = "new-subject" });
            await db.SaveChangesAsync();
            var report = await new RetentionPurger(store.Blobs, Options.Create(options), store.Time).PurgeAsync(db);
            Assert.Equal(1, report.AuditSubjects);
        }

        await using (var check = store.CreateDbContext())
        {
            var rows = await check.AuditEvents.Where(a => a.Action == "verification.submitted").OrderBy(a => a.Id).ToListAsync();
            Assert.Null(rows[0].SubjectId);
            Assert.Null(rows[0].SubjectSalt);
            // What the chain covers stays: the digest, the actor, the client, the action.
            Assert.NotNull(rows[0].SubjectDigest);
            Assert.Equal(("k1", "client-a"), (rows[0].Actor, rows[0].ClientId));
            Assert.Equal("new-subject", rows[1].SubjectId);
            Assert.NotNull(rows[1].SubjectSalt);
            // The purge itself is on the record.
            Assert.True(await check.AuditEvents.AnyAsync(a => a.Action == "retention.purged"));
        }
    }

    [Fact]
    public async Task Daily_usage_counters_go_after_their_retention_and_recent_days_stay()
    {
        await using var store = await SqliteTestStore.CreateAsync();
        var options = new RetentionOptions();
        var today = DateOnly.FromDateTime(store.Now);
        await using (var db = store.CreateDbContext())
        {
            db.ClientUsage.AddRange(
                new ClientUsage { ClientId = "client-a", Day = today.AddDays(-(int)options.ClientUsageRetention.TotalDays - 1), RequestBytes = 10 },
                new ClientUsage { ClientId = "client-a", Day = today, RequestBytes = 20 });
            await db.SaveChangesAsync();
            var report = await new RetentionPurger(store.Blobs, Options.Create(options), store.Time).PurgeAsync(db);
            Assert.Equal(1, report.UsageCounters);
            Assert.Equal([today], await db.ClientUsage.Select(u => u.Day).ToListAsync());
        }
    }

    private static WebhookDelivery Delivery(string endpoint, WebhookDeliveryState state, DateTime at) => new()
    {
        Id = Guid.NewGuid(), EventId = Guid.NewGuid(), Endpoint = endpoint, EventType = "badge.revoked", Body = "{}", State = state,
        CreatedAt = at, NextAttemptAt = at,
    };

    private static LivenessChallenge Challenge(string instruction, DateTime expiresAt, DateTime? usedAt) => new()
    {
        Id = Guid.NewGuid(), ClientId = "client-a", NonceHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), Instruction = instruction, CreatedAt = expiresAt.AddMinutes(-10),
        ExpiresAt = expiresAt, UsedAt = usedAt,
    };
}
