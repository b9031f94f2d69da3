using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Pipeline.Impersonation;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// Assesses one impersonation report; redeliveries are harmless (the assessor records once). A fault is retried by the
/// endpoint's retry policy; when the last retry fails as well, the report is completed as <c>assessment_failed</c> with
/// a review case, instead of staying in processing for ever.
/// </summary>
public sealed partial class ImpersonationReportConsumer(ImpersonationAssessor assessor, CommandReceipts receipts, IOptions<MessagingOptions> options,
    IHostApplicationLifetime lifetime, ILogger<ImpersonationReportConsumer> logger) : IConsumer<AssessImpersonationReport>
{
    public async Task Consume(ConsumeContext<AssessImpersonationReport> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.Message.ReportId;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ReportId"] = id });
        try
        {
            // The receipt first: from here a lost process leaves a lease to lapse, not a command to send again.
            await receipts.AcknowledgeAsync(context.MessageId, context.CancellationToken).ConfigureAwait(false);
            await assessor.AssessAsync(id, CommandEndpoints.Resumes(context), context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (context.GetRetryAttempt() >= options.Value.RetryLimit && CommandEndpoints.IsFault(exception, lifetime))
        {
            LogGivingUp(logger, exception, id, context.GetRetryAttempt() + 1);
            try
            {
                await assessor.GiveUpAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // To the error queue, marked for an operator: once its lease lapses the re-driver re-drives or ends it.
                throw new CommandAbandonedException(id, failure);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Impersonation report {ReportId} failed on all {Attempts} attempts; giving up on it")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, Guid reportId, int attempts);
}

/// <summary>The report consumer's own queue (by worker kind, beside the verifications'), its retries and concurrency limit.</summary>
public sealed class ImpersonationReportConsumerDefinition : ConsumerDefinition<ImpersonationReportConsumer>
{
    private readonly MessagingOptions _options;

    public ImpersonationReportConsumerDefinition(IOptions<MessagingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EndpointName = MessagingOptions.ReportQueueName(options.Value.Queue);
        _options = options.Value;
        ConcurrentMessageLimit = options.Value.ConcurrentVerifications;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ImpersonationReportConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        // First of all: a command without the service's signature is refused before it is retried or run.
        endpointConfigurator.UseConsumeFilter(typeof(SignedMessageFilter<>), context);
        CommandEndpoints.Configure(endpointConfigurator, _options);
    }
}
