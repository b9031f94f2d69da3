using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Contracts;
using Verify.Data.Access;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// The embedded service with every face match short of the threshold sent to review (a review band as wide as the
/// score range), so a real submission of a stranger's selfie becomes a real case: decided by the real pipeline, with
/// its real held templates, portrait and images.
/// </summary>
public sealed class ReviewingService : EmbeddedService
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("DecisionPolicy:FaceMatchReviewBand", "1");
}

[CollectionDefinition(Name)]
public sealed class ReviewingServiceCollection : ICollectionFixture<ReviewingService>
{
    public const string Name = "reviewing service";
}

/// <summary>Claiming, viewing and deciding review cases: one reviewer at a time, evidence for the holder only, and a decision that acts like the pipeline's.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(ReviewingServiceCollection.Name)]
public sealed class ReviewDecisionTests(ReviewingService service)
{
    [Fact]
    public async Task An_approved_case_is_verified_with_its_template_and_badge_and_its_evidence_is_gone()
    {
        var (id, subject) = await SubmitCaseAsync();
        using var reviewer = service.Client("reviewer");
        using var second = await SecondReviewerAsync();

        // The case is in the queue, free; the first reviewer claims it and the second sees it taken.
        var listed = await FindInQueueAsync(reviewer, id);
        Assert.NotNull(listed);
        Assert.Equal(JsonValueKind.Null, listed.Value.GetProperty("claimed_by").ValueKind);
        using (var claim = await reviewer.PostAsync($"/v1/reviews/{id}/claim", null))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        await AssertProblemAsync(await second.PostAsync($"/v1/reviews/{id}/claim", null), HttpStatusCode.Conflict, "case_claimed");
        await AssertProblemAsync(await second.GetAsync($"/v1/reviews/{id}"), HttpStatusCode.Conflict, "case_claimed");
        await AssertProblemAsync(await second.GetAsync($"/v1/reviews/{id}/images/selfie"), HttpStatusCode.Conflict, "case_claimed");
        Assert.NotEqual(JsonValueKind.Null, (await FindInQueueAsync(second, id))!.Value.GetProperty("claimed_by").ValueKind);

        // The holder sees scores against thresholds and both faces; nothing of the document's text.
        var view = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{id}");
        Assert.Equal(["face_match_uncertain"], view.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.True(view.GetProperty("can_approve").GetBoolean());
        var result = view.GetProperty("result");
        Assert.True(result.GetProperty("face_match_score").GetDouble() < result.GetProperty("face_match_threshold").GetDouble());
        // The MRZ's validity field by field and check digit by check digit, never its text.
        Assert.Equal("valid", result.GetProperty("mrz_fields").GetProperty("document_number").GetString());
        Assert.All(result.GetProperty("mrz_check_digits").EnumerateObject(), check => Assert.Equal("passed", check.Value.GetString()));
        Assert.DoesNotContain("<<", view.GetRawText(), StringComparison.Ordinal);
        string[] images = [.. view.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];
        Assert.Equal(["portrait", "selfie", "document_front"], images);
        foreach (string name in new[] { "portrait", "selfie" })
        {
            using var image = await reviewer.GetAsync($"/v1/reviews/{id}/images/{name}");
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no-store", image.Headers.CacheControl?.ToString());
            byte[] jpeg = await image.Content.ReadAsByteArrayAsync();
            Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        }

        Guid[] blobIds;
        await using (var db = service.Database())
        {
            Assert.True(await db.FaceTemplates.AnyAsync(t => t.VerificationId == id && t.HeldForReview));
            blobIds = [.. await db.Blobs.Where(b => b.VerificationId == id).Select(b => b.Id).ToListAsync()];
            Assert.Equal(3, blobIds.Length); // the document's front, the selfie and the portrait the pipeline cut from the document
            Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.VerificationId == id && a.Action.StartsWith("review.viewed.")));
        }

