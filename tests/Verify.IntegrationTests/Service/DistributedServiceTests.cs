using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.IntegrationTests.Documents;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;

namespace Verify.IntegrationTests.Service;

/// <summary>Distributed mode: RabbitMQ, PostgreSQL, the API and worker processes; workers killed with SIGKILL, the API restarted.</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
[Collection(DistributedServiceCollection.Name)]
public sealed class DistributedServiceTests(DistributedService service)
{
    private static readonly TimeSpan Decision = TimeSpan.FromMinutes(2);

    /// <summary>A generated passport page and another photo of its holder (the reader's findings do not matter here: every decision counts).</summary>
    private static (byte[] Document, byte[] Selfie) Case(int index)
    {
        var document = DocumentReadingTests.Generate(SyntheticDocumentKind.Td3, "none", seed: 81, index);
        var face = document.GroundTruth.Face;
        string other = Directory.GetFiles(Path.Combine(TestPaths.LfwImages, face.Person), "*.jpg").Order(StringComparer.Ordinal)
            .First(file => !file.EndsWith(Path.GetFileName(face.File), StringComparison.Ordinal));
        return (document.Files[0].Jpeg, File.ReadAllBytes(other));
    }

    private async Task<Guid> SubmitAsync(int index)
    {
        var (document, selfie) = Case(index);
        using var client = service.Client();
        using var response = await client.PostAsync("/v1/verifications", EmbeddedService.Submission($"distributed-{index}", document, selfie));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Acceptance_flows_run_the_same_through_rabbitmq_postgresql_and_a_worker_process()
    {
        var worker = service.StartWorker();
        try
        {
            var clean = CleanDocuments.First(service.Reader);
            using var client = service.Client();

            // Same person: verified, badge event published, template stored encrypted, images gone.
            var same = await SubmitAsync(client, EmbeddedService.Submission("dist-holder", clean.Document, CleanDocuments.HolderSelfie(clean)), "dist-1");
            Assert.Equal(VerificationState.Verified, await service.WaitForStateAsync(same, IsFinal, Decision));
            await Eventually.TrueAsync(() => service.Events.OfType<IdentityVerified>().Any(e => e.VerificationId == same && e.SubjectId == "dist-holder"), "IdentityVerified");

            // The retry with the same key is the same verification.
            Assert.Equal(same, await SubmitAsync(client, EmbeddedService.Submission("dist-holder", clean.Document, CleanDocuments.HolderSelfie(clean)), "dist-1"));

            // Different person: rejected with face_mismatch.
            var different = await SubmitAsync(client, EmbeddedService.Submission("dist-holder", clean.Document, CleanDocuments.StrangerSelfie(clean)), null);
            Assert.Equal(VerificationState.Rejected, await service.WaitForStateAsync(different, IsFinal, Decision));
            await using (var db = service.Database())
            {
                Assert.Contains("face_mismatch", (await db.Verifications.SingleAsync(v => v.Id == different)).Reasons);
                Assert.Equal(1, await db.FaceTemplates.CountAsync(t => t.VerificationId == same));
                Assert.False(await db.Blobs.AnyAsync(b => b.VerificationId == same || b.VerificationId == different));
                // The bucket itself: every object left belongs to an indexed image, so none of theirs remains.
                Assert.Subset((await db.Blobs.Select(b => b.Id).ToListAsync()).ToHashSet(), await service.StoredObjectIdsAsync());
            }

            // No consent: 422 and nothing stored.
            var form = new MultipartFormDataContent
            {
                { new StringContent("dist-no-consent"), "subject_id" },
                { new StringContent("false"), "biometric_processing" },
                { new StringContent("2026-11"), "policy_version" },
                { EmbeddedService.Image(clean.Document), "document_front", "front.jpg" },
                { EmbeddedService.Image(clean.Document), "selfie", "selfie.jpg" },
            };
            using var refused = await client.PostAsync("/v1/verifications", form);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            await using (var db = service.Database())
            {
                Assert.False(await db.Consents.AnyAsync(c => c.SubjectId == "dist-no-consent"));
                Assert.False(await db.Verifications.AnyAsync(v => v.SubjectId == "dist-no-consent"));
                Assert.False(await db.Blobs.AnyAsync(b => b.SubjectId == "dist-no-consent"));
                Assert.Subset((await db.Blobs.Select(b => b.Id).ToListAsync()).ToHashSet(), await service.StoredObjectIdsAsync());
            }
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    private static async Task<Guid> SubmitAsync(HttpClient client, HttpContent form, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static bool IsFinal(VerificationState state) => state is VerificationState.Verified or VerificationState.Rejected or VerificationState.NeedsReview;

    [Fact]
    public async Task Worker_killed_mid_verification_five_times_and_every_verification_still_completes_exactly_once()
    {
        var ids = new List<Guid>();
        int killedMidway = 0;
        for (int round = 0; round < 5; round++)
        {
            var worker = service.StartWorker();
            var id = await SubmitAsync(round);
            ids.Add(id);
            // Killed once it has started on this verification: the message is unacknowledged, so the broker redelivers it.
            var state = await service.WaitForStateAsync(id, s => s != VerificationState.Queued, Decision);
            Assert.True(state != VerificationState.Queued, $"the worker never started round {round}:\n{service.WorkerLogs()}");
            killedMidway += state == VerificationState.Processing ? 1 : 0;
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }

        // Most kills must land while a verification is being processed, or this test would prove nothing about them.
        Assert.True(killedMidway >= 3, $"only {killedMidway} of 5 kills landed mid-verification");
        var last = service.StartWorker();
        foreach (var id in ids)
        {
            Assert.True(IsFinal(await service.WaitForStateAsync(id, IsFinal, Decision)), $"verification {id} was lost:\n{service.WorkerLogs()}");
        }

        await AssertEachDecidedExactlyOnceAsync(ids);
        last.Kill(entireProcessTree: true);
        await last.WaitForExitAsync();
    }

    [Fact]
    public async Task Api_restarted_with_messages_in_flight_loses_nothing()
    {
        var ids = new List<Guid>();
        for (int index = 10; index < 13; index++)
        {
            ids.Add(await SubmitAsync(index));
        }

        // Down at once: some commands are still in the outbox, some on the broker, none yet decided (no worker runs).
        await service.StopApiAsync();
        await service.StartApiAsync();
        var worker = service.StartWorker();
        foreach (var id in ids)
        {
            Assert.True(IsFinal(await service.WaitForStateAsync(id, IsFinal, Decision)), $"verification {id} was lost:\n{service.WorkerLogs()}");
        }

        await AssertEachDecidedExactlyOnceAsync(ids);
        worker.Kill(entireProcessTree: true);
        await worker.WaitForExitAsync();
    }

    [Fact]
    public async Task Verification_failing_on_every_attempt_goes_to_review_as_processing_failed_once()
    {
        // Submitted while no worker runs, then its stored images are damaged: decryption fails on every attempt.
        var id = await SubmitAsync(90);
        await service.DamageStoredImagesAsync(id);
        var worker = service.StartWorker(new Dictionary<string, string>
        {
            ["Messaging:RetryLimit"] = "2",
            ["Messaging:RetryMinInterval"] = "00:00:00.100",
            ["Messaging:RetryMaxInterval"] = "00:00:00.300",
            ["Messaging:RetryIntervalDelta"] = "00:00:00.100",
        });
        try
        {
            Assert.Equal(VerificationState.NeedsReview, await service.WaitForStateAsync(id, IsFinal, Decision));
            await AssertEachDecidedExactlyOnceAsync([id]);
            await using var db = service.Database();
            var verification = await db.Verifications.SingleAsync(v => v.Id == id);
            Assert.Equal([Verify.Pipeline.Verification.DecisionReasons.ProcessingFailed], verification.Reasons);
            Assert.False(await db.FaceTemplates.AnyAsync(t => t.VerificationId == id));
            Assert.DoesNotContain(service.Events.OfType<IdentityVerified>(), e => e.VerificationId == id);
            // Kept for the reviewers' window, like every case in review.
            Assert.True(await db.Blobs.AnyAsync(b => b.VerificationId == id));
            // The console log is written asynchronously: it may trail the database.
            await Eventually.TrueAsync(() => service.WorkerLogs().Contains("failed on all 3 attempts", StringComparison.Ordinal), "the give-up log line");
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    private async Task AssertEachDecidedExactlyOnceAsync(IReadOnlyList<Guid> ids)
    {
        await using var db = service.Database();
        foreach (var id in ids)
        {
            string key = id.ToString();
            var completions = await db.Outbox.Where(m => m.MessageType == typeof(VerificationCompleted).FullName && m.Payload.Contains(key)).ToListAsync();
            Assert.Single(completions);
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.VerificationId == id && a.Action != "verification.submitted"));
            var verification = await db.Verifications.SingleAsync(v => v.Id == id);
            Assert.True(await db.FaceTemplates.CountAsync(t => t.VerificationId == id) <= 1);
            if (verification.State != VerificationState.NeedsReview)
            {
                // A worker killed between its decision and the clean-up leaves the images to the redelivered message,
                // which the next worker may take a moment after the decision is visible.
                await Eventually.TrueAsync(async () =>
                {
                    await using var fresh = service.Database();
                    return !await fresh.Blobs.AnyAsync(b => b.VerificationId == id);
                }, $"the images of {id} to go after its decision");
            }
        }

        // Nothing in the bucket outlives its index row.
        Assert.Subset((await db.Blobs.Select(b => b.Id).ToListAsync()).ToHashSet(), await service.StoredObjectIdsAsync());

        // Every completion reaches the platform, once.
        await Eventually.TrueAsync(() => ids.All(id => service.Events.OfType<VerificationCompleted>().Any(e => e.VerificationId == id)), "every completion event");

        foreach (var id in ids)
        {
            Assert.Single(service.Events.OfType<VerificationCompleted>(), e => e.VerificationId == id);
            Assert.True(service.Events.OfType<IdentityVerified>().Count(e => e.VerificationId == id) <= 1);
        }
    }
}
