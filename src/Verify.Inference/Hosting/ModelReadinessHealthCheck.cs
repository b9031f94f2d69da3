using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Verify.Inference.Hosting;

/// <summary>Healthy only once every model is verified and loaded; the readiness probe of every host.</summary>
public sealed class ModelReadinessHealthCheck(ModelReadiness readiness) : IHealthCheck
{
    public const string Name = "models";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["models"] = readiness.ModelVersions };
        return Task.FromResult(readiness.Status == ReadinessStatus.Ready
            ? HealthCheckResult.Healthy(readiness.Description, data)
            : HealthCheckResult.Unhealthy(readiness.Description, data: data));
    }
}
