using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Verify.Pipeline.Messaging;

/// <summary>What a process does on the bus.</summary>
[Flags]
public enum BusRole
{
    /// <summary>Publishes the outbox (the API).</summary>
    Dispatcher = 1,

    /// <summary>Consumes verification commands (a worker, or the API in embedded mode).</summary>
    Consumer = 2,
}

/// <summary>The one place that chooses the transport and wires MassTransit, the consumers and the outbox dispatcher.</summary>
public static class MessagingServiceCollectionExtensions
{
    public static IServiceCollection AddVerifyMessaging(this IServiceCollection services, IConfiguration configuration, BusRole role)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateDataAnnotations()
            .Validate(options => ConfiguredEnum.TryParse<MessageTransport>(options.Transport, out _),
                MessagingOptions.UnknownTransport(configuration[$"{MessagingOptions.SectionName}:{nameof(MessagingOptions.Transport)}"]))
            .ValidateOnStart();
        var settings = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        var transport = settings.ParsedTransport;

        services.AddMassTransit(bus =>
        {
            if (role.HasFlag(BusRole.Consumer))
            {
                bus.AddConsumer<VerifyIdentityConsumer, VerifyIdentityConsumerDefinition>();
            }

            if (transport == MessageTransport.InMemory)
            {
                bus.UsingInMemory((context, configurator) => configurator.ConfigureEndpoints(context));
            }
            else
            {
                bus.UsingRabbitMq((context, configurator) =>
                {
                    var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                    configurator.Host(options.RabbitMqHost, (ushort)options.RabbitMqPort, options.RabbitMqVirtualHost, host =>
                    {
                        host.Username(options.RabbitMqUsername);
                        host.Password(options.RabbitMqPassword);
                    });
                    configurator.ConfigureEndpoints(context);
                });
            }
        });

        // MassTransit's spans (send, receive, consume) and metrics, exported with the host's when OTLP is configured.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(DiagnosticHeaders.DefaultListenerName));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(InstrumentationOptions.MeterName));

        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateDataAnnotations()
            .Validate(options => options.Endpoints.All(e => e.Url is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.IsLoopback)),
                "Webhook URLs must be absolute https URLs (plain http only to loopback, for tests).")
            .Validate(options => options.Endpoints.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count() == options.Endpoints.Count, "Webhook names must be unique.")
            .Validate(options => options.Endpoints.All(e => e.Name.Length is > 0 and <= 64 && e.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')),
                "A webhook name is 1-64 characters of A-Z, a-z, 0-9 and . _ -.")
            .Validate(options => options.Endpoints.All(e => e.Secret.Length >= 32), "A webhook secret has at least 32 characters.")
            .ValidateOnStart();
        if (role.HasFlag(BusRole.Dispatcher))
        {
            services.AddHostedService<OutboxDispatcher>();
        }

        return services;
    }
}
