using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Verify.Api.Auth;
using Verify.Api.Verifications;

namespace Verify.Api;

/// <summary>
/// Per-client rate limits (a refusal is a 429 problem with Retry-After) and one limit on submissions in flight in this
/// process, over all clients (a refusal is a 503 problem with Retry-After: the service is busy, not the client wrong).
/// </summary>
internal static class ApiRateLimits
{
    public const string Submissions = "submissions";

    // The in-flight limit's refusals carry no retry time of their own: a submission takes about this long.
    private const int BusyRetryAfterSeconds = 2;

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            // Runs before the per-client policy: only submissions (the endpoints with that policy) count.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName != Submissions)
                {
                    return RateLimitPartition.GetNoLimiter("other");
                }

                var options = context.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter("in-flight", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.ConcurrentSubmissions,
                    QueueLimit = options.SubmissionQueue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
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
                // Only the per-client window knows when a permit comes back; the in-flight limit does not.
                bool perClient = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                int seconds = perClient ? (int)Math.Ceiling(retryAfter.TotalSeconds) : BusyRetryAfterSeconds;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var problem = perClient
                    ? Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many submissions.",
                        "This client has sent too many submissions in the last minute; retry after the time in Retry-After.")
                    : Problems.Create(StatusCodes.Status503ServiceUnavailable, "server_busy", "The service is busy.",
                        "Too many submissions are being received at once; nothing was stored. Retry after the time in Retry-After.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
