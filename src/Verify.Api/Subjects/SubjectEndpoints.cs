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

    private static async Task<IResult> EraseAsync(string subjectId, ClaimsPrincipal user, IDbContextFactory<VerifyDbContext> databases,
        SubjectEraser eraser, CancellationToken cancellationToken)
    {
        if (!SubjectIds.IsValid(subjectId))
        {
            return Problems.InvalidField("subject_id", SubjectIds.Rule);
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // A client may withdraw only subjects it verified; admins any. Another client's subject answers as an unknown one.
        if (user.IsInRole(ApiRole.Client) && !await db.Consents.AnyAsync(c => c.SubjectId == subjectId && c.ClientId == user.ClientId(), cancellationToken))
        {
            return Problems.NotFound();
        }

        // Admins erase everything of the subject; a client only what its own verifications left behind.
        string? scope = user.IsInRole(ApiRole.Admin) ? null : user.ClientId();
        var report = await eraser.EraseAsync(db, subjectId, user.Caller(), scope, cancellationToken);
        return TypedResults.Ok(new ErasureView(subjectId, report.Templates, report.Fingerprints, report.Images, report.BadgeRevoked));
    }
}
