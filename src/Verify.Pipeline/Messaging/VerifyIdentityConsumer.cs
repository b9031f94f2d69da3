using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// Runs the pipeline for one submission; redeliveries are harmless (the processor decides once). A fault is retried
/// by the endpoint's retry policy; when the last retry fails as well, the verification is given up on (sent to
/// review with <c>processing_failed</c>) instead of staying in processing for ever.
/// </summary>
public sealed partial class VerifyIdentityConsumer(VerificationProcessor processor, IOptions<MessagingOptions> options,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime, ILogger<VerifyIdentityConsumer> logger) : IConsumer<VerifyIdentity>
{
    public async Task Consume(ConsumeContext<VerifyIdentity> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.Message.VerificationId;
        // Every log line of this verification carries its id, the correlation id across API, bus and worker.
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["VerificationId"] = id });
        try
        {
            await processor.ProcessAsync(id, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (context.GetRetryAttempt() >= options.Value.RetryLimit && IsFault(exception))
        {
            LogGivingUp(logger, exception, id, context.GetRetryAttempt() + 1);
            await processor.GiveUpAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Everything is a fault (a timeout included, ours or a client library's) except a cancellation while the process
    /// shuts down: that verification is not given up on, and stays for MassTransit's shutdown handling.
    /// </summary>
    private bool IsFault(Exception exception) =>
        exception is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested;

    [LoggerMessage(Level = LogLevel.Error, Message = "Verification {VerificationId} failed on all {Attempts} attempts; giving up on it")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, Guid verificationId, int attempts);
}

/// <summary>The consumer's queue (by worker kind), retries with backoff for faults, and its concurrency limit.</summary>
public sealed class VerifyIdentityConsumerDefinition : ConsumerDefinition<VerifyIdentityConsumer>
{
    private readonly int _concurrency;
    private readonly TimeSpan _timeout;
    private readonly MessagingOptions _options;

    public VerifyIdentityConsumerDefinition(Microsoft.Extensions.Options.IOptions<MessagingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EndpointName = MessagingOptions.QueueName(WorkerQueueOf(options.Value));
        _concurrency = options.Value.ConcurrentVerifications;
        _timeout = options.Value.VerificationTimeout;
        _options = options.Value;
        ConcurrentMessageLimit = _concurrency;
    }

    /// <summary>The queue this process consumes: the one it submits to in embedded mode, its own kind for a worker.</summary>
    internal static WorkerQueue WorkerQueueOf(MessagingOptions options) => options.Queue;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<VerifyIdentityConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        // A fault (database down, a native crash caught as an exception) is retried with growing pauses; business
        // outcomes never throw. The consumer gives up on the last retry (processing_failed), so no verification stays
        // in processing; only a failure to record even that sends the message to the _error queue for an operator.
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(_options.RetryLimit, _options.RetryMinInterval, _options.RetryMaxInterval, _options.RetryIntervalDelta));
        // A verification that hangs (a stuck native call, a database that stopped answering) is cancelled, and retried.
        endpointConfigurator.UseTimeout(timeout => timeout.Timeout = _timeout);
        endpointConfigurator.PrefetchCount = _concurrency;
    }
}
