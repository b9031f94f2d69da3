using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Pipeline;
using Verify.Pipeline.Messaging;
using Verify.Storage;

namespace Verify.Hosting;

/// <summary>The one place the hosts choose the database provider and the broker transport, and compose the service on them.</summary>
public static class HostCompositionExtensions
{
    /// <summary>Everything a Verify host (API or worker) runs in the given bus role.</summary>
    public static IServiceCollection AddVerifyHost(this IServiceCollection services, IConfiguration configuration, BusRole role)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BusTransportOptions>().BindConfiguration(BusTransportOptions.SectionName).ValidateDataAnnotations()
            .Validate(options => ConfiguredEnum.TryParse<MessageTransport>(options.Transport, out _),
                BusTransportOptions.UnknownTransport(configuration[$"{BusTransportOptions.SectionName}:{nameof(BusTransportOptions.Transport)}"]))
            .Validate(options => options.HasAcceptableCredentials, BusTransportOptions.GuestRefused)
            .ValidateOnStart();
        var transport = Transport(configuration).ParsedTransport;
        services.AddVerifyStorage();
        services.AddVerifyService(role, bus => UseTransport(bus, transport));
        if (transport == MessageTransport.RabbitMq)
        {
            // One instance (AddCheck resolves it from the container when registered): its connection factory is built once.
            services.AddSingleton<BrokerHealthCheck>();
            services.AddHealthChecks().AddCheck<BrokerHealthCheck>(BrokerHealthCheck.Name, tags: ["ready"]);
        }

        return services;
    }

    /// <summary>The API's role: it always publishes the outbox, and consumes too when the bus is in-memory (embedded mode).</summary>
    public static BusRole ApiRole(IConfiguration configuration)
    {
        bool inMemory = ConfiguredEnum.TryParse<MessageTransport>(Transport(configuration).Transport, out var transport) && transport == MessageTransport.InMemory;
        return inMemory ? BusRole.Dispatcher | BusRole.Consumer : BusRole.Dispatcher;
    }

    private static BusTransportOptions Transport(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(BusTransportOptions.SectionName).Get<BusTransportOptions>() ?? new BusTransportOptions();
    }

    private static void UseTransport(IBusRegistrationConfigurator bus, MessageTransport transport)
    {
        if (transport == MessageTransport.InMemory)
        {
            bus.UsingInMemory((context, configurator) => configurator.ConfigureEndpoints(context));
            return;
        }

        bus.UsingRabbitMq((context, configurator) =>
        {
            var options = context.GetRequiredService<IOptions<BusTransportOptions>>().Value;
            configurator.Host(options.RabbitMqHost, (ushort)options.RabbitMqPort, options.RabbitMqVirtualHost, host =>
            {
                host.Username(options.RabbitMqUsername);
                host.Password(options.RabbitMqPassword);
                if (options.RabbitMqUseTls)
                {
                    host.UseSsl(ssl => BrokerTls.Configure(ssl, options));
                }
            });
            configurator.ConfigureEndpoints(context);
        });
    }
}
