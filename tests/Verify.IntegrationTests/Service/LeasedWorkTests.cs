using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Verification;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// A live lease is respected by everyone but the worker holding it: no fault (a retry's, or a forged one) ends a
/// verification still leased, and waiting in the queue is never a reason to give up. The re-driver runs only when the
/// test calls it, so a lease the test wrote as lapsed stays lapsed until the test acts on it.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class LeasedWorkTests(HandDispatchedService service) : IClassFixture<HandDispatchedService>
{
    [Fact]
    public async Task A_command_that_faults_ends_its_verification_as_processing_failed_once_its_lease_lapsed()
    {
        // Queued with its lease past (its command's delivery and retries are over), and no re-driver running: only the fault can end it.
        var id = await StuckVerifications.AddAsync(service, "faulted-subject", VerificationState.Queued, DateTime.UtcNow.AddMinutes(-1), redrives: 0);

        await FaultAsync(id, new InvalidOperationException("forced failure"));

        using var client = service.Client("client");
        var decided = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("needs_review", decided.GetProperty("status").GetString());
        Assert.Equal([DecisionReasons.ProcessingFailed], decided.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        await using var db = service.Database();
        Assert.True(await db.ReviewCases.AnyAsync(c => c.Id == id && c.DecidedAt == null));
    }

    [Fact]
    public async Task A_fault_of_a_first_attempt_leaves_a_queued_verification_under_its_lease_to_the_retries()
    {
        // Just accepted: an attempt failed before it saved processing (a database blip), and its retries are still to come.
        var id = await StuckVerifications.AddAsync(service, "retried-subject", VerificationState.Queued, lease: null, redrives: 0);

        await FaultAsync(id, new InvalidOperationException("transient failure"));

        await AssertUntouchedAsync(id, VerificationState.Queued);
    }

    [Fact]
    public async Task A_forged_abandoned_fault_leaves_a_verification_a_worker_holds_alone()
    {
        var id = await StuckVerifications.AddAsync(service, "held-subject", VerificationState.Processing, DateTime.UtcNow.AddHours(1), redrives: 0);

        // Anyone who can publish on the broker can make a fault naming the worker's "given up" exception.
        await FaultAsync(id, new CommandAbandonedException(id, new InvalidOperationException("forged")));

        await AssertUntouchedAsync(id, VerificationState.Processing);
    }

    [Fact]
    public async Task A_verification_that_only_waited_in_the_queue_is_redriven_without_counting_and_never_given_up_on()
    {
        int max = service.Services.GetRequiredService<IOptions<MessagingOptions>>().Value.MaxRedrives;
        var lapsed = DateTime.UtcNow.AddMinutes(-1);
        // Both past the last re-drive; one only waited behind a long queue, the other's worker started it and died.
        var waited = await StuckVerifications.AddAsync(service, "waited-subject", VerificationState.Queued, lapsed, redrives: max);
        var died = await StuckVerifications.AddAsync(service, "died-subject", VerificationState.Processing, lapsed, redrives: max);

        await service.Services.GetRequiredService<CommandRedriver>().RedriveOnceAsync(CancellationToken.None);

        await using var db = service.Database();
        var requeued = await db.Verifications.SingleAsync(v => v.Id == waited);
        Assert.Equal(VerificationState.Queued, requeued.State);
        Assert.Equal(max, requeued.RedriveCount);
        Assert.True(requeued.LeaseExpiresAt > lapsed);
        Assert.Single(await db.Outbox.Where(m => m.MessageType == typeof(VerifyIdentity).FullName && m.Payload.Contains(waited.ToString())).ToListAsync());
        Assert.False(await db.ReviewCases.AnyAsync(c => c.Id == waited));
        Assert.Equal(VerificationState.NeedsReview, (await db.Verifications.SingleAsync(v => v.Id == died)).State);
    }

    /// <summary>A command for the verification fails in a consumer without retries; returns once the API's fault consumer handled its fault.</summary>
    private async Task FaultAsync(Guid id, Exception failure)
    {
        var bus = service.Services.GetRequiredService<IBus>();
        var handled = new ConcurrentQueue<Guid>();
        using var observer = bus.ConnectConsumeMessageObserver(new HandledFaults(handled));
        var failing = bus.ConnectReceiveEndpoint($"always-failing-{Guid.NewGuid():N}", endpoint => endpoint.Handler<VerifyIdentity>(_ => throw failure));
        await failing.Ready;
        try
        {
            var endpoint = await bus.GetSendEndpoint(failing.ReceiveEndpoint.InputAddress);
            await endpoint.Send(new VerifyIdentity(id));
            Assert.True(await service.EventuallyAsync(_ => Task.FromResult(handled.Contains(id))), "the fault was consumed");
        }
        finally
        {
            await failing.StopAsync();
        }
    }

    private async Task AssertUntouchedAsync(Guid id, VerificationState state)
    {
        await using var db = service.Database();
        Assert.Equal(state, (await db.Verifications.SingleAsync(v => v.Id == id)).State);
        Assert.False(await db.ReviewCases.AnyAsync(c => c.Id == id));
        Assert.Empty(await db.AuditEvents.Where(a => a.VerificationId == id).ToListAsync());
    }

    /// <summary>Notes each verification whose fault the fault consumer finished with.</summary>
    private sealed class HandledFaults(ConcurrentQueue<Guid> handled) : IConsumeMessageObserver<Fault<VerifyIdentity>>
    {
        public Task PreConsume(ConsumeContext<Fault<VerifyIdentity>> context) => Task.CompletedTask;

        public Task PostConsume(ConsumeContext<Fault<VerifyIdentity>> context)
        {
            handled.Enqueue(context.Message.Message.VerificationId);
            return Task.CompletedTask;
        }

        public Task ConsumeFault(ConsumeContext<Fault<VerifyIdentity>> context, Exception exception) => Task.CompletedTask;
    }
}
