using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Verify.Api.Auth;
using Verify.Api.Liveness;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Verification;

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
            .RequireAuthorization(ApiKeyAuthentication.Submit)
            .RequireRateLimiting(ApiRateLimits.Submissions)
            .DisableAntiforgery()
            .WithName("SubmitVerification")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<VerificationAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
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
        IDbContextFactory<VerifyDbContext> databases,
        EncryptedBlobStore blobs,
        PipelineTelemetry telemetry,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > VerifyDbContext.IdempotencyKeyLength || idempotencyKey.Any(c => c is < '!' or > '~')))
        {
            return Problems.InvalidIdempotencyKey();
        }

        var (submission, problem) = await reader.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string clientId = user.ClientId();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (idempotencyKey is not null && await ReplayAsync(db, clientId, idempotencyKey, submission!.RequestHash, cancellationToken) is { } replay)
        {
            return replay;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = submission!.SubjectId, ClientId = clientId, BiometricProcessing = true,
            TemplateStorage = submission.TemplateStorage, PolicyVersion = submission.PolicyVersion, GrantedAt = now,
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = clientId, SubjectId = submission.SubjectId, IdempotencyKey = idempotencyKey,
            RequestHash = submission.RequestHash, ConsentId = consent.Id, State = VerificationState.Queued, CreatedAt = now, UpdatedAt = now,
        };

        if (submission.ChallengeNonce is { } nonce)
        {
            var (challenge, refused) = await LivenessChallengeEndpoints.ClaimAsync(db, clientId, nonce, verification.Id, now, cancellationToken);
            if (refused is not null)
            {
                return refused;
            }

            verification.LivenessChallenge = challenge!.Instruction;
        }

        // One transaction: the consent, the verification, the image index and the command commit together or not at all.
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        foreach (var image in submission.Images)
        {
            await blobs.AddAsync(db, submission.SubjectId, verification.Id, image.Kind, image.Bytes, cancellationToken, image.Sequence);
        }

        Outbox.Add(db, new VerifyIdentity(verification.Id), now);
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = clientId, Action = "verification.submitted", SubjectId = submission.SubjectId, VerificationId = verification.Id });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (submission.ChallengeNonce is not null)
        {
            // Another submission claimed the same challenge first.
            return LivenessChallengeEndpoints.ChallengeUsed();
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // The same key raced in from a retry: answer as the winner did (its content files are swept as orphans).
            await using var again = await databases.CreateDbContextAsync(cancellationToken);
            if (await ReplayAsync(again, clientId, idempotencyKey, submission.RequestHash, cancellationToken) is { } raced)
            {
                return raced;
            }

            throw;
        }

        telemetry.Submissions.Add(1);
        return Accepted(verification.Id, VerificationState.Queued);
    }

    private static async Task<IResult?> ReplayAsync(VerifyDbContext db, string clientId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var existing = await db.Verifications.AsNoTracking()
            .Where(v => v.ClientId == clientId && v.IdempotencyKey == key)
            .Select(v => new { v.Id, v.State, v.RequestHash })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is null)
        {
            return null;
        }

        return existing.RequestHash is { } hash && hash.AsSpan().SequenceEqual(requestHash)
            ? Accepted(existing.Id, existing.State)
            : Problems.IdempotencyKeyReused();
    }

    private static IResult Accepted(Guid id, VerificationState state) =>
        TypedResults.Accepted($"/v1/verifications/{id}", new VerificationAccepted(id, VerificationStatuses.Of(state)));

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, IDbContextFactory<VerifyDbContext> databases, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var verification = await db.Verifications.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        // A client sees its own verifications only; another client's id answers exactly like an unknown one.
        bool seesAll = user.IsInRole(ApiRole.Reviewer) || user.IsInRole(ApiRole.Admin);
        if (verification is null || (!seesAll && verification.ClientId != user.ClientId()))
        {
            return Problems.NotFound();
        }

        JsonElement? result = verification.ResultJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null;
        return TypedResults.Ok(new VerificationView(
            verification.Id,
            verification.SubjectId,
            VerificationStatuses.Of(verification.State),
            verification.Reasons,
            result,
            new DateTimeOffset(verification.CreatedAt),
            verification.CompletedAt is { } completed ? new DateTimeOffset(completed) : null));
    }
}
