using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Verify.Api.Auth;
using Verify.Api.Verifications;

namespace Verify.Api;

/// <summary>Per-client rate limits; a refusal is a 429 problem with Retry-After.</summary>
internal static class ApiRateLimits
{
    public const string Submissions = "submissions";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Submissions, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(context.User.ClientId(), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.SubmissionsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many submissions.",
                    "This client has sent too many submissions in the last minute; retry after the time in Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
