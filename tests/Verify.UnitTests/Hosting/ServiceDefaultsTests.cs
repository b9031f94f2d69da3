using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Verify.Hosting;
using Verify.Pipeline.Messaging;
using Verify.ServiceDefaults;

namespace Verify.UnitTests.Hosting;

/// <summary>What the hosts' shared defaults turn on: OpenTelemetry only with an OTLP endpoint, then every source the service emits.</summary>
public sealed class ServiceDefaultsTests
{
    [Fact]
    public void Without_an_otlp_endpoint_nothing_is_collected()
    {
        using var host = Host(configuration: []);

        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.Empty(host.Services.GetServices<ILoggerProvider>().OfType<OpenTelemetryLoggerProvider>());
    }

    [Theory]
    [InlineData("Observability:OtlpEndpoint")]
    [InlineData(ServiceDefaultsExtensions.StandardOtlpEndpoint)]
    public void With_an_otlp_endpoint_traces_metrics_and_logs_cover_the_pipeline_masstransit_aspnetcore_and_httpclient(string key)
    {
        // Port 9 (discard): nothing listens, and nothing is recorded here to export.
        using var host = Host(configuration: new() { [key] = "http://127.0.0.1:9" });

        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<MeterProvider>());
        Assert.Single(host.Services.GetServices<ILoggerProvider>().OfType<OpenTelemetryLoggerProvider>());
        foreach (string name in new[] { "Verify", "MassTransit", "Microsoft.AspNetCore", "System.Net.Http" })
        {
            using var source = new ActivitySource(name);
            Assert.True(source.HasListeners(), $"spans of {name} are not collected");
        }

        foreach (string name in new[] { "Verify", "MassTransit", "Microsoft.AspNetCore.Hosting", "System.Net.Http" })
        {
            using var meter = new Meter(name);
            Assert.True(meter.CreateCounter<long>("verify.test").Enabled, $"metrics of {name} are not collected");
        }
    }

    private static IHost Host(Dictionary<string, string?> configuration)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        builder.Services.AddVerifyHost(builder.Configuration, BusRole.Dispatcher);
        var host = builder.Build();
        // Resolving the providers starts collection, as the host does at start.
        host.Services.GetService<TracerProvider>();
        host.Services.GetService<MeterProvider>();
        return host;
    }
}
