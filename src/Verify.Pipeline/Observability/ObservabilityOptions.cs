namespace Verify.Pipeline.Observability;

/// <summary>Where traces and metrics go: nowhere unless an OTLP endpoint is configured.</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>An OTLP/gRPC or OTLP/HTTP collector, such as http://127.0.0.1:4317; empty for none.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The service name reported with every span and metric.</summary>
    public string ServiceName { get; set; } = "verify";
}
