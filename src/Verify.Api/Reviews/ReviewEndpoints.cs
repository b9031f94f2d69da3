using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verify.Api.Auth;
using Verify.Api.Uploads;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Reviews;

namespace Verify.Api.Reviews;

/// <summary>A case waiting for a person: which, whose, why, since when and who holds it. Codes and ids only.</summary>
public sealed record ReviewCaseView(Guid CaseId, string Kind, Guid? VerificationId, string ClientId, string SubjectId, IReadOnlyList<string> Reasons,
    DateTimeOffset WaitingSince, long AgeSeconds, string? ClaimedBy, DateTimeOffset? ClaimedUntil);

/// <summary>One page of the review queue, oldest first, and the cursor of the next page (null on the last).</summary>
public sealed record ReviewQueuePage(IReadOnlyList<ReviewCaseView> Items, string? Next);

/// <summary>A claim: who holds the case until when.</summary>
public sealed record ReviewClaimView(Guid CaseId, string ClaimedBy, DateTimeOffset ClaimedUntil);

/// <summary>An evidence image of a case and where to fetch it.</summary>
public sealed record ReviewImageLink(string Name, string Href);

/// <summary>
/// The case as its holder sees it: the reasons, the verification's result (scores against thresholds, stages,
/// document findings: codes and numbers, never document text) and links to the images still kept.
/// </summary>
public sealed record ReviewCaseDetail(Guid CaseId, string Kind, string ClientId, string SubjectId, IReadOnlyList<string> Reasons,
    DateTimeOffset WaitingSince, string? ClaimedBy, DateTimeOffset? ClaimedUntil, string? Status, string? AssuranceLevel, JsonElement? Result,
    IReadOnlyList<ReviewImageLink> Images, bool ImagesAvailable, bool CanApprove);

/// <summary>The body of a decision.</summary>
public sealed record ReviewDecisionRequest(string? Decision, string? Reason, string? Note);

/// <summary>What a decision did.</summary>
public sealed record ReviewDecisionView(Guid CaseId, string Outcome, string? Status, DateTimeOffset DecidedAt);

