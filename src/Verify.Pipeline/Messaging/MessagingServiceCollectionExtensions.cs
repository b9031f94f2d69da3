using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
            .Validate(options => Enum.TryParse<MessageTransport>(options.Transport, ignoreCase: true, out var t) && Enum.IsDefined(t),
                MessagingOptions.UnknownTransport(configuration[$"{MessagingOptions.SectionName}:{nameof(MessagingOptions.Transport)}"]))
            .ValidateOnStart();
        var settings = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        var transport = Enum.TryParse<MessageTransport>(settings.Transport, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new InvalidOperationException(MessagingOptions.UnknownTransport(settings.Transport));

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

        if (role.HasFlag(BusRole.Dispatcher))
        {
            services.AddHostedService<OutboxDispatcher>();
        }

        return services;
    }
}