        using (var decision = await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "approve", reason = "identity_confirmed" }))
        {
            Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
            var body = await decision.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("approved", body.GetProperty("outcome").GetString());
            Assert.Equal("verified", body.GetProperty("status").GetString());
        }

        using var client = service.Client("client");
        var verification = await client.GetFromJsonAsync<JsonElement>($"/v1/verifications/{id}");
        Assert.Equal("verified", verification.GetProperty("status").GetString());
        Assert.NotNull(await service.WaitForEventAsync<IdentityVerified>(e => e.VerificationId == id && e.SubjectId == subject));
        Assert.NotNull(await service.WaitForEventAsync<VerificationCompleted>(e => e.VerificationId == id && e.Status == VerificationStatus.Verified));
        Assert.Null(await FindInQueueAsync(reviewer, id));
        await AssertProblemAsync(await reviewer.PostAsync($"/v1/reviews/{id}/claim", null), HttpStatusCode.Conflict, "case_decided");
        await using (var db = service.Database())
        {
            // The consented template is an ordinary one now, the document is remembered, and the images are gone:
            // the index rows and the encrypted files both.
            var templates = await db.FaceTemplates.Where(t => t.VerificationId == id).ToListAsync();
            Assert.NotEmpty(templates);
            Assert.All(templates, t => Assert.False(t.HeldForReview));
            Assert.True(await db.DocumentFingerprints.AnyAsync(f => f.VerificationId == id));
            Assert.False(await db.Blobs.AnyAsync(b => b.VerificationId == id));
            Assert.NotNull((await db.Verifications.SingleAsync(v => v.Id == id)).ImagesDeletedAt);
            var decided = await db.ReviewCases.SingleAsync(c => c.Id == id);
            Assert.Equal(("approved", "identity_confirmed"), (decided.Outcome, decided.DecisionReason));
            Assert.Null(decided.Fingerprint);
            Assert.True(await db.AuditEvents.AnyAsync(a => a.VerificationId == id && a.Action == "review.approved"));
        }

        var files = service.Services.GetRequiredService<DirectoryBlobContentStore>();
        foreach (var blob in blobIds)
        {
            Assert.Null(await files.ReadAsync(blob, CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_rejected_case_keeps_nothing_biometric_and_grants_no_badge()
    {
        var (id, _) = await SubmitCaseAsync();
        using var reviewer = service.Client("admin");
        using (var claim = await reviewer.PostAsync($"/v1/reviews/{id}/claim", null))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        using (var decision = await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "reject", reason = "face_mismatch", note = "Different person." }))
        {
            Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
        }

        using var client = service.Client("client");
        var verification = await client.GetFromJsonAsync<JsonElement>($"/v1/verifications/{id}");
        Assert.Equal("rejected", verification.GetProperty("status").GetString());
        Assert.Equal(["review:face_mismatch"], verification.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.NotNull(await service.WaitForEventAsync<VerificationCompleted>(e => e.VerificationId == id && e.Status == VerificationStatus.Rejected));
        Assert.DoesNotContain(service.Events.OfType<IdentityVerified>(), e => e.VerificationId == id);
        await using var db = service.Database();
        Assert.False(await db.FaceTemplates.AnyAsync(t => t.VerificationId == id));
        Assert.False(await db.DocumentFingerprints.AnyAsync(f => f.VerificationId == id));
        Assert.False(await db.Blobs.AnyAsync(b => b.VerificationId == id));
    }

    [Fact]
    public async Task A_decision_needs_the_claim_a_known_reason_and_a_finished_pipeline_to_approve()
    {
        var (id, _) = await SubmitCaseAsync();
        using var reviewer = service.Client("reviewer");
        await AssertProblemAsync(await reviewer.GetAsync($"/v1/reviews/{id}"), HttpStatusCode.Conflict, "claim_required");
        await AssertProblemAsync(await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "approve", reason = "identity_confirmed" }),
            HttpStatusCode.Conflict, "claim_required");
        (await reviewer.PostAsync($"/v1/reviews/{id}/claim", null)).Dispose();
        await AssertProblemAsync(await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "maybe", reason = "identity_confirmed" }),
            HttpStatusCode.BadRequest, "invalid_field", "decision");
        await AssertProblemAsync(await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "approve", reason = "face_mismatch" }),
            HttpStatusCode.BadRequest, "invalid_field", "reason");
        await AssertProblemAsync(await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "reject", reason = "other", note = new string('x', 1001) }),
            HttpStatusCode.BadRequest, "invalid_field", "note");
        await AssertProblemAsync(await reviewer.GetAsync($"/v1/reviews/{id}/images/passport_chip"), HttpStatusCode.BadRequest, "invalid_field", "name");

        // Released, the case is free again; a case the pipeline gave up on can only be rejected.
        using (var release = await reviewer.DeleteAsync($"/v1/reviews/{id}/claim"))
        {
            Assert.Equal(HttpStatusCode.NoContent, release.StatusCode);
        }

        Assert.Equal(JsonValueKind.Null, (await FindInQueueAsync(reviewer, id))!.Value.GetProperty("claimed_by").ValueKind);
        var failed = await AddGivenUpCaseAsync();
        (await reviewer.PostAsync($"/v1/reviews/{failed}/claim", null)).Dispose();
        var view = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{failed}");
        Assert.False(view.GetProperty("can_approve").GetBoolean());
        Assert.False(view.GetProperty("images_available").GetBoolean());
        await AssertProblemAsync(await reviewer.PostAsJsonAsync($"/v1/reviews/{failed}/decision", new { decision = "approve", reason = "identity_confirmed" }),
            HttpStatusCode.Conflict, "cannot_approve");
        await AssertProblemAsync(await reviewer.PostAsync($"/v1/reviews/{Guid.NewGuid()}/claim", null), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_client_can_neither_list_claim_view_nor_decide_cases()
    {
        var (id, _) = await SubmitCaseAsync();
        using var client = service.Client("client");
        using var list = await client.GetAsync("/v1/reviews");
        using var claim = await client.PostAsync($"/v1/reviews/{id}/claim", null);
        using var view = await client.GetAsync($"/v1/reviews/{id}");
        using var image = await client.GetAsync($"/v1/reviews/{id}/images/selfie");
        using var decide = await client.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "approve", reason = "identity_confirmed" });
        using var anonymous = service.Client(null);
        using var unauthenticated = await anonymous.PostAsync($"/v1/reviews/{id}/claim", null);

        Assert.All(new[] { list, claim, view, image, decide }, response => Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        await using var db = service.Database();
        Assert.Null((await db.ReviewCases.SingleAsync(c => c.Id == id)).ClaimedBy);
    }

    [Fact]
    public async Task Erasing_the_subject_takes_the_case_out_of_the_queue_with_its_held_template()
    {
        var (id, subject) = await SubmitCaseAsync();
        using var client = service.Client("client");

        using var erase = await client.DeleteAsync($"/v1/subjects/{subject}/biometrics");

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        using var reviewer = service.Client("reviewer");
        Assert.Null(await FindInQueueAsync(reviewer, id));
        await using var db = service.Database();
        Assert.False(await db.ReviewCases.AnyAsync(c => c.Id == id));
        Assert.False(await db.FaceTemplates.AnyAsync(t => t.VerificationId == id));
        Assert.False(await db.Blobs.AnyAsync(b => b.VerificationId == id));
    }

    /// <summary>The clean passport with a stranger's selfie: the real pipeline sends it to review (face_match_uncertain).</summary>
    private async Task<(Guid Id, string Subject)> SubmitCaseAsync()
    {
        string subject = $"review-{Guid.NewGuid():N}"[..24];
        using var client = service.Client("client");
        var (id, _) = await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications",
            EmbeddedService.Submission(subject, service.CleanDocument.Document, CleanDocuments.StrangerSelfie(service.CleanDocument)));
        var decided = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("needs_review", decided.GetProperty("status").GetString());
        return (id, subject);
    }

    /// <summary>A verification the pipeline gave up on (processing_failed): in review, with nothing to approve on.</summary>
    private async Task<Guid> AddGivenUpCaseAsync()
    {
        var now = DateTime.UtcNow;
        await using var db = service.Database();
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = "given-up", ClientId = "platform", BiometricProcessing = true, PolicyVersion = "2026-11", GrantedAt = now,
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = "platform", SubjectId = "given-up", ConsentId = consent.Id, State = VerificationState.NeedsReview,
            Reasons = ["processing_failed"], CreatedAt = now, UpdatedAt = now, CompletedAt = now,
        };
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        db.ReviewCases.Add(new ReviewCase
        {
            Id = verification.Id, Kind = ReviewCaseKind.Verification, ClientId = "platform", SubjectId = "given-up", Reasons = ["processing_failed"], OpenedAt = now,
        });
        await db.SaveChangesAsync();
        return verification.Id;
    }

    private async Task<HttpClient> SecondReviewerAsync()
    {
        await using var db = service.Database();
        var key = await service.Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, "platform", ApiRole.Reviewer);
        var client = service.Client(null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Text);
        return client;
    }

    /// <summary>The case as the queue lists it, looked for on every page; null when it is not in the queue.</summary>
    private static async Task<JsonElement?> FindInQueueAsync(HttpClient reviewer, Guid id)
    {
        string? after = null;
        do
        {
            var page = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/reviews?limit=100{(after is null ? "" : $"&after={after}")}");
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("case_id").GetGuid() == id)
                {
                    return item.Clone();
                }
            }

            after = page.GetProperty("next").GetString();
        }
        while (after is not null);
        return null;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, body.GetProperty("code").GetString());
            if (field is not null)
            {
                Assert.Equal(field, body.GetProperty("field").GetString());
            }
        }
    }
}
