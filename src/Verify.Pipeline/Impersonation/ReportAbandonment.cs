using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Storage;

namespace Verify.Pipeline.Impersonation;

/// <summary>
/// Completes a report whose assessment could not finish as <c>assessment_failed</c> with its review case, unless it is
/// assessed already. It needs no model, so the worker's consumer (last retry failed), the API's re-driver (last
/// re-drive) and the API's fault consumer (the command reached the error queue) all end a report alike.
/// </summary>
public sealed partial class ReportAbandonment(
    IDbContextFactory<VerifyDbContext> databases,
    EncryptedBlobStore blobs,
    IOptions<MessagingOptions> messaging,
    PipelineTelemetry telemetry,
    TimeProvider time,
    ILogger<ReportAbandonment> logger)
{
    /// <param name="reportId">The report to complete.</param>
    /// <param name="leaseExpiredBy">When given (by anyone but the worker holding it), a report still leased past this time
    /// is left alone: processing under a worker's lease, or queued under its queued lease (never leased: its acceptance
    /// plus the queued lease).</param>
    /// <param name="cancellationToken">Cancels the database work.</param>
    public async Task<AssessOutcome> GiveUpAsync(Guid reportId, DateTime? leaseExpiredBy, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("verify.impersonation_report.give_up");
        activity?.SetTag("verify.report_id", reportId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var report = await db.ImpersonationReports.FirstOrDefaultAsync(r => r.Id == reportId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return AssessOutcome.NotFound;
        }

        if (report.State == ImpersonationReportState.Completed)
        {
            await blobs.KeepForReviewAsync(db, report.Id, cancellationToken).ConfigureAwait(false);
            return AssessOutcome.AlreadyAssessed;
        }

        if (leaseExpiredBy is { } by && messaging.Value.LeaseEnd(report.LeaseExpiresAt, report.CreatedAt) >= by)
        {
            return AssessOutcome.InProgressElsewhere;
        }

        ReportRecorder.Record(db, report, new ReportAssessment(ImpersonationSuggestions.AssessmentFailed, null, null, null, []), time.GetUtcNow().UtcDateTime);
        if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            // Assessed, re-driven or taken over meanwhile: whoever changed it goes on.
            return AssessOutcome.InProgressElsewhere;
        }

        await blobs.KeepForReviewAsync(db, report.Id, cancellationToken).ConfigureAwait(false);
        telemetry.ImpersonationReports.Add(1, new KeyValuePair<string, object?>("suggestion", ImpersonationSuggestions.AssessmentFailed));
        LogGivenUp(logger, reportId);
        return AssessOutcome.Assessed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Impersonation report {ReportId} given up on: assessment_failed")]
    private static partial void LogGivenUp(ILogger logger, Guid reportId);
}
