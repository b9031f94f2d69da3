namespace Verify.Api;

/// <summary>Cross-cutting set-up every API instance gets: problem details, and a start-up line with the URL.</summary>
internal static partial class ApiDefaults
{
    public static WebApplicationBuilder AddVerifyApiDefaults(this WebApplicationBuilder builder)
    {
        // Problems the framework raises itself (404, 405, 415 from endpoint metadata, 500) get our stable types too.
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Type is null || !problem.Type.StartsWith("urn:verify:problem:", StringComparison.Ordinal))
            {
                string code = problem.Status switch
                {
                    400 => "bad_request",
                    401 => "unauthorized",
                    403 => "forbidden",
                    404 => "not_found",
                    405 => "method_not_allowed",
                    413 => "request_too_large",
                    415 => "unsupported_media_type",
                    429 => "rate_limited",
                    503 => "unavailable",
                    >= 500 => "internal_error",
                    _ => "error",
                };
                problem.Type = Problems.Type(code);
                problem.Extensions["code"] = code;
                problem.Detail ??= code switch
                {
                    "not_found" => "There is no such resource.",
                    "method_not_allowed" => "This resource does not accept that method.",
                    "unsupported_media_type" => "The request's content type is not accepted here (submissions are multipart/form-data).",
                    "request_too_large" => "The request is larger than this service accepts.",
                    _ when problem.Status >= 500 => "The service failed to handle the request; it has been logged.",
                    _ => problem.Title,
                };
            }
        });
        return builder;
    }

    public static WebApplication UseVerifyApiDefaults(this WebApplication app)
    {
        // Faults become RFC 9457 problem details without stack traces; bare status codes (404, 405) too.
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Verify.Api");
        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", app.Urls)));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verify API listening on {Urls} (readiness: /health/ready, liveness: /health/live)")]
    private static partial void LogListening(ILogger logger, string urls);
}
