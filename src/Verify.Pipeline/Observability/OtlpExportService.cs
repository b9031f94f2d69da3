using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Verify.Pipeline.Observability;

/// <summary>
/// Exports the pipeline's spans and metrics over OTLP when <see cref="ObservabilityOptions.OtlpEndpoint"/> is set. The
/// OpenTelemetry hosting package is not on the mirror, so the providers are built here and disposed at shutdown.
/// </summary>
internal sealed partial class OtlpExportService(IOptions<ObservabilityOptions> options, ILogger<OtlpExportService> logger) : IHostedService, IDisposable
{
    private TracerProvider? _traces;
    private MeterProvider? _metrics;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.OtlpEndpoint is not { } endpoint)
        {
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(options.Value.ServiceName);
        _traces = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(PipelineTelemetry.Name)
            .AddOtlpExporter(otlp => otlp.Endpoint = endpoint).Build();
        _metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(PipelineTelemetry.Name)
            .AddOtlpExporter(otlp => otlp.Endpoint = endpoint).Build();
        LogExporting(logger, endpoint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _traces?.ForceFlush(2000);
        _metrics?.ForceFlush(2000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _traces?.Dispose();
        _metrics?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exporting traces and metrics over OTLP to {Endpoint}")]
    private static partial void LogExporting(ILogger logger, Uri endpoint);
}
