using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Verify.Api.Auth;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Liveness;

namespace Verify.Api.Liveness;

/// <summary>A new liveness challenge: the nonce to send with the selfie frames, what the frames must show, and until when.</summary>
public sealed record LivenessChallengeIssued(Guid Id, string Nonce, string Instruction, DateTimeOffset ExpiresAt);

/// <summary>POST /v1/liveness-challenges, and the check a submission's challenge passes before anything is stored.</summary>
internal static class LivenessChallengeEndpoints
{
    public static IEndpointRouteBuilder MapLivenessChallengesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/liveness-challenges", IssueAsync)
            .WithTags("Liveness")
            .RequireAuthorization(ApiKeyAuthentication.Submit)
            .RequireRateLimiting(ApiRateLimits.Submissions)
            .WithName("IssueLivenessChallenge")
            .Produces<LivenessChallengeIssued>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> IssueAsync(ClaimsPrincipal user, LivenessChallenges challenges, IDbContextFactory<VerifyDbContext> databases,
        CancellationToken cancellationToken)
    {
        var (challenge, nonce) = challenges.Issue(user.ClientId());
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.LivenessChallenges.Add(challenge);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created((string?)null, new LivenessChallengeIssued(challenge.Id, nonce, challenge.Instruction,
            new DateTimeOffset(challenge.ExpiresAt)));
    }

    /// <summary>
    /// Claims the challenge for <paramref name="verificationId"/> in <paramref name="db"/>'s unit of work, or returns the
    /// problem to answer with: unknown (or another client's), used, or expired. The claim commits with the submission;
    /// two submissions racing for one nonce cannot both commit, because the claim is checked on update.
    /// </summary>
    public static async Task<(LivenessChallenge? Challenge, IResult? Problem)> ClaimAsync(VerifyDbContext db, string clientId, string nonce,
        Guid verificationId, DateTime now, CancellationToken cancellationToken)
    {
        byte[] hash = LivenessChallenges.Hash(nonce);
        var challenge = await db.LivenessChallenges.FirstOrDefaultAsync(c => c.NonceHash == hash, cancellationToken);
        if (challenge is null || challenge.ClientId != clientId)
        {
            return (null, Problems.Create(StatusCodes.Status422UnprocessableEntity, "challenge_unknown", "The liveness challenge is not known.",
                "liveness_challenge is not a nonce issued to this client by POST /v1/liveness-challenges.", Field));
        }

        if (challenge.UsedAt is not null)
        {
            return (null, ChallengeUsed());
        }

        if (challenge.ExpiresAt <= now)
        {
            return (null, Problems.Create(StatusCodes.Status422UnprocessableEntity, "challenge_expired", "The liveness challenge has expired.",
                "Ask for a new challenge and take the frames again.", Field));
        }

        challenge.UsedAt = now;
        challenge.VerificationId = verificationId;
        return (challenge, null);
    }

    public static IResult ChallengeUsed() =>
        Problems.Create(StatusCodes.Status409Conflict, "challenge_used", "The liveness challenge was already used.",
            "Each challenge answers one submission; ask for a new one.", Field);

    private static Dictionary<string, object?> Field => new() { ["field"] = "liveness_challenge" };
}
