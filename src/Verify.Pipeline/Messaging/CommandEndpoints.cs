using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// Thrown by a command's consumer when its last attempt failed and giving up failed too (the database did not answer):
/// the command goes to the error queue marked for an operator. The mark ends nothing by itself (a fault is not signed,
/// so anyone on the broker could forge it): once the worker's processing lease lapses, the re-driver re-drives the
/// verification or report, or ends it after its last re-drive.
/// </summary>
public sealed class CommandAbandonedException(Guid id, Exception inner)
    : Exception($"Giving up on {id} failed after its last attempt", inner);

/// <summary>What the command consumers (verifications, impersonation reports) share: how their endpoints retry, time out and prefetch, and what counts as a fault.</summary>
internal static class CommandEndpoints
{
    public static void Configure(IReceiveEndpointConfigurator endpoint, MessagingOptions options)
    {
        // A fault (database down, a native crash caught as an exception) is retried with growing pauses; business
        // outcomes never throw. The consumer gives up on the last retry, so no command's subject stays in processing;
        // only a failure to record even that sends the message to the _error queue for an operator.
        endpoint.UseMessageRetry(retry => retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryIntervalDelta));
        // A command that hangs (a stuck native call, a database that stopped answering) is cancelled, and retried.
        endpoint.UseTimeout(timeout => timeout.Timeout = options.VerificationTimeout);
        endpoint.PrefetchCount = options.ConcurrentVerifications;
    }

    /// <summary>
    /// Whether this delivery carries on work its own command began: a retry here, or the broker's redelivery after the
    /// consumer holding it died. A first delivery (a duplicate, a command sent again) leaves work under a live lease alone.
    /// </summary>
    public static bool Resumes(ConsumeContext context) => context.GetRetryAttempt() > 0 || context.ReceiveContext.Redelivered;

    /// <summary>
    /// Everything is a fault (a timeout included, ours or a client library's) except a cancellation while the process
    /// shuts down: that command is not given up on, and stays for MassTransit's shutdown handling.
    /// </summary>
    public static bool IsFault(Exception exception, IHostApplicationLifetime lifetime) =>
        exception is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested;
}
