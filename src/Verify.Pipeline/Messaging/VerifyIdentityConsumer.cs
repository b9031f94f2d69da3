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
public sealed partial class VerifyIdentityConsumer(VerificationProcessor processor, CommandReceipts receipts, IOptions<MessagingOptions> options,
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
            // The receipt first: from here a lost process leaves a lease to lapse, not a command to send again.
            await receipts.AcknowledgeAsync(context.MessageId, context.CancellationToken).ConfigureAwait(false);
            await processor.ProcessAsync(id, CommandEndpoints.Resumes(context), context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (context.GetRetryAttempt() >= options.Value.RetryLimit && CommandEndpoints.IsFault(exception, lifetime))
        {
            LogGivingUp(logger, exception, id, context.GetRetryAttempt() + 1);
            try
            {
                await processor.GiveUpAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // To the error queue, marked for an operator: once its lease lapses the re-driver re-drives or ends it.
                throw new CommandAbandonedException(id, failure);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Verification {VerificationId} failed on all {Attempts} attempts; giving up on it")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, Guid verificationId, int attempts);
}

/// <summary>The consumer's queue (by worker kind), retries with backoff for faults, and its concurrency limit.</summary>
public sealed class VerifyIdentityConsumerDefinition : ConsumerDefinition<VerifyIdentityConsumer>
{
    private readonly MessagingOptions _options;

    public VerifyIdentityConsumerDefinition(Microsoft.Extensions.Options.IOptions<MessagingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EndpointName = MessagingOptions.QueueName(WorkerQueueOf(options.Value));
        _options = options.Value;
        ConcurrentMessageLimit = options.Value.ConcurrentVerifications;
    }

    /// <summary>The queue this process consumes: the one it submits to in embedded mode, its own kind for a worker.</summary>
    internal static WorkerQueue WorkerQueueOf(MessagingOptions options) => options.Queue;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<VerifyIdentityConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        // First of all: a command without the service's signature is refused before it is retried or run.
        endpointConfigurator.UseConsumeFilter(typeof(SignedMessageFilter<>), context);
        CommandEndpoints.Configure(endpointConfigurator, _options);
    }
}
