using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Verification;

namespace Verify.IntegrationTests.Service;

/// <summary>The embedded service with its re-driver looking every 200 ms and giving up after two re-drives.</summary>
public sealed class RedrivingService : EmbeddedService
{
    public const int MaxRedrives = 2;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Messaging:RedriveInterval", "00:00:00.200");
        builder.UseSetting("Messaging:MaxRedrives", MaxRedrives.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

[CollectionDefinition(Name)]
public sealed class RedrivingServiceCollection : ICollectionFixture<RedrivingService>
{
    public const string Name = "redriving service";
}

/// <summary>
/// Nothing stuck, nothing lost: verifications whose lease lapsed in processing are re-driven to a decision or, after the
/// last re-drive, sent to review; a duplicate command decides nothing twice. (Faults and queued re-drives: <see cref="LeasedWorkTests"/>.)
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(RedrivingServiceCollection.Name)]
public sealed class StuckWorkTests(RedrivingService service)
{
    [Fact]
    public async Task A_verification_stuck_in_processing_with_a_lapsed_lease_is_redriven_to_a_decision()
    {
        // As a worker that died mid-run leaves it: processing, its lease past, no message in flight.
        var id = await StuckVerifications.AddAsync(service, StuckVerifications.Holder, VerificationState.Processing, DateTime.UtcNow.AddMinutes(-1), redrives: 0);

        using var client = service.Client("client");
        var decided = await service.WaitForDecisionAsync(client, id);

        Assert.Equal("verified", decided.GetProperty("status").GetString());
        await using var db = service.Database();
        var verification = await db.Verifications.SingleAsync(v => v.Id == id);
        Assert.Equal(1, verification.RedriveCount);
        Assert.Single(await CommandsForAsync(db, id));
    }

    [Fact]
    public async Task After_the_last_redrive_a_stuck_verification_goes_to_review_as_processing_failed()
    {
        var id = await StuckVerifications.AddAsync(service, "stuck-too-often", VerificationState.Processing, DateTime.UtcNow.AddMinutes(-1),
            redrives: RedrivingService.MaxRedrives);

        using var client = service.Client("client");
        var decided = await service.WaitForDecisionAsync(client, id);

        Assert.Equal("needs_review", decided.GetProperty("status").GetString());
        Assert.Equal([DecisionReasons.ProcessingFailed], decided.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        await using var db = service.Database();
        var opened = await db.ReviewCases.SingleAsync(c => c.Id == id);
        Assert.Equal([DecisionReasons.ProcessingFailed], opened.Reasons);
        Assert.Null(opened.DecidedAt);
        Assert.Empty(await CommandsForAsync(db, id));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.VerificationId == id && a.Action == "verification.needs_review"));
    }

    [Fact]
    public async Task A_duplicate_command_decides_nothing_twice_and_leaves_a_verification_under_a_live_lease_alone()
    {
        using var client = service.Client("client");
        var (decidedId, _) = await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications",
            EmbeddedService.Submission(StuckVerifications.Holder, service.CleanDocument.Document, CleanDocuments.HolderSelfie(service.CleanDocument)));
        Assert.Equal("verified", (await service.WaitForDecisionAsync(client, decidedId)).GetProperty("status").GetString());
        var held = await StuckVerifications.AddAsync(service, "held-elsewhere", VerificationState.Processing, DateTime.UtcNow.AddHours(1), redrives: 0);

        var consumed = new ConcurrentQueue<Guid>();
        using var observer = service.Services.GetRequiredService<IBus>().ConnectConsumeMessageObserver(new ConsumedCommands(consumed));
        await using (var db = service.Database())
        {
            // The same command again (a re-sent outbox row) for the decided one, and a first delivery for the one another holds.
            var original = (await CommandsForAsync(db, decidedId)).Single();
            var queue = await service.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri("queue:verify-identity-cpu"));
            await queue.Send(new VerifyIdentity(decidedId), context => context.MessageId = original.Id);
            await queue.Send(new VerifyIdentity(held));
        }

        Assert.True(await service.EventuallyAsync(_ => Task.FromResult(consumed.Contains(decidedId) && consumed.Contains(held))), "both commands consumed");
        await using (var db = service.Database())
        {
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.VerificationId == decidedId && a.Action == "verification.verified"));
            Assert.Equal(1, await db.Outbox.CountAsync(m => m.MessageType == typeof(VerificationCompleted).FullName && m.Payload.Contains(decidedId.ToString())));
            var untouched = await db.Verifications.SingleAsync(v => v.Id == held);
            Assert.Equal(VerificationState.Processing, untouched.State);
            Assert.Empty(await db.AuditEvents.Where(a => a.VerificationId == held).ToListAsync());
        }
    }

    private static Task<List<OutboxMessage>> CommandsForAsync(Verify.Data.VerifyDbContext db, Guid id) =>
        db.Outbox.Where(m => m.MessageType == typeof(VerifyIdentity).FullName && m.Payload.Contains(id.ToString())).ToListAsync();

    /// <summary>Notes each verification command once a consumer finished with it.</summary>
    private sealed class ConsumedCommands(ConcurrentQueue<Guid> consumed) : IConsumeMessageObserver<VerifyIdentity>
    {
        public Task PreConsume(ConsumeContext<VerifyIdentity> context) => Task.CompletedTask;

        public Task PostConsume(ConsumeContext<VerifyIdentity> context)
        {
            consumed.Enqueue(context.Message.VerificationId);
            return Task.CompletedTask;
        }

        public Task ConsumeFault(ConsumeContext<VerifyIdentity> context, Exception exception) => Task.CompletedTask;
    }
}

