using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;

namespace Verify.Pipeline.Retention;

/// <summary>What one purge removed.</summary>
public sealed record PurgeReport(int Images, int Templates, int OrphanFiles, int SentMessages, int WebhookDeliveries, int Challenges, int AuditSubjects, int UsageCounters);

/// <summary>
/// Deletes whatever outlives the policy: images past their time to live (or their review window), templates past their
/// expiry (three years after last use by default), orphaned image files, old sent outbox messages, finished webhook
/// deliveries, expired liveness challenges, old daily usage counters, and the subject ids of old audit rows (docs/architecture.md, retention).
/// </summary>
public sealed class RetentionPurger(EncryptedBlobStore blobs, IOptions<RetentionOptions> options, TimeProvider time)
{
    public async Task<PurgeReport> PurgeAsync(VerifyDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow().UtcDateTime;
        // The database-only steps first: an unreachable content store (a bucket down) must not keep expired templates.
        int templates = await db.FaceTemplates.Where(t => t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var sentBefore = now - options.Value.SentMessageRetention;
        int messages = await db.Outbox.Where(m => m.SentAt != null && m.SentAt < sentBefore).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var deliveredBefore = now - options.Value.WebhookDeliveryRetention;
        int deliveries = await db.WebhookDeliveries.Where(d => d.State != WebhookDeliveryState.Pending && d.CreatedAt < deliveredBefore)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var expiredBefore = now - options.Value.ChallengeRetention;
        int challenges = await db.LivenessChallenges.Where(c => c.ExpiresAt < expiredBefore).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var usageBefore = DateOnly.FromDateTime(now - options.Value.ClientUsageRetention);
        int usage = await db.ClientUsage.Where(u => u.Day < usageBefore).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var auditBefore = now - options.Value.AuditSubjectRetention;
        int auditSubjects = await db.AuditEvents.Where(a => a.At < auditBefore && (a.SubjectId != null || a.SubjectSalt != null))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.SubjectId, (string?)null).SetProperty(a => a.SubjectSalt, (byte[]?)null), cancellationToken)
            .ConfigureAwait(false);
        int images = 0, orphans = 0;
        try
        {
            images = await blobs.PurgeExpiredAsync(db, cancellationToken).ConfigureAwait(false);
            // A reviewer's decision deletes its case's images after committing; one cut short (a crash, the store down)
            // is finished here rather than at the end of the review window.
            var decided = await db.ReviewCases.Where(c => c.DecidedAt != null && db.Blobs.Any(b => b.VerificationId == c.Id))
                .Select(c => c.Id).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (decided.Count > 0)
            {
                images += await blobs.DeleteForVerificationsAsync(db, decided, cancellationToken).ConfigureAwait(false);
            }

            orphans = await blobs.SweepOrphanContentAsync(db, options.Value.OrphanGrace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (images + templates + auditSubjects > 0)
            {
                db.AuditEvents.Add(new AuditEvent { At = now, Actor = "retention", Action = "retention.purged" });
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new PurgeReport(images, templates, orphans, messages, deliveries, challenges, auditSubjects, usage);
    }
}

/// <summary>Runs the <see cref="RetentionPurger"/> at the configured interval (in the API process).</summary>
public sealed partial class RetentionService(
    IServiceScopeFactory scopes, RetentionPurger purger, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<VerifyDbContext>>()
            .CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var report = await purger.PurgeAsync(db, cancellationToken).ConfigureAwait(false);
        if (report.Images + report.Templates + report.OrphanFiles + report.WebhookDeliveries + report.Challenges + report.AuditSubjects > 0)
        {
            LogPurged(logger, report.Images, report.Templates, report.OrphanFiles, report.SentMessages, report.WebhookDeliveries, report.Challenges, report.AuditSubjects);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge: {Images} images, {Templates} templates, {Orphans} orphaned files, {Messages} sent messages, {Deliveries} webhook deliveries, {Challenges} challenges deleted; {AuditSubjects} audit rows forgot their subject")]
    private static partial void LogPurged(ILogger logger, int images, int templates, int orphans, int messages, int deliveries, int challenges, int auditSubjects);
}
