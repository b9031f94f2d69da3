using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;

namespace Verify.Api.Auth;

/// <summary>API-key authentication (<c>Authorization: Bearer vk_...</c> or <c>X-Api-Key</c>) and the role policies.</summary>
internal static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    /// <summary>Submit verifications and read one's own: clients (and admins).</summary>
    public const string Submit = "submit";

    /// <summary>Read any verification and work the review queue: reviewers and admins.</summary>
    public const string Review = "review";

    /// <summary>Operator actions such as deleting a subject's biometrics.</summary>
    public const string Admin = "admin";

    public const string ClientIdClaim = "client_id";

    // Set on a request refused by the failed-authentication throttle: its challenge answers 429, not 401.
    private const string ThrottledFor = "verify.auth.throttled-for";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton<ApiKeyIssuer>();
        services.AddOptions<AuthenticationThrottleOptions>().BindConfiguration(AuthenticationThrottleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<FailedAuthenticationThrottle>();
        services.TryAddSingleton<KnownKeyHashes>();
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Submit, policy => policy.RequireRole(nameof(ApiRole.Client), nameof(ApiRole.Admin)))
            .AddPolicy(Review, policy => policy.RequireRole(nameof(ApiRole.Reviewer), nameof(ApiRole.Admin)))
            .AddPolicy(Admin, policy => policy.RequireRole(nameof(ApiRole.Admin)))
            // Every endpoint needs a key unless it is marked AllowAnonymous on purpose, so a new endpoint someone forgot
            // to protect is closed, not open. A request that matched no endpoint passes on to its 404 (there is nothing
            // behind it to protect, and the static console files are served before authorization).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme)
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true || context.Resource is HttpContext { } http && http.GetEndpoint() is null)
                .Build());
        return services;
    }

    public static string ClientId(this ClaimsPrincipal user) => user.FindFirstValue(ClientIdClaim) ?? "";

    /// <summary>The id of the key that authenticated the request (its public part): names a reviewer in claims and the audit.</summary>
    public static string KeyId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    /// <summary>The authenticated key behind the request (its id is the audit trail's actor); only for endpoints that require a key.</summary>
    public static ApiCaller Caller(this ClaimsPrincipal user) => new(user.KeyId(), user.ClientId(), Enum.Parse<ApiRole>(user.FindFirstValue(ClaimTypes.Role)!));

    public static bool IsInRole(this ClaimsPrincipal user, ApiRole role) => user.IsInRole(role.ToString());

    private sealed class ApiKeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        IDbContextFactory<VerifyDbContext> databases,
        ApiKeyIssuer issuer,
        FailedAuthenticationThrottle throttle,
        KnownKeyHashes knownKeys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string? key = Request.Headers["X-Api-Key"].FirstOrDefault();
            string? authorization = Request.Headers.Authorization.FirstOrDefault();
            if (key is null && authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                key = authorization["Bearer ".Length..].Trim();
            }

            if (key is null)
            {
                return AuthenticateResult.NoResult();
            }

            // An address that sent too many bad keys is refused before the database is asked, unless the key matches a
            // known key's hash in memory: a guess costs nothing, and a platform sharing the address keeps working.
            string source = FailedAuthenticationThrottle.SourceOf(Context.Connection.RemoteIpAddress);
            if (throttle.RefusedFor(source) is { } wait && !await knownKeys.MatchesAsync(key, Context.RequestAborted).ConfigureAwait(false))
            {
                Context.Items[ThrottledFor] = wait;
                return AuthenticateResult.Fail("Too many failed authentications from this address.");
            }

            await using var db = await databases.CreateDbContextAsync(Context.RequestAborted).ConfigureAwait(false);
            if (await issuer.AuthenticateAsync(db, key, Context.RequestAborted).ConfigureAwait(false) is not { } caller)
            {
                throttle.Failed(source);
                return AuthenticateResult.Fail("The API key is not valid.");
            }

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, caller.KeyId), new Claim(ClientIdClaim, caller.ClientId), new Claim(ClaimTypes.Role, caller.Role.ToString())],
                ApiKeyAuthentication.Scheme);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            if (Context.Items[ThrottledFor] is TimeSpan wait)
            {
                Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problems.Create(StatusCodes.Status429TooManyRequests, "authentication_throttled", "Too many failed authentications.",
                    "Too many requests from this address carried a key that is not valid; retry after the time in Retry-After.").ExecuteAsync(Context);
            }

            return Problems.Create(StatusCodes.Status401Unauthorized, "unauthorized", "An API key is required.",
                "Send a valid API key (not revoked, not expired) as 'Authorization: Bearer vk_...' or in the X-Api-Key header.").ExecuteAsync(Context);
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            Problems.Create(StatusCodes.Status403Forbidden, "forbidden", "This API key may not do that.",
                "The key's role does not allow this operation.").ExecuteAsync(Context);
    }
}
