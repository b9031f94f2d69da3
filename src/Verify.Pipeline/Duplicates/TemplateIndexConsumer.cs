using MassTransit;
using Verify.Contracts;

namespace Verify.Pipeline.Duplicates;

/// <summary>
/// Keeps this process's template index current with what other processes decide: a badge granted brings that
/// verification's templates in (a worker elsewhere verified it, or a reviewer approved it), a badge revoked (an erasure,
/// a reviewer) reloads that client's subject. Both are idempotent, so redeliveries and this process's own events are harmless.
/// </summary>
public sealed class TemplateIndexConsumer(TemplateIndexSync sync) : IConsumer<IdentityVerified>, IConsumer<BadgeRevoked>
{
    public async Task Consume(ConsumeContext<IdentityVerified> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await sync.AddVerificationAsync(context.Message.VerificationId, context.CancellationToken).ConfigureAwait(false);
    }

    public async Task Consume(ConsumeContext<BadgeRevoked> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await sync.RefreshSubjectAsync(context.Message.ClientId, context.Message.SubjectId, context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// The consumer's endpoint: one per process (the queue name ends with an id of this instance, and the queue goes when
/// the process does), because every worker keeps its own index and must hear every event, unlike a work queue where one
/// consumer takes each message. A few quick retries for a database hiccup; the periodic catch-up covers the rest.
/// </summary>
public sealed class TemplateIndexConsumerDefinition : ConsumerDefinition<TemplateIndexConsumer>
{
    public const string QueueName = "verify-template-index";

    public TemplateIndexConsumerDefinition()
    {
        Endpoint(endpoint =>
        {
            endpoint.Name = QueueName;
            endpoint.InstanceId = $"-{Guid.NewGuid():N}";
            endpoint.Temporary = true;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TemplateIndexConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        // Only the service's own (signed) badge events change the index.
        endpointConfigurator.UseConsumeFilter(typeof(Messaging.SignedMessageFilter<>), context);
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
    }
}
