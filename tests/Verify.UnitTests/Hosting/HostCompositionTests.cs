using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Verify.Hosting;
using Verify.Pipeline.Messaging;

namespace Verify.UnitTests.Hosting;

/// <summary>How a host reads its mode: the transport names its role, and an unknown one stops start-up.</summary>
public sealed class HostCompositionTests
{
    [Theory]
    [InlineData("InMemory", BusRole.Dispatcher | BusRole.Consumer)]
    [InlineData("rabbitmq", BusRole.Dispatcher)]
    public void The_api_consumes_only_when_the_bus_is_in_memory(string transport, BusRole role)
    {
        Assert.Equal(role, HostCompositionExtensions.ApiRole(Configuration(transport)));
    }

    [Fact]
    public void An_unknown_transport_stops_start_up_with_the_valid_ones()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerifyHost(Configuration("Kafka"), BusRole.Dispatcher));

        Assert.Contains("Messaging:Transport 'Kafka' is not supported; use one of: InMemory, RabbitMq", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("broker.internal", "guest", "guest", false)]
    [InlineData("10.0.0.5", "guest", "guest", false)]
    [InlineData("127.0.0.1", "guest", "guest", true)]
    [InlineData("localhost", "guest", "guest", true)]
    [InlineData("::1", "guest", "guest", true)]
    [InlineData("broker.internal", "verify", "a-generated-password", true)]
    public void Guest_guest_is_refused_for_a_broker_off_loopback(string host, string username, string password, bool accepted)
    {
        var configuration = Configuration("RabbitMq", new()
        {
            ["Messaging:RabbitMqHost"] = host, ["Messaging:RabbitMqUsername"] = username, ["Messaging:RabbitMqPassword"] = password,
        });
        using var services = new ServiceCollection().AddSingleton(configuration).AddVerifyHost(configuration, BusRole.Dispatcher).BuildServiceProvider();

        var read = () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BusTransportOptions>>().Value;

        if (accepted)
        {
            Assert.Equal(host, read().RabbitMqHost);
        }
        else
        {
            var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(read);
            Assert.Contains("guest/guest", exception.Message, StringComparison.Ordinal);
        }
    }

    private static IConfiguration Configuration(string transport, Dictionary<string, string?>? more = null) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>(more ?? []) { ["Messaging:Transport"] = transport })
        .Build();
}
