using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Verify.Pipeline.Messaging;

/// <summary>What a process does on the bus.</summary>
[Flags]
public enum BusRole
{
    /// <summary>Publishes the outbox (the API).</summary>
    Dispatcher = 1,

    /// <summary>Consumes verification and impersonation report commands (a worker, or the API in embedded mode).</summary>
    Consumer = 2,
}

/// <summary>Wires MassTransit, the consumers (for a consuming role) and the outbox dispatcher on the transport the host chose.</summary>
public static class MessagingServiceCollectionExtensions
{
    /// <param name="services">The host's services.</param>
    /// <param name="role">What this process does on the bus.</param>
    /// <param name="useTransport">The host's transport (Verify.Hosting chooses it from configuration); it configures the endpoints.</param>
    public static IServiceCollection AddVerifyMessaging(this IServiceCollection services, BusRole role, Action<IBusRegistrationConfigurator> useTransport)
    {
        ArgumentNullException.ThrowIfNull(useTransport);
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateDataAnnotations()
            .Validate(options => MessageSigner.IsValidKey(options.SigningKey),
                $"{MessagingOptions.SectionName}:{nameof(MessagingOptions.SigningKey)} must be base64 of {MessageSigner.MinKeyLength} bytes or more.")
            .ValidateOnStart()
            .PostConfigure(options => options.ConsumerAcknowledgesCommands = role.HasFlag(BusRole.Dispatcher | BusRole.Consumer));
        services.AddSingleton<MessageSigner>();
        services.TryAddSingleton<CommandReceipts>();
        services.AddMassTransit(bus =>
        {
            if (role.HasFlag(BusRole.Consumer))
            {
                bus.AddConsumer<VerifyIdentityConsumer, VerifyIdentityConsumerDefinition>();
                bus.AddConsumer<ImpersonationReportConsumer, ImpersonationReportConsumerDefinition>();
                // Every consuming process keeps its own duplicate index current from the badge events.
                bus.AddConsumer<Duplicates.TemplateIndexConsumer, Duplicates.TemplateIndexConsumerDefinition>();
            }

            if (role.HasFlag(BusRole.Dispatcher))
            {
                // A command in the error queue ends its verification or report (processing_failed, assessment_failed).
                bus.AddConsumer<CommandFaultConsumer>().Endpoint(endpoint => endpoint.Name = CommandFaultConsumer.QueueName);
            }

            useTransport(bus);
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
            .Validate(options => options.Endpoints.All(e => e.ClientId.Length is > 0 and <= 64),
                "Every webhook endpoint names the client whose events it receives (Webhooks:Endpoints:<i>:ClientId).")
            .ValidateOnStart();
        if (role.HasFlag(BusRole.Dispatcher))
        {
            services.AddHostedService<OutboxDispatcher>();
            services.TryAddSingleton<CommandRedriver>();
            services.AddHostedService<CommandRedriveService>();
        }

        return services;
    }
}
