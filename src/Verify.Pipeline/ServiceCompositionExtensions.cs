using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Retention;
using Verify.Pipeline.Storage;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline;

/// <summary>Everything a Verify host runs: the pipeline, storage, the bus in the given role, and the verification processor.</summary>
public static class ServiceCompositionExtensions
{
    public static IServiceCollection AddVerifyService(this IServiceCollection services, IConfiguration configuration, BusRole role)
    {
        services.AddVerifyPipeline();
        services.AddVerifyStorage();
        services.AddVerifyMessaging(configuration, role);
        services.AddVerificationProcessing();
        services.AddMetrics();
        services.TryAddSingleton<PipelineTelemetry>();
        // Exported by the host's OpenTelemetry (Verify.ServiceDefaults) when an OTLP endpoint is configured.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(PipelineTelemetry.Name));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(PipelineTelemetry.Name));
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<SubjectEraser>();
        services.TryAddSingleton<RetentionPurger>();
        if (role.HasFlag(BusRole.Dispatcher))
        {
            // One purge loop per API instance; each step is an idempotent delete, so instances never conflict.
            services.AddHostedService<RetentionService>();
        }

        return services;
    }

    /// <summary>The API's role: it always publishes the outbox, and consumes too when the bus is in-memory (embedded mode).</summary>
    public static BusRole ApiRole(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        bool inMemory = ConfiguredEnum.TryParse<MessageTransport>(settings.Transport, out var transport) && transport == MessageTransport.InMemory;
        return inMemory ? BusRole.Dispatcher | BusRole.Consumer : BusRole.Dispatcher;
    }
}
