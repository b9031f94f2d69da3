using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Verify.Api.Auth;
using Verify.Api.Uploads;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Impersonation;

namespace Verify.Api.ImpersonationReports;

/// <summary>The answer to a report: where it lives and its status.</summary>
public sealed record ImpersonationReportAccepted(Guid Id, string Status);

/// <summary>The matcher behind a report's score.</summary>
public sealed record ReportModelView(string Id, string Version);

/// <summary>The review case a report opened, and its outcome once a reviewer decided it.</summary>
public sealed record ReportReviewView(Guid CaseId, string? Outcome, DateTimeOffset? DecidedAt);

/// <summary>
/// An impersonation report as the API shows it: the suggestion, the best score and the thresholds it was held to, how
/// many faces and templates took part, and its review case. Codes, scores and opaque ids; never images.
/// </summary>
public sealed record ImpersonationReportView(
    Guid Id,
    string Status,
    string ReportedAccountId,
    string ClaimedSubjectId,
    string? Suggestion,
    double? BestSimilarity,
    double? MatchThreshold,
    double? LikelyNotBelow,
    int? FacesFound,
    int ImageCount,
    int TemplatesCompared,
    ReportModelView? Model,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ImagesDeletedAt,
    ReportReviewView? Review);

/// <summary>POST and GET /v1/impersonation-reports: "account A pretends to be verified person B".</summary>
internal static class ImpersonationReportEndpoints
{
    public static IEndpointRouteBuilder MapImpersonationReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/impersonation-reports").WithTags("Impersonation reports");
        // Filed like verifications are submitted: by clients (and admins), within the same upload limits.
        group.MapPost("/", SubmitAsync)
            .AsImageUpload<ImpersonationReportAccepted>()
            .WithName("SubmitImpersonationReport");
        group.MapGet("/{id:guid}", GetAsync)
            .RequireAuthorization()
            .WithName("GetImpersonationReport")
            .Produces<ImpersonationReportView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ReportReader reader,
        ReportIntake intake,
        CancellationToken cancellationToken)
    {
        if (UploadEndpoints.CheckIdempotencyKey(idempotencyKey) is { } malformed)
        {
            return malformed;
        }

        var (report, problem) = await reader.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await intake.SubmitAsync(user.Caller(), idempotencyKey, report!, cancellationToken) switch
        {
            ReportAccepted accepted => TypedResults.Accepted($"/v1/impersonation-reports/{accepted.ReportId}",
                new ImpersonationReportAccepted(accepted.ReportId, ImpersonationReportStateWords.Of(accepted.State))),
            _ => Problems.IdempotencyKeyReused(),
        };
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, IDbContextFactory<VerifyDbContext> databases, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var report = await db.ImpersonationReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        // A client sees its own reports only; another client's id answers exactly like an unknown one.
        if (report is null || !user.MayRead(report.ClientId))
        {
            return Problems.NotFound();
        }

        var review = await db.ReviewCases.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new ReportReviewView(c.Id, c.Outcome, c.DecidedAt == null ? null : new DateTimeOffset(c.DecidedAt.Value)))
            .FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new ImpersonationReportView(
            report.Id,
            ImpersonationReportStateWords.Of(report.State),
            report.ReportedAccountId,
            report.ClaimedSubjectId,
            report.Suggestion,
            Rounded(report.BestSimilarity),
            Rounded(report.MatchThreshold),
            Rounded(report.LikelyNotBelow),
            report.FacesFound,
            report.ImageCount,
            report.TemplatesCompared,
            report.ModelId is { } model ? new ReportModelView(model, report.ModelVersion ?? model) : null,
            new DateTimeOffset(report.CreatedAt),
            report.CompletedAt is { } completed ? new DateTimeOffset(completed) : null,
            report.ImagesDeletedAt is { } deleted ? new DateTimeOffset(deleted) : null,
            review));
    }

    private static double? Rounded(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
