namespace Verify.Api;

/// <summary>Cross-cutting set-up every API instance gets: problem details, and a start-up line with the URL.</summary>
internal static partial class ApiDefaults
{
    public static WebApplicationBuilder AddVerifyApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
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
