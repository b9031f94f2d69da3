using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Verify.Api.Auth;
using Verify.Data;
using Verify.Data.Entities;

namespace Verify.Api.Reviews;

/// <summary>A case waiting for a person: which verification, whose, why, and since when. Codes and ids only.</summary>
public sealed record ReviewCaseView(Guid VerificationId, string ClientId, string SubjectId, IReadOnlyList<string> Reasons, DateTimeOffset WaitingSince,
    long AgeSeconds);

/// <summary>One page of the review queue, oldest first, and the cursor of the next page (null on the last).</summary>
public sealed record ReviewQueuePage(IReadOnlyList<ReviewCaseView> Items, string? Next);

/// <summary>GET /v1/reviews: the trust-and-safety queue of verifications that need a person, for reviewers and admins.</summary>
internal static partial class ReviewEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/reviews", ListAsync)
            .RequireAuthorization(ApiKeyAuthentication.Review)
            .WithTags("Reviews")
            .WithName("ListReviewCases")
            .Produces<ReviewQueuePage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>
    /// The cases in needs_review, oldest first (by when they were sent to review): <c>reason</c> keeps those with that
    /// reason code, <c>client_id</c> those of one client, <c>min_age_minutes</c> those waiting at least that long;
    /// <c>limit</c> (1 to 100, default 50) cases per page, <c>after</c> the previous page's <c>next</c>.
    /// </summary>
    private static async Task<IResult> ListAsync(
        [FromQuery(Name = "reason")] string? reason,
        [FromQuery(Name = "client_id")] string? clientId,
        [FromQuery(Name = "min_age_minutes")] int? minAgeMinutes,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "after")] string? after,
        IDbContextFactory<VerifyDbContext> databases,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (reason is not null && !ReasonCode().IsMatch(reason))
        {
            return Problems.InvalidField("reason", "reason is a decision reason code: 1 to 64 characters of a-z, 0-9, _ and :.");
        }

        if (clientId is not null && (clientId.Length is 0 or > 64 || clientId.Any(c => c is < '!' or > '~')))
        {
            return Problems.InvalidField("client_id", "client_id is an API client's id: 1 to 64 printable characters.");
        }

        if (minAgeMinutes is < 0)
        {
            return Problems.InvalidField("min_age_minutes", "min_age_minutes is 0 or more.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return Problems.InvalidField("limit", $"limit is 1 to {MaxLimit}.");
        }

        Cursor? cursor = null;
        if (after is not null && (cursor = Cursor.Parse(after)) is null)
        {
            return Problems.InvalidField("after", "after is the next value of the previous page.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var query = db.Verifications.AsNoTracking().Where(v => v.State == VerificationState.NeedsReview && v.CompletedAt != null);
        if (reason is not null)
        {
            query = query.Where(v => v.Reasons.Contains(reason));
        }

        if (clientId is not null)
        {
            query = query.Where(v => v.ClientId == clientId);
        }

        if (minAgeMinutes is { } minutes)
        {
            var waitingSince = now.AddMinutes(-minutes);
            query = query.Where(v => v.CompletedAt <= waitingSince);
        }

        if (cursor is { } from)
        {
            query = query.Where(v => v.CompletedAt > from.WaitingSince || (v.CompletedAt == from.WaitingSince && v.Id.CompareTo(from.Id) > 0));
        }

        int size = limit ?? DefaultLimit;
        var page = await query.OrderBy(v => v.CompletedAt).ThenBy(v => v.Id).Take(size + 1)
            .Select(v => new { v.Id, v.ClientId, v.SubjectId, v.Reasons, WaitingSince = v.CompletedAt!.Value })
            .ToListAsync(cancellationToken);
        var items = page.Take(size).Select(v => new ReviewCaseView(v.Id, v.ClientId, v.SubjectId, v.Reasons,
            new DateTimeOffset(DateTime.SpecifyKind(v.WaitingSince, DateTimeKind.Utc)), (long)Math.Max(0, (now - v.WaitingSince).TotalSeconds))).ToList();
        string? next = page.Count > size ? new Cursor(page[size - 1].WaitingSince, page[size - 1].Id).ToString() : null;
        return TypedResults.Ok(new ReviewQueuePage(items, next));
    }

    [GeneratedRegex("^[a-z0-9_:]{1,64}$")]
    private static partial Regex ReasonCode();

    /// <summary>Where a page ends: the last case's waiting time and id (the queue's sort key), as "ticks.id".</summary>
    private readonly record struct Cursor(DateTime WaitingSince, Guid Id)
    {
        public static Cursor? Parse(string text)
        {
            var parts = text.Split('.');
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
                && ticks <= DateTime.MaxValue.Ticks && Guid.TryParseExact(parts[1], "N", out var id)
                ? new Cursor(new DateTime(ticks, DateTimeKind.Utc), id)
                : null;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{WaitingSince.Ticks}.{Id:N}");
    }
}
