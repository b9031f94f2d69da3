using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Verify.Api.Auth;
using Verify.Api.Uploads;
using Verify.Api.Verifications;

namespace Verify.Api;

/// <summary>
/// The limits a submission passes before its body is read, in this order: the client's uploads in flight (429
/// <c>too_many_uploads</c>), the uploads in flight in this process over all clients (503 <c>server_busy</c>: the service
/// is busy, not the client wrong), then the client's rate per minute (429 <c>rate_limited</c>). The per-client in-flight
/// limit comes before the process-wide one so one client only ever holds its own share of the slots and their queue; the
/// rate window comes last so only admitted requests spend its permits. Every refusal carries Retry-After.
/// </summary>
internal static class ApiRateLimits
{
    /// <summary>The policy name that marks an endpoint as counted (uploads and liveness challenges); the limits themselves are chained below.</summary>
    public const string Submissions = "submissions";

    // The in-flight limits' refusals carry no retry time of their own: an upload takes about this long.
    private const int BusyRetryAfterSeconds = 2;

    // Which limit a request reached last: the one that refused it, when it was refused.
    private const string StageKey = "verify.admission.stage";

    private enum Stage
    {
        ClientRate,
        ClientInFlight,
        ServerInFlight,
    }

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            // The global limiter runs before any endpoint policy, so the whole chain lives here, in order; a chained
            // limiter stops at the first refusal and gives back what the earlier ones granted. The rate window comes
            // last: a window's permit is spent once taken, so a request refused (or queued) by an in-flight limit must
            // not have taken one already.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                {
                    if (!IsUpload(context))
                    {
                        return RateLimitPartition.GetNoLimiter("other");
                    }

                    var options = At(context, Stage.ClientInFlight);
                    return RateLimitPartition.GetConcurrencyLimiter(context.User.ClientId(), _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.ConcurrentUploadsPerClient,
                        QueueLimit = 0,
                    });
                }),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                {
                    if (!IsUpload(context))
                    {
                        return RateLimitPartition.GetNoLimiter("other");
                    }

                    var options = At(context, Stage.ServerInFlight);
                    return RateLimitPartition.GetConcurrencyLimiter("in-flight", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.ConcurrentSubmissions,
                        QueueLimit = options.SubmissionQueue,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    });
                }),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                {
                    if (!IsCounted(context))
                    {
                        return RateLimitPartition.GetNoLimiter("other");
                    }

                    var options = At(context, Stage.ClientRate);
                    return RateLimitPartition.GetFixedWindowLimiter(context.User.ClientId(), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.SubmissionsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
                }));
            // The marker policy: the limits are the chain above.
            limiter.AddPolicy(Submissions, _ => RateLimitPartition.GetNoLimiter("counted"));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var stage = context.HttpContext.Items[StageKey] as Stage? ?? Stage.ServerInFlight;
                // Only the per-client window knows when a permit comes back; the in-flight limits do not.
                int seconds = stage == Stage.ClientRate && context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : BusyRetryAfterSeconds;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var problem = stage switch
                {
                    Stage.ClientRate => Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many submissions.",
                        "This client has sent too many submissions in the last minute; retry after the time in Retry-After."),
                    Stage.ClientInFlight => Problems.Create(StatusCodes.Status429TooManyRequests, "too_many_uploads", "Too many uploads in flight.",
                        "This client already has as many uploads streaming in as it may; nothing was stored. Finish those, then retry after the time in Retry-After."),
                    _ => Problems.Create(StatusCodes.Status503ServiceUnavailable, "server_busy", "The service is busy.",
                        "Too many submissions are being received at once; nothing was stored. Retry after the time in Retry-After."),
                };
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static bool IsCounted(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Submissions;

    private static bool IsUpload(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<UploadAdmissionMarker>() is not null;

    private static UploadOptions At(HttpContext context, Stage stage)
    {
        context.Items[StageKey] = stage;
        return context.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value;
    }
}
