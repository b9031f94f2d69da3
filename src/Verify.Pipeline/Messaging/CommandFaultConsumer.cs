using MassTransit;
using Microsoft.Extensions.Logging;
using Verify.Contracts;
using Verify.Pipeline.Impersonation;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// A command that reached the error queue ends its verification or report: MassTransit publishes a <see cref="Fault{T}"/>
/// when a consumer's exception escapes (on the in-memory bus and on RabbitMQ alike), and this consumer in the API
/// records <c>processing_failed</c> (a report: <c>assessment_failed</c>) with a review case unless it is decided
/// already or still leased. With the endpoints' retry and scoped consumers MassTransit publishes a fault for every
/// failed attempt (MassTransit issue 4458), and a fault is no signed message of ours (anyone who reaches the broker can
/// publish one, naming any exception), so no fault ends a row still under a live lease, queued or processing, whatever
/// it says: the retries carry on, and once the lease lapses the re-driver re-drives it or gives it up. A worker whose
/// last attempt failed gives up itself; should that fail too (<see cref="CommandAbandonedException"/>), the lease
/// lapses and the re-driver ends it. One queue, shared by the API instances.
/// </summary>
public sealed partial class CommandFaultConsumer(VerificationAbandonment verifications, ReportAbandonment reports, PipelineTelemetry telemetry,
    TimeProvider time, ILogger<CommandFaultConsumer> logger) : IConsumer<Fault<VerifyIdentity>>, IConsumer<Fault<AssessImpersonationReport>>
{
    /// <summary>The queue the faults of both commands come to.</summary>
    public const string QueueName = "command-faults";

    public async Task Consume(ConsumeContext<Fault<VerifyIdentity>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.Message.Message.VerificationId;
        var outcome = await verifications.GiveUpAsync(id, Now, context.CancellationToken).ConfigureAwait(false);
        Count("verification", id, outcome == ProcessOutcome.Decided, outcome.ToString());
    }

    public async Task Consume(ConsumeContext<Fault<AssessImpersonationReport>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.Message.Message.ReportId;
        var outcome = await reports.GiveUpAsync(id, Now, context.CancellationToken).ConfigureAwait(false);
        Count("impersonation_report", id, outcome == AssessOutcome.Assessed, outcome.ToString());
    }

    /// <summary>The time a lease must have lapsed by: a live one is respected, whatever the fault says.</summary>
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private void Count(string kind, Guid id, bool ended, string outcome)
    {
        telemetry.Faults.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("ended", ended));
        LogFault(logger, kind, id, outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The command for {Kind} {Id} faulted (it is in the error queue); {Outcome}")]
    private static partial void LogFault(ILogger logger, string kind, Guid id, string outcome);
}