/// <summary>
/// The embedded service without its outbox dispatcher and re-driver: the test sends the outbox itself, with dispatchers
/// it chooses, and re-drives when it wants to, so a lapsed lease stays lapsed until the test acts on it.
/// </summary>
public sealed class HandDispatchedService : EmbeddedService
{
    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService)
                && (d.ImplementationType == typeof(OutboxDispatcher) || d.ImplementationType == typeof(CommandRedriveService))).ToList())
            {
                services.Remove(hosted);
            }
        });
}

/// <summary>The embedded outbox keeps a command until its consumer has it: one sent into a queue nobody reads is sent again.</summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class EmbeddedOutboxTests(HandDispatchedService service) : IClassFixture<HandDispatchedService>
{
    [Fact]
    public async Task A_command_sent_but_never_received_is_sent_again_once_its_lease_lapses_and_decided_once()
    {
        var id = await StuckVerifications.AddAsync(service, StuckVerifications.Holder, VerificationState.Queued, lease: null, redrives: 0, withCommand: true);
        // A dispatcher whose sends go where no consumer ever reads: as if the process died between the send and the receipt.
        var lost = ActivatorUtilities.CreateInstance<OutboxDispatcher>(service.Services, new UnreadQueueScopes(service.Services));
        var sentFrom = DateTime.UtcNow;
        Assert.Equal(1, await lost.DispatchOnceAsync(CancellationToken.None));
        // Still waiting for its receipt: not sent again while a verification may wait in the queue (a long in-memory
        // backlog is not sent again every outbox lease).
        Assert.Equal(0, await ActivatorUtilities.CreateInstance<OutboxDispatcher>(service.Services).DispatchOnceAsync(CancellationToken.None));
        await using (var db = service.Database())
        {
            var row = await db.Outbox.SingleAsync(m => m.MessageType == typeof(VerifyIdentity).FullName && m.Payload.Contains(id.ToString()));
            Assert.Null(row.SentAt);
            Assert.True(row.LockedUntil >= sentFrom + service.Services.GetRequiredService<IOptions<MessagingOptions>>().Value.QueuedLease,
                "leased for the queued lease, not the outbox lease");
            Assert.Equal(VerificationState.Queued, (await db.Verifications.SingleAsync(v => v.Id == id)).State);
            // Time passes: the lease lapses.
            await db.Outbox.Where(m => m.Id == row.Id).ExecuteUpdateAsync(set => set.SetProperty(m => m.LockedUntil, DateTime.UtcNow.AddSeconds(-1)));
        }

        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(service.Services);
        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        using var client = service.Client("client");
        Assert.Equal("verified", (await service.WaitForDecisionAsync(client, id)).GetProperty("status").GetString());
        await using (var db = service.Database())
        {
            var row = await db.Outbox.SingleAsync(m => m.MessageType == typeof(VerifyIdentity).FullName && m.Payload.Contains(id.ToString()));
            Assert.NotNull(row.SentAt);
            Assert.Equal(2, row.Attempts);
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.VerificationId == id && a.Action == "verification.verified"));
        }
    }

    /// <summary>Scopes whose send endpoints all lead to one queue without a consumer.</summary>
    private sealed class UnreadQueueScopes(IServiceProvider services) : IServiceScopeFactory
    {
        public IServiceScope CreateScope() => new Scope(services.CreateScope());

        private sealed class Scope(IServiceScope inner) : IServiceScope, IServiceProvider
        {
            public IServiceProvider ServiceProvider => this;

            public object? GetService(Type serviceType) => serviceType == typeof(ISendEndpointProvider)
                ? new UnreadQueue(inner.ServiceProvider.GetRequiredService<IBus>())
                : inner.ServiceProvider.GetService(serviceType);

            public void Dispose() => inner.Dispose();
        }

        private sealed class UnreadQueue(IBus bus) : ISendEndpointProvider
        {
            public Task<ISendEndpoint> GetSendEndpoint(Uri address) => bus.GetSendEndpoint(new Uri("queue:never-read"));

            public ConnectHandle ConnectSendObserver(ISendObserver observer) => bus.ConnectSendObserver(observer);
        }
    }
}

/// <summary>Verifications written as a lost process leaves them: consent, the images, the row in the given state, no message in flight.</summary>
internal static class StuckVerifications
{
    /// <summary>The clean document's holder: every verification of it in one service uses this subject (another would be a duplicate document).</summary>
    public const string Holder = "holder";

    public static async Task<Guid> AddAsync(EmbeddedService service, string subject, VerificationState state, DateTime? lease, int redrives,
        bool withCommand = false)
    {
        var now = DateTime.UtcNow;
        await using var db = service.Database();
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = subject, ClientId = "platform", BiometricProcessing = true, TemplateStorage = true, PolicyVersion = "2026-11", GrantedAt = now,
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = "platform", SubjectId = subject, ConsentId = consent.Id, State = state, CreatedAt = now, UpdatedAt = now,
            LeaseExpiresAt = lease, RedriveCount = redrives,
        };
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        var blobs = service.Services.GetRequiredService<EncryptedBlobStore>();
        await blobs.AddAsync(db, subject, verification.Id, BlobKind.DocumentFront, service.CleanDocument.Document);
        await blobs.AddAsync(db, subject, verification.Id, BlobKind.Selfie, CleanDocuments.HolderSelfie(service.CleanDocument));
        if (withCommand)
        {
            Outbox.Add(db, new VerifyIdentity(verification.Id), now);
        }

        await db.SaveChangesAsync();
        return verification.Id;
    }
}
