using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Audit;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Observability;

namespace Verify.IntegrationTests.Service;

/// <summary>The acceptance flows of the service in embedded mode, end to end through HTTP, the bus and the database.</summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class EmbeddedServiceTests(EmbeddedService service)
{
    private byte[] SamePersonSelfie() => CleanDocuments.HolderSelfie(service.CleanDocument);

    /// <summary>The document's holder: every submission of the clean document with a photo of its holder uses this
    /// subject, because the same document under another subject is (rightly) sent to review.</summary>
    private const string Holder = "holder-1";

    private byte[] OtherPersonSelfie() => CleanDocuments.StrangerSelfie(service.CleanDocument);

    private static async Task<Guid> SubmitAsync(HttpClient client, HttpContent form, string? idempotencyKey = null) =>
        (await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications", form, idempotencyKey)).Id;

    [Fact]
    public async Task Same_person_is_verified_the_badge_event_published_and_only_the_encrypted_template_kept()
    {
        using var client = service.Client("client");
        var selfie = SamePersonSelfie();
        var id = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, selfie));

        var body = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("verified", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("reasons").EnumerateArray());
        var result = body.GetProperty("result");
        Assert.True(result.GetProperty("face_match_score").GetDouble() >= result.GetProperty("face_match_threshold").GetDouble());
        Assert.Equal("passed", result.GetProperty("stages").GetProperty("liveness").GetString());
        Assert.True(result.GetProperty("liveness_score").GetDouble() >= result.GetProperty("liveness_threshold").GetDouble());
        Assert.Equal("passed", result.GetProperty("stages").GetProperty("capture_quality").GetString());
        Assert.Contains("fr-feature", result.GetProperty("models").EnumerateObject().Select(p => p.Name));

        var badge = await service.WaitForEventAsync<IdentityVerified>(e => e.VerificationId == id);
        Assert.NotNull(badge);
        Assert.Equal(Holder, badge.SubjectId);
        Assert.True(badge.ExpiresAt > badge.VerifiedAt);
        Assert.NotNull(await service.WaitForEventAsync<VerificationCompleted>(e => e.VerificationId == id && e.Status == VerificationStatus.Verified));

        Assert.True(await service.EventuallyAsync(async db => !await db.Blobs.AnyAsync(b => b.VerificationId == id)), "the images are deleted");
        await using var db = service.Database();
        var template = await db.FaceTemplates.SingleAsync(t => t.VerificationId == id);
        // One fingerprint of the document per subject and client, however often it was verified.
        Assert.Equal(1, await db.DocumentFingerprints.CountAsync(f => f.SubjectId == Holder && f.ClientId == "platform"));

        // The stored template is the selfie's embedding, encrypted: the database file holds the ciphertext, never the vector.
        var embedding = service.Services.GetRequiredService<FaceAnalyzer>().Analyse(selfie, new StageTimings()).Embeddings[0].Vector;
        var plaintext = MemoryMarshal.AsBytes(embedding.AsSpan()).ToArray();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // The service keeps running: a side file (-journal) listed here may be gone by the time it is read.
        var file = Directory.GetFiles(service.DataDirectory, "verify.db*").SelectMany(ReadIfStillThere).ToArray();
        Assert.True(file.AsSpan().IndexOf(template.Ciphertext.AsSpan(30, 64)) >= 0, "the test must look where the template is stored");
        for (int offset = 0; offset + 16 <= plaintext.Length; offset += 128)
        {
            Assert.Equal(-1, file.AsSpan().IndexOf(plaintext.AsSpan(offset, 16)));
        }
    }

    [Fact]
    public async Task Different_person_is_rejected_with_face_mismatch_and_its_images_deleted()
    {
        using var client = service.Client("client");
        var id = await SubmitAsync(client, EmbeddedService.Submission("subject-other", service.CleanDocument.Document, OtherPersonSelfie()));

        var body = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("rejected", body.GetProperty("status").GetString());
        Assert.Contains("face_mismatch", body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.NotNull(await service.WaitForEventAsync<VerificationCompleted>(e => e.VerificationId == id && e.Status == VerificationStatus.Rejected));
        Assert.True(await service.EventuallyAsync(async db => !await db.Blobs.AnyAsync(b => b.VerificationId == id)
            && (await db.Verifications.SingleAsync(v => v.Id == id)).ImagesDeletedAt != null), "the images are deleted");
        await using var db = service.Database();
        Assert.False(await db.Outbox.AnyAsync(m => m.MessageType == typeof(IdentityVerified).FullName && m.Payload.Contains(id.ToString())));
        Assert.Equal(0, await db.FaceTemplates.CountAsync(t => t.VerificationId == id));
        Assert.NotNull((await db.Verifications.SingleAsync(v => v.Id == id)).ImagesDeletedAt);
    }

    [Fact]
    public async Task Same_document_for_another_subject_goes_to_review()
    {
        using var client = service.Client("client");
        var holder = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, SamePersonSelfie()));
        Assert.Equal("verified", (await service.WaitForDecisionAsync(client, holder)).GetProperty("status").GetString());

        var id = await SubmitAsync(client, EmbeddedService.Submission("someone-else", service.CleanDocument.Document, SamePersonSelfie()));
        var body = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("needs_review", body.GetProperty("status").GetString());
        Assert.Contains("duplicate_identity:document", body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(Holder, body.GetProperty("result").GetProperty("duplicate").GetProperty("document_subject_id").GetString());

        // Kept, encrypted, for the reviewers until the review window closes: the document, the selfie and the portrait
        // the pipeline cut; the consented template is held (never searched) until a reviewer decides.
        await using var db = service.Database();
        Assert.Equal(3, await db.Blobs.CountAsync(b => b.VerificationId == id));
        Assert.All(await db.FaceTemplates.Where(t => t.VerificationId == id).ToListAsync(), t => Assert.True(t.HeldForReview));
        Assert.True(await db.ReviewCases.AnyAsync(c => c.Id == id && c.DecidedAt == null));
    }

    [Fact]
    public async Task Template_storage_declined_keeps_no_template_even_when_verified()
    {
        using var client = service.Client("client");
        var id = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, SamePersonSelfie(), templateStorage: false));

        var body = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("verified", body.GetProperty("status").GetString());
        await using var db = service.Database();
        Assert.Equal(0, await db.FaceTemplates.CountAsync(t => t.VerificationId == id));
    }

    [Fact]
    public async Task No_consent_is_refused_and_leaves_nothing_in_the_database_or_blob_store()
    {
        await using var before = service.Database();
        int commands = await before.Outbox.CountAsync(m => m.MessageType == typeof(VerifyIdentity).FullName);
        var files = BlobFiles();
        using var client = service.Client("client");
        foreach (var consent in new[] { "false", null, "yes" })
        {
            var form = EmbeddedService.Submission("subject-no-consent", service.CleanDocument.Document, SamePersonSelfie());
            var fields = form.Where(part => part.Headers.ContentDisposition?.Name?.Trim('"') != "biometric_processing").ToList();
            var rebuilt = new MultipartFormDataContent();
            foreach (var part in fields)
            {
                rebuilt.Add(part);
            }

            if (consent is not null)
            {
                rebuilt.Add(new StringContent(consent), "biometric_processing");
            }

            using var response = await client.PostAsync("/v1/verifications", rebuilt);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("urn:verify:problem:consent_required", problem.GetProperty("type").GetString());
        }

        await using var after = service.Database();
        Assert.False(await after.Consents.AnyAsync(c => c.SubjectId == "subject-no-consent"));
        Assert.False(await after.Verifications.AnyAsync(v => v.SubjectId == "subject-no-consent"));
        Assert.False(await after.Blobs.AnyAsync(b => b.SubjectId == "subject-no-consent"));
        Assert.False(await after.AuditEvents.AnyAsync(a => a.SubjectId == "subject-no-consent"));
        Assert.Equal(commands, await after.Outbox.CountAsync(m => m.MessageType == typeof(VerifyIdentity).FullName));
        Assert.Empty(BlobFiles().Except(files));
    }

    [Fact]
    public async Task Retry_with_the_same_idempotency_key_returns_the_same_verification_and_another_request_under_it_conflicts()
    {
        using var client = service.Client("client");
        var selfie = SamePersonSelfie();
        var first = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, selfie), "retry-1");
        var second = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, selfie), "retry-1");
        Assert.Equal(first, second);

        using var conflicting = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications")
        {
            Content = EmbeddedService.Submission("subject-idem-2", service.CleanDocument.Document, selfie),
        };
        conflicting.Headers.Add("Idempotency-Key", "retry-1");
        using var response = await client.SendAsync(conflicting);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);

        // The key belongs to the client: another client may use the same key for its own submission.
        using var other = service.Client("other");
        Assert.NotEqual(first, await SubmitAsync(other, EmbeddedService.Submission("other-platform-subject", service.CleanDocument.Document, selfie), "retry-1"));
        await using var db = service.Database();
        Assert.Equal(1, await db.Verifications.CountAsync(v => v.ClientId == "platform" && v.IdempotencyKey == "retry-1"));
        await service.WaitForDecisionAsync(client, first);
    }

    [Fact]
    public async Task Deleting_a_subjects_biometrics_leaves_no_template_fingerprint_or_image_and_revokes_the_badge()
    {
        using var client = service.Client("client");
        var verified = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, SamePersonSelfie()));
        Assert.Equal("verified", (await service.WaitForDecisionAsync(client, verified)).GetProperty("status").GetString());
        // The same document under another subject goes to review, so that subject's images are kept until deleted.
        var reviewed = await SubmitAsync(client, EmbeddedService.Submission("erase-me", service.CleanDocument.Document, SamePersonSelfie()));
        Assert.Equal("needs_review", (await service.WaitForDecisionAsync(client, reviewed)).GetProperty("status").GetString());

        using (var reviewer = service.Client("reviewer"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.DeleteAsync($"/v1/subjects/{Holder}/biometrics")).StatusCode);
        }

        using (var anonymous = service.Client(null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/v1/subjects/{Holder}/biometrics")).StatusCode);
        }

        using (var response = await client.DeleteAsync("/v1/subjects/erase-me/biometrics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var erased = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(3, erased.GetProperty("images").GetInt32());
            Assert.False(erased.GetProperty("badge_revoked").GetBoolean());
        }

        using (var response = await client.DeleteAsync($"/v1/subjects/{Holder}/biometrics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(report.GetProperty("templates").GetInt32() >= 1);
            Assert.True(report.GetProperty("badge_revoked").GetBoolean());
        }

        await using var db = service.Database();
        foreach (var subject in new[] { Holder, "erase-me" })
        {
            Assert.False(await db.FaceTemplates.AnyAsync(t => t.SubjectId == subject));
            Assert.False(await db.DocumentFingerprints.AnyAsync(f => f.SubjectId == subject));
            Assert.False(await db.Blobs.AnyAsync(b => b.SubjectId == subject));
            Assert.All(await db.Consents.Where(c => c.SubjectId == subject && c.ClientId == "platform").ToListAsync(), consent => Assert.NotNull(consent.WithdrawnAt));
        }

        Assert.NotNull(await service.WaitForEventAsync<BadgeRevoked>(e => e.SubjectId == Holder && e.Reason == "consent_withdrawn"));
        using var admin = service.Client("admin");
        // Subject ids are per client: an admin names the client, and without one is told so.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.DeleteAsync($"/v1/subjects/{Holder}/biometrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/v1/subjects/{Holder}/biometrics?client_id=platform")).StatusCode);

        // The audit keeps every row, each under the key that acted, names neither subject any more, and still checks
        // out (sealed here while the service's own sealer runs too).
        // (Of client platform: the admin erased platform's Holder, and another client's subject of that id is its own.)
        var platformVerifications = db.Verifications.Where(v => v.ClientId == "platform").Select(v => (Guid?)v.Id);
        Assert.False(await db.AuditEvents.AnyAsync(a => (a.SubjectId == Holder || a.SubjectId == "erase-me")
            && (a.ClientId == "platform" || platformVerifications.Contains(a.VerificationId))));
        Assert.Contains(await db.AuditEvents.Where(a => a.Action == "verification.submitted").Select(a => a.Actor).ToListAsync(), actor => actor == service.KeyId("client"));
        var deletions = await db.AuditEvents.Where(a => a.Action == "biometrics.deleted").Select(a => new { a.Actor, a.ClientId }).ToListAsync();
        Assert.Contains(new { Actor = service.KeyId("client"), ClientId = (string?)"platform" }, deletions);
        Assert.Contains(new { Actor = service.KeyId("admin"), ClientId = (string?)"operator" }, deletions);
        await service.Services.GetRequiredService<AuditSealer>().SealAsync(db);
        var chain = await service.Services.GetRequiredService<AuditChain>().VerifyAsync(db, TimeSpan.FromHours(1));
        Assert.True(chain.Intact, chain.FirstBreak?.Description);
    }

    [Fact]
    public async Task A_client_deleting_a_subject_never_touches_what_another_client_verified()
    {
        using var client = service.Client("client");
        var verified = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, SamePersonSelfie()));
        Assert.Equal("verified", (await service.WaitForDecisionAsync(client, verified)).GetProperty("status").GetString());

        // Another client knows nothing of the subject: 404, as for an unknown one.
        using var other = service.Client("other");
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/v1/subjects/{Holder}/biometrics")).StatusCode);

        // Once it has its own consent for the same subject id, it may withdraw that, and only that.
        var own = await SubmitAsync(other, EmbeddedService.Submission(Holder, service.CleanDocument.Document, OtherPersonSelfie()));
        await service.WaitForDecisionAsync(other, own);
        using var response = await other.DeleteAsync($"/v1/subjects/{Holder}/biometrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("badge_revoked").GetBoolean());

        await using var db = service.Database();
        Assert.True(await db.FaceTemplates.AnyAsync(t => t.VerificationId == verified));
        // The subject's one fingerprint of the document (kept from its first verification of it).
        Assert.True(await db.DocumentFingerprints.AnyAsync(f => f.SubjectId == Holder && f.ClientId == "platform"));
        Assert.Null((await db.Consents.SingleAsync(c => c.Id == db.Verifications.Single(v => v.Id == verified).ConsentId)).WithdrawnAt);
    }

    [Fact]
    public async Task A_verification_leaves_a_span_per_stage_and_stage_durations_tagged_with_the_models()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PipelineTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        var durations = new ConcurrentQueue<(string Stage, string Models)>();
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PipelineTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "verify.stage.duration")
            {
                var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString() ?? "");
                durations.Enqueue((all["stage"], all["models"]));
            }
        });
        metrics.Start();

        using var client = service.Client("client");
        var id = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, SamePersonSelfie(), templateStorage: false));
        await service.WaitForDecisionAsync(client, id);

        // The span ends when the processor returns, a moment after the decision is visible.
        bool IsThisPipeline(Activity span) => span.OperationName == "verify.pipeline" && Equals(span.GetTagItem("verify.verification_id"), id);
        await Eventually.TrueAsync(() => spans.Any(IsThisPipeline), "the pipeline span");
        var pipeline = Assert.Single(spans, IsThisPipeline);
        Assert.Equal("verified", pipeline.GetTagItem("verify.outcome"));
        var stages = spans.Where(span => span.ParentSpanId == pipeline.SpanId).Select(span => span.GetTagItem("verify.stage")).ToList();
        Assert.Contains("document_mrz", stages);
        Assert.Contains("embed", stages);
        Assert.Contains(durations, d => d.Stage == "document_mrz" && d.Models.StartsWith("fr-feature@", StringComparison.Ordinal));
        // Ids and codes only: the subject's id is not a tag of any span.
        Assert.DoesNotContain(spans.SelectMany(span => span.TagObjects), tag => Equals(tag.Value, Holder));
    }

    [Fact]
    public async Task Webhooks_receive_the_signed_events_and_a_refused_delivery_is_retried()
    {
        using var client = service.Client("client");
        var id = await SubmitAsync(client, EmbeddedService.Submission(Holder, service.CleanDocument.Document, SamePersonSelfie(), templateStorage: false));
        Assert.Equal("verified", (await service.WaitForDecisionAsync(client, id)).GetProperty("status").GetString());

        bool IsThisBadge((string EventId, string EventType, string Signature, string Body) r) =>
            r.EventType == "identity.verified" && r.Body.Contains(id.ToString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => service.Webhooks.Received.Any(IsThisBadge), "the identity.verified webhook");
        var badge = service.Webhooks.Received.First(IsThisBadge);
        using var json = JsonDocument.Parse(badge.Body);
        Assert.Equal("identity.verified", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(badge.EventId, json.RootElement.GetProperty("id").GetString());
        Assert.Equal(Holder, json.RootElement.GetProperty("data").GetProperty("subject_id").GetString());

        // The signature is HMAC-SHA256 of "{t}.{body}" under the endpoint's secret.
        var parts = badge.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        long t = long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture);
        var expected = System.Security.Cryptography.HMACSHA256.HashData("test-webhook-secret-0123456789abcdef"u8.ToArray(),
            System.Text.Encoding.UTF8.GetBytes($"{t}.{badge.Body}"));
        Assert.Equal(Convert.ToHexStringLower(expected), parts["v1"]);

        await using var db = service.Database();
        var log = await db.WebhookDeliveries.Where(d => d.EventId == Guid.Parse(badge.EventId)).SingleAsync();
        Assert.Equal(WebhookDeliveryState.Delivered, log.State);
        // The receiver refused the very first request of the run: that delivery is retried a second later and then
        // delivered (run alone, this test can get here before the retry).
        await Eventually.TrueAsync(async () =>
        {
            await using var fresh = service.Database();
            return await fresh.WebhookDeliveries.AnyAsync(d => d.Attempts >= 2 && d.State == WebhookDeliveryState.Delivered && d.LastStatusCode == 204);
        }, "the refused delivery retried and delivered");
    }

    private string[] BlobFiles()
    {
        string folder = Path.Combine(service.DataDirectory, "blobs");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)] : [];
    }

    private static byte[] ReadIfStillThere(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }
}
