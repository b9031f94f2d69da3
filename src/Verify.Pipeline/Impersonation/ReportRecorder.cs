using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Impersonation;

/// <summary>
/// What assessing a report came to: the suggestion and the figures behind it. <see cref="Thresholds"/> is null when the
/// assessment never got as far as a matcher (it failed on every attempt); <see cref="FacesFound"/> is null when no image
/// was looked at (no template to compare with, or the images were gone).
/// </summary>
public sealed record ReportAssessment(string Suggestion, ReportThresholds? Thresholds, int? FacesFound, double? BestSimilarity,
    IReadOnlyList<TemplateSet> Templates)
{
    public override string ToString() => $"ReportAssessment {{ Suggestion = {Suggestion}, Templates = {Templates.Count} }}";
}

/// <summary>
/// Writes an assessment into the caller's unit of work (the caller saves): the report's outcome, a review case for it
/// and the audit event. Every report opens a case, whatever it suggests: a trust-and-safety team wants each report in
/// its queue, and "no template" or "no face" still needs a person to look at the account.
/// </summary>
public static class ReportRecorder
{
    /// <summary>The audit action of an assessed report.</summary>
    public const string AssessedAction = "impersonation_report.assessed";

    /// <summary>The review case's reason: <c>impersonation_reported:{suggestion}</c>.</summary>
    public static string ReviewReason(string suggestion) => $"impersonation_reported:{suggestion}";

    public static void Record(VerifyDbContext db, ImpersonationReport report, ReportAssessment assessment, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(assessment);
        report.State = ImpersonationReportState.Completed;
        report.Suggestion = assessment.Suggestion;
        report.FacesFound = assessment.FacesFound;
        report.TemplatesCompared = assessment.BestSimilarity is null ? 0 : assessment.Templates.Count;
        report.BestSimilarity = assessment.BestSimilarity;
        report.MatchThreshold = assessment.Thresholds?.MatchThreshold;
        report.LikelyNotBelow = assessment.Thresholds?.LikelyNotBelow;
        report.ModelId = assessment.Thresholds?.ModelId;
        report.ModelVersion = assessment.Thresholds?.ModelVersion;
        report.CompletedAt = now;
        // The case has the report's id: a redelivered command cannot open a second one.
        db.ReviewCases.Add(new ReviewCase
        {
            Id = report.Id, Kind = ReviewCaseKind.ImpersonationReport, ClientId = report.ClientId, SubjectId = report.ClaimedSubjectId,
            Reasons = [ReviewReason(assessment.Suggestion)], OpenedAt = now,
        });
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = DecisionRecorder.Actor, ClientId = report.ClientId, Action = AssessedAction, Detail = report.Suggestion,
            SubjectId = report.ClaimedSubjectId, VerificationId = report.Id,
        });
    }
}
