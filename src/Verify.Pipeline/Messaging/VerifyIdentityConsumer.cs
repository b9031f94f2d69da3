using MassTransit;
using Microsoft.Extensions.Logging;
using Verify.Contracts;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Messaging;

/// <summary>Runs the pipeline for one submission; redeliveries are harmless (the processor decides once).</summary>
public sealed class VerifyIdentityConsumer(VerificationProcessor processor, ILogger<VerifyIdentityConsumer> logger) : IConsumer<VerifyIdentity>
{
    public async Task Consume(ConsumeContext<VerifyIdentity> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Every log line of this verification carries its id, the correlation id across API, bus and worker.
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["VerificationId"] = context.Message.VerificationId });
        await processor.ProcessAsync(context.Message.VerificationId, context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The consumer's queue (by worker kind), retries with backoff for faults, and its concurrency limit.</summary>
public sealed class VerifyIdentityConsumerDefinition : ConsumerDefinition<VerifyIdentityConsumer>
{
    private readonly int _concurrency;
    private readonly TimeSpan _timeout;

    public VerifyIdentityConsumerDefinition(Microsoft.Extensions.Options.IOptions<MessagingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EndpointName = MessagingOptions.QueueName(WorkerQueueOf(options.Value));
        _concurrency = options.Value.ConcurrentVerifications;
        _timeout = options.Value.VerificationTimeout;
        ConcurrentMessageLimit = _concurrency;
    }

    /// <summary>The queue this process consumes: the one it submits to in embedded mode, its own kind for a worker.</summary>
    internal static WorkerQueue WorkerQueueOf(MessagingOptions options) => options.Queue;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<VerifyIdentityConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        // A fault (database down, a native crash caught as an exception) is retried with growing pauses, then the
        // message goes to the _error queue for an operator; business outcomes never throw.
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
        // A verification that hangs (a stuck native call, a database that stopped answering) is cancelled, and retried.
        endpointConfigurator.UseTimeout(timeout => timeout.Timeout = _timeout);
        endpointConfigurator.PrefetchCount = _concurrency;
    }
}
