using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Impersonation;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Storage;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// Nothing stays queued or processing for ever: a verification or report whose lease lapsed (its command was lost with
/// a process, or the worker holding it died) gets a fresh command through the outbox and goes back to queued. Only a
/// lapsed processing lease (a worker started it and died or hung) counts toward <see cref="MessagingOptions.MaxRedrives"/>;
/// after that many the next such lapse gives it up (<see cref="VerificationAbandonment"/>, <see cref="ReportAbandonment"/>).
/// A row that lapsed while queued never started: its command was lost, or the queue is long; it is re-driven without
/// counting and never given up on for waiting (its images expire meanwhile, so a very late run ends it as
/// <c>images_unavailable</c>). Runs in every API instance: each re-drive is a save conditional on the lease it saw, so
/// two instances never re-drive one row twice. A row without a lease (accepted, never taken) is leased until its
/// acceptance plus <see cref="MessagingOptions.QueuedLease"/>.
/// </summary>
public sealed partial class CommandRedriver(
    IDbContextFactory<VerifyDbContext> databases,
    VerificationAbandonment verifications,
    ReportAbandonment reports,
    IOptions<MessagingOptions> options,
    PipelineTelemetry telemetry,
    TimeProvider time,
    ILogger<CommandRedriver> logger)
{
    private const int BatchSize = 100;

    /// <summary>One pass over the lapsed verifications and reports; returns how many were re-driven or given up on.</summary>
    public async Task<int> RedriveOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var acceptedBefore = now - options.Value.QueuedLease;
        int max = options.Value.MaxRedrives;
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stuckVerifications = await db.Verifications.AsNoTracking()
            .Where(v => (v.State == VerificationState.Queued || v.State == VerificationState.Processing)
                && (v.LeaseExpiresAt < now || (v.LeaseExpiresAt == null && v.CreatedAt < acceptedBefore)))
            .OrderBy(v => v.CreatedAt).Select(v => new { v.Id, v.RedriveCount, Started = v.State == VerificationState.Processing }).Take(BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        var stuckReports = await db.ImpersonationReports.AsNoTracking()
            .Where(r => (r.State == ImpersonationReportState.Queued || r.State == ImpersonationReportState.Processing)
                && (r.LeaseExpiresAt < now || (r.LeaseExpiresAt == null && r.CreatedAt < acceptedBefore)))
            .OrderBy(r => r.CreatedAt).Select(r => new { r.Id, r.RedriveCount, Started = r.State == ImpersonationReportState.Processing }).Take(BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        int acted = 0;
        foreach (var stuck in stuckVerifications)
        {
            bool giveUp = stuck.Started && stuck.RedriveCount >= max;
            bool done = giveUp
                ? await verifications.GiveUpAsync(stuck.Id, now, cancellationToken).ConfigureAwait(false) == ProcessOutcome.Decided
                : await RedriveAsync(report: false, stuck.Id, new VerifyIdentity(stuck.Id), now, cancellationToken).ConfigureAwait(false);
            acted += Count(done, Kind.Verification, giveUp, stuck.Id);
        }

        foreach (var stuck in stuckReports)
        {
            bool giveUp = stuck.Started && stuck.RedriveCount >= max;
            bool done = giveUp
                ? await reports.GiveUpAsync(stuck.Id, now, cancellationToken).ConfigureAwait(false) == AssessOutcome.Assessed
                : await RedriveAsync(report: true, stuck.Id, new AssessImpersonationReport(stuck.Id), now, cancellationToken).ConfigureAwait(false);
            acted += Count(done, Kind.Report, giveUp, stuck.Id);
        }

        return acted;
    }

    private enum Kind
    {
        Verification,
        Report,
    }

    /// <summary>
    /// Queues the row again with a fresh command, in one save conditional on the state and lease it had: a worker that
    /// took it meanwhile, or another instance that re-drove it first, makes this save fail and change nothing. Counted
    /// as a re-drive only when it had started (processing).
    /// </summary>
    private async Task<bool> RedriveAsync<TCommand>(bool report, Guid id, TCommand command, DateTime now, CancellationToken cancellationToken)
        where TCommand : class
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        object? row = report
            ? (object?)await db.ImpersonationReports.FindAsync([id], cancellationToken).ConfigureAwait(false)
            : await db.Verifications.FindAsync([id], cancellationToken).ConfigureAwait(false);
        switch (row)
        {
            case VerificationRecord verification when Lapsed(verification.State is VerificationState.Queued or VerificationState.Processing,
                verification.LeaseExpiresAt, verification.CreatedAt, now):
                verification.RedriveCount += verification.State == VerificationState.Processing ? 1 : 0;
                verification.State = VerificationState.Queued;
                verification.LeaseExpiresAt = now + options.Value.QueuedLease;
                verification.UpdatedAt = now;
                break;
            case ImpersonationReport assessment when Lapsed(assessment.State is ImpersonationReportState.Queued or ImpersonationReportState.Processing,
                assessment.LeaseExpiresAt, assessment.CreatedAt, now):
                assessment.RedriveCount += assessment.State == ImpersonationReportState.Processing ? 1 : 0;
                assessment.State = ImpersonationReportState.Queued;
                assessment.LeaseExpiresAt = now + options.Value.QueuedLease;
                break;
            default:
                return false;
        }

        Outbox.Add(db, command, now);
        return await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Still undecided, and its lease (or, never leased, its acceptance plus the queued lease) is past.</summary>
    private bool Lapsed(bool open, DateTime? leaseExpiresAt, DateTime createdAt, DateTime now) =>
        open && options.Value.LeaseEnd(leaseExpiresAt, createdAt) < now;

    private int Count(bool done, Kind kind, bool gaveUp, Guid id)
    {
        if (!done)
        {
            return 0;
        }

        string outcome = gaveUp ? "given_up" : "redriven";
        telemetry.Redrives.Add(1, new KeyValuePair<string, object?>("kind", kind == Kind.Verification ? "verification" : "impersonation_report"),
            new KeyValuePair<string, object?>("outcome", outcome));
        LogRedriven(logger, kind == Kind.Verification ? "Verification" : "Impersonation report", id, outcome);
        return 1;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Id}: its lease lapsed undecided; {Outcome}")]
    private static partial void LogRedriven(ILogger logger, string kind, Guid id, string outcome);
}

/// <summary>Runs the <see cref="CommandRedriver"/> at <see cref="MessagingOptions.RedriveInterval"/> (in every API process).</summary>
public sealed class CommandRedriveService(CommandRedriver redriver, IOptions<MessagingOptions> options, TimeProvider time, ILogger<CommandRedriveService> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.RedriveInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => redriver.RedriveOnceAsync(cancellationToken);
}