/// <summary>
/// The trust-and-safety queue for reviewers and admins: list the open cases, claim one (one reviewer at a time, for
/// <see cref="ReviewOptions.ClaimDuration"/>), view it and its images (the claim holder only, every image view
/// audited), and decide it (<see cref="ReviewDesk"/>).
/// </summary>
internal static partial class ReviewEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    public const int MaxNoteLength = 1000;

    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/reviews").RequireAuthorization(ApiKeyAuthentication.Review).WithTags("Reviews")
            .AddEndpointFilter(OtherClientsCaseIsNotFoundAsync);
        group.MapGet("", ListAsync).WithName("ListReviewCases").Produces<ReviewQueuePage>().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/{id:guid}/claim", ClaimAsync).WithName("ClaimReviewCase").Produces<ReviewClaimView>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}/claim", ReleaseAsync).WithName("ReleaseReviewCase").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetReviewCase").Produces<ReviewCaseDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/images/{name}", ImageAsync).WithName("GetReviewCaseImage").Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/decision", DecideAsync).WithName("DecideReviewCase").Produces<ReviewDecisionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// The open cases, oldest first (by when they were opened): <c>reason</c> keeps those with that reason code,
    /// <c>client_id</c> those of one client, <c>min_age_minutes</c> those waiting at least that long; <c>limit</c> (1 to
    /// 100, default 50) cases per page, <c>after</c> the previous page's <c>next</c>.
    /// </summary>
    private static async Task<IResult> ListAsync(
        [FromQuery(Name = "reason")] string? reason,
        [FromQuery(Name = "client_id")] string? clientId,
        [FromQuery(Name = "min_age_minutes")] int? minAgeMinutes,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "after")] string? after,
        ClaimsPrincipal user,
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
        var query = db.ReviewCases.AsNoTracking().Where(c => c.DecidedAt == null);
        if (reason is not null)
        {
            query = query.Where(c => c.Reasons.Contains(reason));
        }

        if (clientId is not null)
        {
            query = query.Where(c => c.ClientId == clientId);
        }

        if (user.ReadScope() is { } scope)
        {
            query = query.Where(c => c.ClientId == scope);
        }

        if (minAgeMinutes is { } minutes)
        {
            var openedBefore = now.AddMinutes(-minutes);
            query = query.Where(c => c.OpenedAt <= openedBefore);
        }

        if (cursor is { } from)
        {
            query = query.Where(c => c.OpenedAt > from.WaitingSince || (c.OpenedAt == from.WaitingSince && c.Id.CompareTo(from.Id) > 0));
        }

        int size = limit ?? DefaultLimit;
        var page = await query.OrderBy(c => c.OpenedAt).ThenBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        var items = page.Take(size).Select(c =>
        {
            bool claimed = c.ClaimedUntil > now;
            return new ReviewCaseView(c.Id, KindWord(c.Kind), c.Kind == ReviewCaseKind.Verification ? c.Id : null, c.ClientId, c.SubjectId, c.Reasons,
                Utc(c.OpenedAt), (long)Math.Max(0, (now - c.OpenedAt).TotalSeconds), claimed ? c.ClaimedBy : null, claimed ? Utc(c.ClaimedUntil!.Value) : null);
        }).ToList();
        string? next = page.Count > size ? new Cursor(page[size - 1].OpenedAt, page[size - 1].Id).ToString() : null;
        return TypedResults.Ok(new ReviewQueuePage(items, next));
    }

    /// <summary>
    /// A reviewer works its own client's cases only (an admin every client's): a case of another client is answered as
    /// an unknown id on every route that names one, before the handler claims, shows or decides anything.
    /// </summary>
    private static async ValueTask<object?> OtherClientsCaseIsNotFoundAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetRouteValue("id") is string text && Guid.TryParse(text, out var id) && http.User.ReadScope() is { } scope)
        {
            await using var db = await http.RequestServices.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContextAsync(http.RequestAborted);
            var owner = await db.ReviewCases.AsNoTracking().Where(c => c.Id == id).Select(c => c.ClientId).FirstOrDefaultAsync(http.RequestAborted);
            if (owner is not null && owner != scope)
            {
                return Problems.NotFound();
            }
        }

        return await next(context);
    }

    /// <summary>Claims the case for the caller (or extends the caller's claim); 409 while another reviewer holds it.</summary>
    private static async Task<IResult> ClaimAsync(Guid id, ClaimsPrincipal user, ReviewDesk desk, IDbContextFactory<VerifyDbContext> databases,
        CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var lookup = await desk.ClaimAsync(db, id, user.KeyId(), cancellationToken);
        return lookup.Access == CaseAccess.Held
            ? TypedResults.Ok(new ReviewClaimView(id, lookup.Case!.ClaimedBy!, Utc(lookup.Case.ClaimedUntil!.Value)))
            : Refusal(lookup);
    }

    /// <summary>Releases the caller's claim; 204 also when the caller held none (the case is free of the caller either way).</summary>
    private static async Task<IResult> ReleaseAsync(Guid id, ClaimsPrincipal user, ReviewDesk desk, IDbContextFactory<VerifyDbContext> databases,
        CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await desk.ReleaseAsync(db, id, user.KeyId(), cancellationToken)
            && (await desk.LookupAsync(db, id, user.KeyId(), cancellationToken)).Access == CaseAccess.NotFound)
        {
            return Problems.NotFound();
        }

        return TypedResults.NoContent();
    }

    /// <summary>The case for the reviewer holding its claim.</summary>
    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, ReviewDesk desk, ReviewEvidence evidence,
        IDbContextFactory<VerifyDbContext> databases, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var lookup = await desk.LookupAsync(db, id, user.KeyId(), cancellationToken);
        if (lookup.Access != CaseAccess.Held)
        {
            return Refusal(lookup);
        }

        var reviewCase = lookup.Case!;
        var verification = reviewCase.Kind == ReviewCaseKind.Verification
            ? await db.Verifications.AsNoTracking().Where(v => v.Id == id).Select(v => new { v.State, v.ResultJson, v.ConsentId }).FirstOrDefaultAsync(cancellationToken)
            : null;
        // The desk's own rule, so the console's approve button and the decision never disagree.
        bool canApprove = reviewCase.Kind != ReviewCaseKind.Verification
            || (verification is not null && await desk.ApprovalBlockerAsync(db, reviewCase, verification.ConsentId, cancellationToken) is null);
        var images = await evidence.AvailableAsync(db, reviewCase, cancellationToken);
        JsonElement? result = verification?.ResultJson is { } json ? JsonDocument.Parse(json).RootElement.Clone()
            : reviewCase.Kind == ReviewCaseKind.ImpersonationReport ? await ReportResultAsync(db, id, jsonOptions.Value.SerializerOptions, cancellationToken)
            : null;
        return TypedResults.Ok(new ReviewCaseDetail(id, KindWord(reviewCase.Kind), reviewCase.ClientId, reviewCase.SubjectId, reviewCase.Reasons,
            Utc(reviewCase.OpenedAt), reviewCase.ClaimedBy, reviewCase.ClaimedUntil is { } until ? Utc(until) : null,
            verification is null ? null : VerificationStateWords.Of(verification.State), reviewCase.AssuranceLevel, result,
            [.. images.Select(name => new ReviewImageLink(name, $"/v1/reviews/{id}/images/{name}"))], images.Count > 0, canApprove));
    }

    /// <summary>What the worker made of an impersonation report: the suggestion and the best score against its thresholds; codes and numbers only.</summary>
    private static async Task<JsonElement?> ReportResultAsync(VerifyDbContext db, Guid id, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var report = await db.ImpersonationReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return report is null ? null : JsonSerializer.SerializeToElement(new
        {
            report.ReportedAccountId, report.Suggestion, report.BestSimilarity, report.MatchThreshold, report.LikelyNotBelow, report.FacesFound,
            report.ImageCount, report.TemplatesCompared, report.ModelId, report.ModelVersion,
        }, json);
    }

    /// <summary>One evidence image (portrait, selfie, document_front, document_back; reported_1 to reported_10 for a report) as JPEG, for the claim holder; audited.</summary>
    private static async Task<IResult> ImageAsync(Guid id, string name, ClaimsPrincipal user, HttpContext context, ReviewDesk desk, ReviewEvidence evidence,
        IDbContextFactory<VerifyDbContext> databases, CancellationToken cancellationToken)
    {
        if (!ReviewEvidence.IsName(name))
        {
            return Problems.InvalidField("name", $"The image is one of {string.Join(", ", ReviewEvidence.Names)}, or reported_1 to reported_10 for a report.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var lookup = await desk.LookupAsync(db, id, user.KeyId(), cancellationToken);
        if (lookup.Access != CaseAccess.Held)
        {
            return Refusal(lookup);
        }

        if (await evidence.ReadAsync(db, lookup.Case!, name, user.KeyId(), cancellationToken) is not { } jpeg)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "image_unavailable", "The image is not kept.",
                "This case has no such image any more: it was never sent, or its time to live has ended.");
        }

        // Decrypted evidence: never cached by a browser or a proxy.
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(jpeg, "image/jpeg");
    }

    /// <summary>Approves or rejects the case the caller holds, with a reason code and an optional note.</summary>
    private static async Task<IResult> DecideAsync(Guid id, ReviewDecisionRequest? request, ClaimsPrincipal user, ReviewDesk desk,
        IDbContextFactory<VerifyDbContext> databases, CancellationToken cancellationToken)
    {
        bool? approve = request?.Decision switch { "approve" => true, "reject" => false, _ => null };
        if (approve is null)
        {
            return Problems.InvalidField("decision", "decision is approve or reject.");
        }

        if (request!.Reason is not { Length: > 0 } reason || !ReasonCode().IsMatch(reason))
        {
            return Problems.InvalidField("reason", "reason is a review reason code (docs/api.md).");
        }

        if (request.Note is { } note && (note.Length > MaxNoteLength || note.Any(c => char.IsControl(c) && c is not '\n' and not '\t')))
        {
            return Problems.InvalidField("note", $"note is at most {MaxNoteLength} characters of text.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var result = await desk.DecideAsync(db, id, user.KeyId(), new ReviewVerdict(approve.Value, reason, request.Note), cancellationToken);
        return result.Status switch
        {
            VerdictStatus.Decided => TypedResults.Ok(new ReviewDecisionView(id, approve.Value ? ReviewDesk.Approved : ReviewDesk.Rejected,
                result.State is { } state ? VerificationStateWords.Of(state) : null, Utc(result.DecidedAt!.Value))),
            VerdictStatus.NotFound => Problems.NotFound(),
            VerdictStatus.AlreadyDecided => CaseDecided(),
            VerdictStatus.ClaimRequired => ClaimRequired(),
            VerdictStatus.UnknownReason => Problems.InvalidField("reason", "reason is not a code for this decision on this kind of case (docs/api.md)."),
            VerdictStatus.CannotApprove => Problems.Create(StatusCodes.Status409Conflict, "cannot_approve", "This case cannot be approved.",
                "The pipeline did not finish this verification, or its images are no longer kept, so there is nothing to approve on: reject it, and the subject can submit again."),
            VerdictStatus.ConsentWithdrawn => Problems.Create(StatusCodes.Status409Conflict, "consent_withdrawn", "The subject withdrew consent.",
                "The subject withdrew consent while the case waited: it can only be rejected."),
            _ => throw new InvalidOperationException($"Unexpected verdict status {result.Status}."),
        };
    }

    private static IResult Refusal(CaseLookup lookup) => lookup.Access switch
    {
        CaseAccess.NotFound => Problems.NotFound(),
        CaseAccess.Decided => CaseDecided(),
        CaseAccess.HeldByOther => Problems.Create(StatusCodes.Status409Conflict, "case_claimed", "Another reviewer holds this case.",
            $"Another reviewer holds this case until {Utc(lookup.Case!.ClaimedUntil!.Value):O}.",
            new Dictionary<string, object?> { ["claimed_until"] = Utc(lookup.Case.ClaimedUntil!.Value) }),
        _ => ClaimRequired(),
    };

    private static IResult CaseDecided() =>
        Problems.Create(StatusCodes.Status409Conflict, "case_decided", "The case was decided.", "A reviewer already decided this case; it has left the queue.");

    private static IResult ClaimRequired() =>
        Problems.Create(StatusCodes.Status409Conflict, "claim_required", "Claim the case first.",
            "Only the reviewer holding the case's claim may view or decide it: POST /v1/reviews/{id}/claim.");

    private static string KindWord(ReviewCaseKind kind) => kind == ReviewCaseKind.Verification ? "verification" : "impersonation_report";

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    [GeneratedRegex("^[a-z0-9_:]{1,64}$")]
    private static partial Regex ReasonCode();

    /// <summary>Where a page ends: the last case's opening time and id (the queue's sort key), as "ticks.id".</summary>
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
