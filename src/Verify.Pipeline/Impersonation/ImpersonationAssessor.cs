using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Inference.Faces;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Storage;

namespace Verify.Pipeline.Impersonation;

/// <summary>What assessing a report came to.</summary>
public enum AssessOutcome
{
    /// <summary>This call assessed the report.</summary>
    Assessed,

    /// <summary>It was already assessed (a redelivered message, or another worker won the race): nothing changed.</summary>
    AlreadyAssessed,

    /// <summary>Another delivery holds it (processing under a lease that has not lapsed): this copy leaves it alone.</summary>
    InProgressElsewhere,

    /// <summary>No such report.</summary>
    NotFound,
}

/// <summary>
/// Assesses a stored impersonation report exactly once: finds the claimed subject's usable templates
/// (<see cref="ClaimedSubjectTemplates"/>), embeds every face of every image, takes the best score over all faces and
/// templates, records the suggestion with a review case (<see cref="ReportRecorder"/>) in one transaction, and then keeps
/// the images for the review window and notes that the templates were used.
/// </summary>
public sealed partial class ImpersonationAssessor(
    IDbContextFactory<VerifyDbContext> databases,
    EncryptedBlobStore blobs,
    FaceAnalyzer faces,
    ClaimedSubjectTemplates templates,
    ReportAbandonment abandonment,
    IOptions<FaceMatchingOptions> matching,
    IOptions<ImpersonationOptions> options,
    IOptions<MessagingOptions> messaging,
    PipelineTelemetry telemetry,
    TimeProvider time,
    ILogger<ImpersonationAssessor> logger)
{
    /// <summary>Assesses the report, carrying on where an earlier attempt of the same command left it.</summary>
    public Task<AssessOutcome> AssessAsync(Guid reportId, CancellationToken cancellationToken = default) =>
        AssessAsync(reportId, resume: true, cancellationToken);

    /// <param name="reportId">The report.</param>
    /// <param name="resume">This command's own retry or redelivery: carry on with a report in processing. A first delivery
    /// (a duplicate, a re-sent command) leaves one in processing alone while its lease holds.</param>
    /// <param name="cancellationToken">Cancels the work (the consumer's timeout).</param>
    public async Task<AssessOutcome> AssessAsync(Guid reportId, bool resume, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("verify.impersonation_report");
        activity?.SetTag("verify.report_id", reportId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (report, outcome) = await LoadOpenAsync(db, reportId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return outcome;
        }

        var now = Now;
        if (!resume && report.State == ImpersonationReportState.Processing && report.LeaseExpiresAt >= now)
        {
            LogInProgressElsewhere(logger, reportId);
            return AssessOutcome.InProgressElsewhere;
        }

        // The lease covers every attempt and pause of this command; the save is conditional on the state and lease seen.
        report.State = ImpersonationReportState.Processing;
        report.LeaseExpiresAt = now + messaging.Value.ProcessingLease;
        if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            return await ReloadOutcomeAsync(db, reportId, resume, cancellationToken).ConfigureAwait(false);
        }

        var timings = new StageTimings();
        var assessment = await RunAsync(db, report, timings, cancellationToken).ConfigureAwait(false);
        ReportRecorder.Record(db, report, assessment, Now);
        if (!await db.TrySaveChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            return await ReloadOutcomeAsync(db, reportId, resume, cancellationToken).ConfigureAwait(false);
        }

        telemetry.RecordStages(timings.Milliseconds, faces.Matcher.Embedders.ToDictionary(e => e.ModelId, e => e.ModelVersion));
        await AfterAssessmentAsync(db, report, assessment, activity, cancellationToken).ConfigureAwait(false);
        return AssessOutcome.Assessed;
    }

    /// <summary>Completes a report whose assessment failed on every attempt as <c>assessment_failed</c> (<see cref="ReportAbandonment"/>); an assessed one stays.</summary>
    public Task<AssessOutcome> GiveUpAsync(Guid reportId, CancellationToken cancellationToken = default) =>
        abandonment.GiveUpAsync(reportId, leaseExpiredBy: null, cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Compares only when there is something to compare with: without a usable template the images are only decoded
    /// (the API never decodes them, and the review console shows only images a worker has read), so no face of the
    /// reported account is embedded for nothing. An image that does not decode ends the report as <c>images_unreadable</c>.
    /// </summary>
    private async Task<ReportAssessment> RunAsync(VerifyDbContext db, ImpersonationReport report, StageTimings timings, CancellationToken cancellationToken)
    {
        var matcher = faces.Matcher;
        double threshold = matcher.ThresholdAt(matching.Value.FalseAcceptRate);
        var thresholds = new ReportThresholds(matcher.Name, matcher.Version, threshold,
            Math.Min(threshold, matcher.ThresholdAt(options.Value.LikelyNotFalseAcceptRate)));
        var sets = await templates.LoadAsync(db, report.ClientId, report.ClaimedSubjectId, matcher, cancellationToken).ConfigureAwait(false);
        var images = await ReadImagesAsync(db, report, cancellationToken).ConfigureAwait(false);
        if (sets.Count == 0)
        {
            bool unreadable = images is not null && !images.All(image => Decodes(image, timings));
            return new ReportAssessment(unreadable ? ImpersonationSuggestions.ImagesUnreadable : ImpersonationSuggestions.NoTemplate, thresholds, null, null, sets);
        }

        if (images is null)
        {
            return new ReportAssessment(ImpersonationSuggestions.ImagesUnavailable, thresholds, null, null, sets);
        }

        var found = new List<IReadOnlyList<FaceEmbedding>>();
        foreach (var image in images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The API checked only the image's header and framing: the full decode happens here.
            if (faces.EmbedEveryFace(image, timings, options.Value.MaxFacesPerImage, cancellationToken) is not { } embedded)
            {
                return new ReportAssessment(ImpersonationSuggestions.ImagesUnreadable, thresholds, null, null, sets);
            }

            found.AddRange(embedded);
        }

        if (found.Count == 0)
        {
            return new ReportAssessment(ImpersonationSuggestions.NoFace, thresholds, 0, null, sets);
        }

        double best = timings.Measure(Stage.Match, () => ReportScoring.Best(matcher, found, sets)!.Value);
        return new ReportAssessment(ReportScoring.Suggest(best, thresholds), thresholds, found.Count, best, sets);
    }

    /// <summary>Whether the image decodes (its pixels are dropped at once).</summary>
    private bool Decodes(byte[] image, StageTimings timings)
    {
        if (!faces.TryDecode(image, timings, out var decoded, out _))
        {
            return false;
        }

        decoded.Dispose();
        return true;
    }

    /// <summary>The report's images in the order sent, or null when any of them expired or vanished.</summary>
    private async Task<IReadOnlyList<byte[]>?> ReadImagesAsync(VerifyDbContext db, ImpersonationReport report, CancellationToken cancellationToken)
    {
        var ids = await db.Blobs.AsNoTracking().Where(b => b.VerificationId == report.Id && b.Kind == BlobKind.ReportedImage)
            .OrderBy(b => b.Sequence).Select(b => b.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var images = new List<byte[]>();
        foreach (var id in ids)
        {
            if (await blobs.ReadAsync(db, id, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                return null;
            }

            images.Add(bytes);
        }

        return images.Count == report.ImageCount && images.Count > 0 ? images : null;
    }

    /// <summary>
    /// The report, tracked, when it still waits for its assessment; otherwise null and why: gone, or assessed (a
    /// redelivery after the commit: the images are kept for the review window again, which a crash may have cut short).
    /// </summary>
    private async Task<(ImpersonationReport? Report, AssessOutcome Outcome)> LoadOpenAsync(VerifyDbContext db, Guid reportId, CancellationToken cancellationToken)
    {
        var report = await db.ImpersonationReports.FirstOrDefaultAsync(r => r.Id == reportId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            LogNotFound(logger, reportId);
            return (null, AssessOutcome.NotFound);
        }

        if (report.State == ImpersonationReportState.Completed)
        {
            await blobs.KeepForReviewAsync(db, report.Id, cancellationToken).ConfigureAwait(false);
            LogAlreadyAssessed(logger, reportId);
            return (null, AssessOutcome.AlreadyAssessed);
        }

        return (report, AssessOutcome.Assessed);
    }

    /// <summary>Once the assessment has committed: the images wait for the reviewer, the templates compared are marked used, the outcome is counted.</summary>
    private async Task AfterAssessmentAsync(VerifyDbContext db, ImpersonationReport report, ReportAssessment assessment, Activity? activity,
        CancellationToken cancellationToken)
    {
        await blobs.KeepForReviewAsync(db, report.Id, cancellationToken).ConfigureAwait(false);
        if (assessment.BestSimilarity is not null)
        {
            // Only when last used: a third party's report does not extend how long the subject's template is kept.
            var used = assessment.Templates.SelectMany(set => set.TemplateIds).ToList();
            var now = Now;
            await db.FaceTemplates.Where(t => used.Contains(t.Id))
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), cancellationToken).ConfigureAwait(false);
        }

        telemetry.ImpersonationReports.Add(1, new KeyValuePair<string, object?>("suggestion", assessment.Suggestion));
        activity?.SetTag("verify.suggestion", assessment.Suggestion);
        LogAssessed(logger, report.Id, assessment.Suggestion);
    }

    private async Task<AssessOutcome> ReloadOutcomeAsync(VerifyDbContext db, Guid reportId, bool resume, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var state = await db.ImpersonationReports.AsNoTracking().Where(r => r.Id == reportId).Select(r => (ImpersonationReportState?)r.State)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (state == ImpersonationReportState.Completed)
        {
            LogAlreadyAssessed(logger, reportId);
            return AssessOutcome.AlreadyAssessed;
        }

        // Another worker moved it to processing first, or the re-driver queued it again: look again from there.
        return state is null ? AssessOutcome.NotFound : await AssessAsync(reportId, resume, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Impersonation report {ReportId} not found")]
    private static partial void LogNotFound(ILogger logger, Guid reportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Impersonation report {ReportId} was already assessed; nothing changed")]
    private static partial void LogAlreadyAssessed(ILogger logger, Guid reportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Impersonation report {ReportId} is being assessed under another delivery's lease; this copy is skipped")]
    private static partial void LogInProgressElsewhere(ILogger logger, Guid reportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Impersonation report {ReportId} assessed: {Suggestion}")]
    private static partial void LogAssessed(ILogger logger, Guid reportId, string suggestion);
}
