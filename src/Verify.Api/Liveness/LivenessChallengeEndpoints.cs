using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Verify.Api.Auth;
using Verify.Data;
using Verify.Pipeline.Liveness;

namespace Verify.Api.Liveness;

/// <summary>A new liveness challenge: the nonce to send with the selfie frames, what the frames must show, and until when.</summary>
public sealed record LivenessChallengeIssued(Guid Id, string Nonce, string Instruction, DateTimeOffset ExpiresAt);

/// <summary>POST /v1/liveness-challenges (a submission claims its challenge in <c>SubmissionIntake</c>).</summary>
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
}
