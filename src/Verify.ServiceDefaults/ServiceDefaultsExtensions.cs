using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Verify.ServiceDefaults;

/// <summary>The set-up both hosts (API and worker) share: telemetry, health checks and resilient HttpClients.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The environment variable (or configuration key) of the standard OTLP endpoint.</summary>
    public const string StandardOtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddOpenTelemetryExport();
        builder.Services.AddHealthChecks();
        // Every HttpClient retries transient faults with timeouts and a circuit breaker, unless it opts out
        // (the webhook client keeps its own attempts in the delivery log).
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>
    /// Traces, metrics and logs over OTLP when an endpoint is configured: ASP.NET Core and HttpClient instrumentation
    /// here, and whatever sources and meters the host's own parts add (ConfigureOpenTelemetryTracerProvider). Without
    /// an endpoint nothing is registered, so no listener makes spans that nobody reads.
    /// </summary>
    private static void AddOpenTelemetryExport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName);
        var settings = builder.Configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        bool standard = !string.IsNullOrWhiteSpace(builder.Configuration[StandardOtlpEndpoint]);
        if (settings.OtlpEndpoint is null && !standard)
        {
            return;
        }

        // The lines the console shows, without scopes: the hosting scope holds the request path, which can carry a
        // subject id. A record keeps its trace and span ids, which tie it to the verification's span.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = false;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                    // The route template (http.route) stays; the concrete path can carry a subject id.
                    aspNetCore.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.path", null);
                })
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());
        if (settings.OtlpEndpoint is { } endpoint)
        {
            telemetry.UseOtlpExporter(OtlpExportProtocol.Grpc, endpoint);
        }
        else
        {
            // OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS, read by the exporter itself.
            telemetry.UseOtlpExporter();
        }
    }
}
