using Verify.Inference.Hosting;

namespace Verify.Worker;

/// <summary>Logs once whether the worker became ready (all models verified and loaded) or why it did not.</summary>
internal sealed partial class WorkerReadinessReporter(ModelReadiness readiness, ILogger<WorkerReadinessReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (readiness.Status == ReadinessStatus.Loading)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }

        if (readiness.Status == ReadinessStatus.Ready)
        {
            LogReady(readiness.Description, string.Join(", ", readiness.ModelVersions));
        }
        else
        {
            LogNotReady(readiness.Description);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verify worker ready: {Description} ({Models})")]
    private partial void LogReady(string description, string models);

    [LoggerMessage(Level = LogLevel.Error, Message = "Verify worker not ready: {Description}")]
    private partial void LogNotReady(string description);
}
