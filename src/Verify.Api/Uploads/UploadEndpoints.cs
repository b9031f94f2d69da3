using System.Security.Claims;
using Verify.Api.Auth;
using Verify.Data;
using Verify.Data.Entities;

namespace Verify.Api.Uploads;

/// <summary>What the upload endpoints (verifications, impersonation reports) share: who may post, their limits and problems, their Idempotency-Key, and who may read what they created.</summary>
internal static class UploadEndpoints
{
    /// <summary>
    /// A multipart image upload: clients and admins (a reviewer key works cases, it does not open them), counted by the
    /// submission rate limits and admitted fairly (<see cref="UploadAdmission"/>), answering 202 with
    /// <typeparamref name="TAccepted"/> or one of the upload problems.
    /// </summary>
    public static RouteHandlerBuilder AsImageUpload<TAccepted>(this RouteHandlerBuilder endpoint) =>
        endpoint
            .RequireAuthorization(ApiKeyAuthentication.Submit)
            .RequireRateLimiting(ApiRateLimits.Submissions)
            .WithMetadata(UploadAdmissionMarker.Instance)
            .AddEndpointFilter<UploadAdmission>()
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<TAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>The problem for a malformed Idempotency-Key header (1 to 128 printable ASCII characters); null when it is absent or well-formed.</summary>
    public static IResult? CheckIdempotencyKey(string? idempotencyKey) =>
        idempotencyKey is not null && (idempotencyKey.Length is 0 or > VerifyDbContext.IdempotencyKeyLength || idempotencyKey.Any(c => c is < '!' or > '~'))
            ? Problems.InvalidIdempotencyKey()
            : null;

    /// <summary>
    /// Whether the caller may read (or, as a reviewer, decide) what a client uploaded: that client's own keys, client or
    /// reviewer (a platform's trust-and-safety team sees its own platform's subjects only), and the operator's admin keys.
    /// Anyone else gets the same 404 as for an unknown id.
    /// </summary>
    public static bool MayRead(this ClaimsPrincipal user, string ownerClientId) =>
        user.IsInRole(ApiRole.Admin) || user.ClientId() == ownerClientId;

    /// <summary>The one client whose records the caller may list; null for an admin (every client).</summary>
    public static string? ReadScope(this ClaimsPrincipal user) => user.IsInRole(ApiRole.Admin) ? null : user.ClientId();
}
