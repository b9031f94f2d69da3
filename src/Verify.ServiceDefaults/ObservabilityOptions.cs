namespace Verify.ServiceDefaults;

/// <summary>Where traces, metrics and logs go: nowhere unless an OTLP endpoint is configured.</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>
    /// An OTLP/gRPC collector, such as http://127.0.0.1:4317; empty for none. Without it the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT (with OTEL_EXPORTER_OTLP_PROTOCOL) is honoured.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The service name reported with every span, metric and log record.</summary>
    public string ServiceName { get; set; } = "verify";
}
