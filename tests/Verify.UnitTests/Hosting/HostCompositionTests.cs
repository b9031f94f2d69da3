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

    private static IConfiguration Configuration(string transport) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:Transport"] = transport })
        .Build();
}
