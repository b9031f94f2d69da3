using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Verify.Pipeline;

/// <summary>
/// A background loop that runs one step at an interval. A failed step is logged and tried again at the next interval:
/// a background service that throws would stop the whole host.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The pause after each step, read again every time (options may change).</summary>
    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, GetType().Name, exception);
            }

            await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
