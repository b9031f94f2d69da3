using MassTransit;
using Microsoft.Extensions.Logging;
using Verify.Contracts;
using Verify.Pipeline.Impersonation;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// A command that reached the error queue ends its verification or report: MassTransit publishes a <see cref="Fault{T}"/>
/// whenever a consumer's exception escapes its retries (on the in-memory bus and on RabbitMQ alike), and this consumer
/// in the API records <c>processing_failed</c> (a report: <c>assessment_failed</c>) with a review case unless it is
/// decided already. The worker's consumer gives up on its last retry itself; this catches what that could not record
/// (the database was down then) and any other consumer's failure. One queue, shared by the API instances, so each
/// fault is handled once.
/// </summary>
public sealed partial class CommandFaultConsumer(VerificationAbandonment verifications, ReportAbandonment reports, PipelineTelemetry telemetry,
    ILogger<CommandFaultConsumer> logger) : IConsumer<Fault<VerifyIdentity>>, IConsumer<Fault<AssessImpersonationReport>>
{
    /// <summary>The queue the faults of both commands come to.</summary>
    public const string QueueName = "command-faults";

    public async Task Consume(ConsumeContext<Fault<VerifyIdentity>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.Message.Message.VerificationId;
        var outcome = await verifications.GiveUpAsync(id, leaseExpiredBy: null, context.CancellationToken).ConfigureAwait(false);
        Count("verification", id, outcome == ProcessOutcome.Decided, outcome.ToString());
    }

    public async Task Consume(ConsumeContext<Fault<AssessImpersonationReport>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.Message.Message.ReportId;
        var outcome = await reports.GiveUpAsync(id, leaseExpiredBy: null, context.CancellationToken).ConfigureAwait(false);
        Count("impersonation_report", id, outcome == AssessOutcome.Assessed, outcome.ToString());
    }

    private void Count(string kind, Guid id, bool ended, string outcome)
    {
        telemetry.Faults.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("ended", ended));
        LogFault(logger, kind, id, outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The command for {Kind} {Id} faulted (it is in the error queue); {Outcome}")]
    private static partial void LogFault(ILogger logger, string kind, Guid id, string outcome);
}
