using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Messaging;

namespace Verify.IntegrationTests.Service;

/// <summary>Through RabbitMQ: a worker process acts only on commands the service signed; anything else put on its queue is refused.</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
[Collection(DistributedServiceCollection.Name)]
public sealed class DistributedBusSigningTests(DistributedService service)
{
    [Fact]
    public async Task A_worker_refuses_a_command_published_straight_on_the_broker_and_runs_the_signed_one_from_the_outbox()
    {
        var worker = service.StartWorker();
        try
        {
            Guid id;
            await using (var db = service.Database())
            {
                id = await QueuedVerification.AddAsync(db, "platform", "dist-forged");
            }

            var queue = await service.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri("queue:verify-identity-cpu"));
            Guid unsigned = Guid.NewGuid();
            Guid forged = Guid.NewGuid();
            await queue.Send(new VerifyIdentity(id), context => context.MessageId = unsigned);
            await queue.Send(new VerifyIdentity(id), context =>
            {
                context.MessageId = forged;
                context.Headers.Set(MessageSigner.Header, Convert.ToBase64String(new byte[32]));
            });

            await Eventually.TrueAsync(() => Refused(unsigned, "missing") && Refused(forged, "invalid"), "the worker to refuse both forged commands");
            Assert.Equal(VerificationState.Queued, await service.WaitForStateAsync(id, _ => true, TimeSpan.Zero));

            await using (var db = service.Database())
            {
                Outbox.Add(db, new VerifyIdentity(id), DateTime.UtcNow);
                await db.SaveChangesAsync();
            }

            Assert.NotEqual(VerificationState.Queued, await service.WaitForStateAsync(id, state => state != VerificationState.Queued, TimeSpan.FromMinutes(1)));
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    private bool Refused(Guid messageId, string reason) =>
        service.WorkerLogs().Contains($"VerifyIdentity {messageId} refused: signature {reason}", StringComparison.Ordinal);
}
