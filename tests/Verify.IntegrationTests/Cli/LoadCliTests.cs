using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Verify.Cli;
using Verify.Cli.Load;
using Verify.Cli.Service;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.IntegrationTests.Browser;
using Verify.IntegrationTests.Fixtures;
using Verify.IntegrationTests.Service;
using static Verify.IntegrationTests.Fixtures.CliRunner;

namespace Verify.IntegrationTests.Cli;

/// <summary>
/// `verify load --generate` against the embedded service on a 127.0.0.1 port (its SQLite database read for the outbox
/// check, this process's CPU time as the service's), and the outbox count seeing a second completion event.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class LoadCliTests(LoopbackService service) : IClassFixture<LoopbackService>
{
    private string DatabaseFile => Path.Combine(service.DataDirectory, "verify.db");

    [Fact]
    public async Task Every_generated_submission_is_decided_exactly_once_with_one_command_and_one_completion_in_the_outbox()
    {
        var (exitCode, output, error) = await Run("load", "--url", service.BaseAddress.ToString(), "--key", service.Keys["client"], "--generate",
            "--count", "3", "--warm-up", "1", "--concurrency", "2", "--sqlite", DatabaseFile,
            "--pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        Assert.True(exitCode == ExitCodes.Success, output + error);
        Assert.Contains("exactly once: 4 of 4 submissions decided once and unchanged when read again; "
            + "outbox: 4 VerifyIdentity and 4 VerificationCompleted for 4 verifications", output, StringComparison.Ordinal);
        // The run's row: 2 in flight, 3 counted, 3 decided, and a CPU figure for the process given.
        Assert.Matches(@"\| 2 \| 3 \| 3 \| [0-9.]+ \| [0-9.]+ \| \d+ / \d+ \| [0-9.]+ / [0-9.]+ / [0-9.]+ \| [0-9.]+ \| ", output);
        Assert.Contains($"service CPU over the counted run: pid {Environment.ProcessId} (", output, StringComparison.Ordinal);
        Assert.Contains("Exactly once: every submission of every run was decided exactly once.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_completion_event_in_the_outbox_fails_the_check_for_that_verification()
    {
        var since = DateTime.UtcNow.AddMinutes(-1);
        using var client = new VerificationServiceClient(service.BaseAddress, service.Keys["client"]);
        var document = service.CleanDocument;
        var timeline = await client.SubmitAndWaitAsync("load-duplicate", "2026-11",
            new SubmissionImages(document.Document, null, CleanDocuments.HolderSelfie(document)), null, TimeSpan.FromMinutes(2), CancellationToken.None);
        var id = timeline.Answer.VerificationId!.Value;
        var submitted = new[] { new LoadSubmission(0, id, timeline.Answer.StatusCode, timeline.Decision) };
        var reread = new Dictionary<Guid, ServiceDecision> { [id] = await client.ReadAsync(id, CancellationToken.None) };

        await using (var db = service.Database())
        {
            Assert.True(ExactlyOnceCheck.Check(submitted, reread, await OutboxTallies.ReadAsync(db, since, CancellationToken.None)).Passed);
            var completed = await db.Outbox.FirstAsync(m => m.MessageType == typeof(VerificationCompleted).FullName && m.Payload.Contains(id.ToString()));
            // Already sent, so the dispatcher leaves it alone: only the count sees it.
            db.Outbox.Add(new OutboxMessage { Id = Guid.NewGuid(), MessageType = completed.MessageType, Payload = completed.Payload, CreatedAt = completed.CreatedAt, SentAt = completed.CreatedAt });
            await db.SaveChangesAsync();
        }

        await using (var db = service.Database())
        {
            var check = ExactlyOnceCheck.Check(submitted, reread, await OutboxTallies.ReadAsync(db, since, CancellationToken.None));
            Assert.False(check.Passed);
            Assert.Equal([$"verification {id}: 1 VerifyIdentity commands and 2 VerificationCompleted events in the outbox (1 of each expected)"], check.Failures);
        }
    }
}
