using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Verify.Pipeline.Duplicates;

/// <summary>
/// Loads the template index when a consuming process starts and reconciles it with the database at
/// <see cref="DuplicateSearchOptions.CatchUpInterval"/>: what an event missed comes in, what was deleted or expired goes.
/// Refuses to start when the configured 1:N false accept rate has no calibrated threshold.
/// </summary>
public sealed partial class TemplateIndexService(
    TemplateIndexSync sync, DuplicateFaceSearch search, IOptions<DuplicateSearchOptions> options, TimeProvider time,
    ILogger<TemplateIndexService> logger) : BackgroundService
{
    /// <summary>The pause before trying again when a load failed before the first one succeeded (searches wait for it).</summary>
    private static readonly TimeSpan FirstLoadRetry = TimeSpan.FromSeconds(5);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.FaceSearch)
        {
            // Fails start-up with the calibrated rates listed, rather than every verification later.
            _ = search.Threshold;
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (added, removed) = await sync.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                if (added + removed > 0)
                {
                    LogReconciled(logger, added, removed);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception);
            }

            var pause = sync.Loaded.IsCompleted ? options.Value.CatchUpInterval : FirstLoadRetry;
            await Task.Delay(pause, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Template index caught up: {Added} templates added, {Removed} removed")]
    private static partial void LogReconciled(ILogger logger, int added, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template index catch-up failed; trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
