using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Verify.Api.Auth;
using Verify.Api.Uploads;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Submissions;

namespace Verify.Api.Verifications;

/// <summary>The answer to a submission: where the verification lives and its status.</summary>
public sealed record VerificationAccepted(Guid Id, string Status);

/// <summary>A verification as the API shows it: status, decision, reasons and the pipeline's figures; never images or document text.</summary>
public sealed record VerificationView(
    Guid Id,
    string SubjectId,
    string Status,
    IReadOnlyList<string> Reasons,
    JsonElement? Result,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);

/// <summary>POST and GET /v1/verifications.</summary>
internal static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/verifications").WithTags("Verifications");
        group.MapPost("/", SubmitAsync)
            .AsImageUpload<VerificationAccepted>()
            .WithName("SubmitVerification");
        group.MapGet("/{id:guid}", GetAsync)
            .RequireAuthorization()
            .WithName("GetVerification")
            .Produces<VerificationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        SubmissionReader reader,
        SubmissionIntake intake,
        CancellationToken cancellationToken)
    {
        if (UploadEndpoints.CheckIdempotencyKey(idempotencyKey) is { } malformed)
        {
            return malformed;
        }

        var (submission, problem) = await reader.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await intake.SubmitAsync(user.Caller(), idempotencyKey, submission!, cancellationToken) switch
        {
            SubmissionAccepted accepted => TypedResults.Accepted($"/v1/verifications/{accepted.VerificationId}",
                new VerificationAccepted(accepted.VerificationId, VerificationStateWords.Of(accepted.State))),
            SubmissionRefused { Reason: SubmissionRefusal.IdempotencyKeyReused } => Problems.IdempotencyKeyReused(),
            SubmissionRefused { Reason: SubmissionRefusal.ChallengeUsed } => Problems.ChallengeUsed(),
            SubmissionRefused { Reason: SubmissionRefusal.ChallengeExpired } => Problems.ChallengeExpired(),
            _ => Problems.ChallengeUnknown(),
        };
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, IDbContextFactory<VerifyDbContext> databases, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var verification = await db.Verifications.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        // A client sees its own verifications only; another client's id answers exactly like an unknown one.
        if (verification is null || !user.MayRead(verification.ClientId))
        {
            return Problems.NotFound();
        }

        JsonElement? result = verification.ResultJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null;
        return TypedResults.Ok(new VerificationView(
            verification.Id,
            verification.SubjectId,
            VerificationStateWords.Of(verification.State),
            verification.Reasons,
            result,
            new DateTimeOffset(verification.CreatedAt),
            verification.CompletedAt is { } completed ? new DateTimeOffset(completed) : null));
    }
}
