using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Verify.Api.Auth;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Retention;

namespace Verify.Api.Subjects;

/// <summary>What was deleted for a subject.</summary>
public sealed record ErasureView(string SubjectId, int Templates, int Fingerprints, int Images, bool BadgeRevoked);

/// <summary>DELETE /v1/subjects/{id}/biometrics: consent withdrawn, everything biometric about the subject goes.</summary>
internal static class SubjectEndpoints
{
    public static IEndpointRouteBuilder MapSubjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/v1/subjects/{subjectId}/biometrics", EraseAsync)
            .RequireAuthorization(ApiKeyAuthentication.Submit)
            .WithTags("Subjects")
            .WithName("DeleteSubjectBiometrics")
            .Produces<ErasureView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> EraseAsync(string subjectId, [FromQuery(Name = "client_id")] string? clientId, ClaimsPrincipal user,
        IDbContextFactory<VerifyDbContext> databases, SubjectEraser eraser, CancellationToken cancellationToken)
    {
        if (!SubjectIds.IsValid(subjectId))
        {
            return Problems.InvalidField("subject_id", SubjectIds.Rule);
        }

        // Subject ids are each client's own namespace: "user-42" of one platform is not "user-42" of another, so an
        // admin names the client whose subject it erases (a client key is its own client, and may not name another).
        bool admin = user.IsInRole(ApiRole.Admin);
        if (admin ? clientId is not { Length: > 0 and <= 64 } : clientId is not null && clientId != user.ClientId())
        {
            return Problems.InvalidField("client_id", admin
                ? "client_id names the client whose subject this is (1 to 64 characters): subject ids are per client."
                : "client_id, when given, is this key's own client.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // A client may withdraw only subjects it verified; admins any. Another client's subject answers as an unknown one.
        if (user.IsInRole(ApiRole.Client) && !await db.Consents.AnyAsync(c => c.SubjectId == subjectId && c.ClientId == user.ClientId(), cancellationToken))
        {
            return Problems.NotFound();
        }

        // Only what that client's verifications and reports left behind.
        string scope = admin ? clientId! : user.ClientId();
        var report = await eraser.EraseAsync(db, subjectId, user.Caller(), scope, cancellationToken);
        return TypedResults.Ok(new ErasureView(subjectId, report.Templates, report.Fingerprints, report.Images, report.BadgeRevoked));
    }
}
