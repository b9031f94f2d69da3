using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Impersonation;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// Impersonation reports end to end with the real models: LFW photos of the claimed subject, of someone else, and of a
/// subject with no template; tenancy, roles, bad input, idempotency, erasure and redelivery.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class ImpersonationReportTests(EmbeddedService service)
{
    /// <summary>The clean document's holder, verified by the "client" key (client id "platform") with template storage.</summary>
    private const string Holder = "holder-1";

    [Fact]
    public async Task Photos_of_the_claimed_subject_suggest_likely_same_person_open_a_review_case_and_stay_for_the_reviewer()
    {
        await EnsureHolderTemplateAsync();
        using var client = service.Client("client");
        var photos = HolderPhotos();

        var id = await FileAsync(client, Report(Holder, photos));
        var report = await EmbeddedService.WaitWhileQueuedAsync(client, $"/v1/impersonation-reports/{id}");

        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.Equal("likely_same_person", report.GetProperty("suggestion").GetString());
        double best = report.GetProperty("best_similarity").GetDouble();
        Assert.True(best >= report.GetProperty("match_threshold").GetDouble(), $"best similarity {best}");
        Assert.True(report.GetProperty("likely_not_below").GetDouble() < report.GetProperty("match_threshold").GetDouble());
        Assert.Equal(photos.Count, report.GetProperty("image_count").GetInt32());
        Assert.True(report.GetProperty("faces_found").GetInt32() >= photos.Count);
        Assert.True(report.GetProperty("templates_compared").GetInt32() >= 1);
        Assert.Equal("fr-feature", report.GetProperty("model").GetProperty("id").GetString());
        Assert.StartsWith("fr-feature@", report.GetProperty("model").GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal("account-impostor", report.GetProperty("reported_account_id").GetString());
        Assert.Equal(id, report.GetProperty("review").GetProperty("case_id").GetGuid());

        await using var db = service.Database();
        var reviewCase = await db.ReviewCases.SingleAsync(c => c.Id == id);
        Assert.Equal((ReviewCaseKind.ImpersonationReport, "platform", Holder), (reviewCase.Kind, reviewCase.ClientId, reviewCase.SubjectId));
        Assert.Equal(["impersonation_reported:likely_same_person"], reviewCase.Reasons);
        // The images wait, encrypted, for the reviewer until the review window closes; the templates compared are
        // marked used. Both happen just after the assessment commits, so they are awaited (up to 30 s), not assumed.
        var window = service.Services.GetRequiredService<IOptions<BlobStoreOptions>>().Value.ReviewWindow;
        var created = report.GetProperty("created_at").GetDateTime().ToUniversalTime();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool kept = false, used = false;
        while (!(kept && used) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            await using var poll = service.Database();
            var expiries = await poll.Blobs.Where(b => b.VerificationId == id).Select(b => b.ExpiresAt).ToListAsync();
            kept = expiries.Count == photos.Count && expiries.All(expiry => expiry > DateTime.UtcNow.Add(window).AddHours(-1));
            used = await poll.FaceTemplates.AnyAsync(t => t.SubjectId == Holder && t.LastUsedAt >= created);
        }

        Assert.True(kept, "kept for the review window");
        Assert.True(used, "the templates compared are marked used");
        Assert.Equal(["impersonation_report.assessed", "impersonation_report.submitted"],
            await db.AuditEvents.Where(a => a.VerificationId == id).Select(a => a.Action).OrderBy(a => a).ToListAsync());
    }

    [Theory]
    [InlineData(Holder)]
    [InlineData("nobody-verified")]
    public async Task An_image_the_api_let_through_that_does_not_decode_ends_the_report_as_images_unreadable_and_is_never_shown(string claimed)
    {
        if (claimed == Holder)
        {
            await EnsureHolderTemplateAsync();
        }

        using var client = service.Client("client");
        var id = await FileAsync(client, Report(claimed, [HolderPhotos()[0], Imaging.ImageStructureTests.DamagedPng()]));
        var report = await EmbeddedService.WaitWhileQueuedAsync(client, $"/v1/impersonation-reports/{id}");

        Assert.Equal(("completed", "images_unreadable"), (report.GetProperty("status").GetString(), report.GetProperty("suggestion").GetString()));
        using var reviewer = service.Client("reviewer");
        (await reviewer.PostAsync($"/v1/reviews/{id}/claim", null)).Dispose();
        var view = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{id}");
        // The API would have to decode the images to show them, and the worker could not: none is offered or served.
        Assert.Empty(view.GetProperty("images").EnumerateArray());
        using var image = await reviewer.GetAsync($"/v1/reviews/{id}/images/reported_1");
        Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
        using var probe = service.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_reviewer_sees_the_report_case_with_its_images_and_upholding_it_deletes_them()
    {
        await EnsureHolderTemplateAsync();
        using var client = service.Client("client");
        var id = await FileAsync(client, Report(Holder, HolderPhotos()));
        await EmbeddedService.WaitWhileQueuedAsync(client, $"/v1/impersonation-reports/{id}");
        using var reviewer = service.Client("reviewer");

        var queue = await reviewer.GetFromJsonAsync<JsonElement>("/v1/reviews?reason=impersonation_reported:likely_same_person&limit=100");
        var item = queue.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("case_id").GetGuid() == id);
        Assert.Equal("impersonation_report", item.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("verification_id").ValueKind);
        (await reviewer.PostAsync($"/v1/reviews/{id}/claim", null)).Dispose();
        var view = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{id}");
        Assert.Equal("likely_same_person", view.GetProperty("result").GetProperty("suggestion").GetString());
        Assert.Equal("reported_1", view.GetProperty("images")[0].GetProperty("name").GetString());
        using (var image = await reviewer.GetAsync($"/v1/reviews/{id}/images/reported_1"))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        }

        using (var portrait = await reviewer.GetAsync($"/v1/reviews/{id}/images/portrait"))
        {
            Assert.Equal(HttpStatusCode.NotFound, portrait.StatusCode);
        }

        using (var wrong = await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "approve", reason = "identity_confirmed" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using (var decision = await reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "approve", reason = "impersonation_confirmed" }))
        {
            Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
            var body = await decision.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("approved", body.GetProperty("outcome").GetString());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("status").ValueKind);
        }

        await using var db = service.Database();
        Assert.False(await db.Blobs.AnyAsync(b => b.VerificationId == id));
        Assert.NotNull((await db.ImpersonationReports.SingleAsync(r => r.Id == id)).ImagesDeletedAt);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.VerificationId == id && a.Action == "review.approved" && a.Detail == "impersonation_confirmed"));
    }

    [Fact]
    public async Task Every_face_of_a_group_photo_is_compared_not_only_the_one_it_is_about()
    {
        await EnsureHolderTemplateAsync();
        using var client = service.Client("client");
        var group = GroupPhoto(large: StrangerPhotos()[0], small: HolderPhotos()[0]);
        // The face a verification would take from it is the stranger's: large and central.
        var primary = service.Services.GetRequiredService<FaceAnalyzer>().Analyse(group, new StageTimings()).PrimaryFace!;
        Assert.True(primary.Box.Centre.X > SmallPhotoWidth, "the group photo's primary face is the stranger's");

        var report = await AssessAsync(client, Report(Holder, [group]));

        Assert.Equal(2, report.GetProperty("faces_found").GetInt32());
        Assert.Equal("likely_same_person", report.GetProperty("suggestion").GetString());
    }

    [Fact]
    public async Task Another_persons_photos_suggest_likely_not()
    {
        await EnsureHolderTemplateAsync();
        using var client = service.Client("client");

        var report = await AssessAsync(client, Report(Holder, StrangerPhotos()));

        Assert.Equal("likely_not", report.GetProperty("suggestion").GetString());
        Assert.True(report.GetProperty("best_similarity").GetDouble() < report.GetProperty("likely_not_below").GetDouble());
        Assert.True(report.GetProperty("faces_found").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_subject_without_a_template_gives_no_template_and_still_opens_a_case()
    {
        using var client = service.Client("client");

        var report = await AssessAsync(client, Report("never-verified-subject", HolderPhotos()));

        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.Equal("no_template", report.GetProperty("suggestion").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("best_similarity").ValueKind);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("faces_found").ValueKind);
        Assert.Equal(0, report.GetProperty("templates_compared").GetInt32());
        await using var db = service.Database();
        var reviewCase = await db.ReviewCases.SingleAsync(c => c.Id == report.GetProperty("id").GetGuid());
        Assert.Equal(["impersonation_reported:no_template"], reviewCase.Reasons);
    }

    [Fact]
    public async Task A_client_is_compared_only_with_its_own_templates_and_reads_only_its_own_reports()
    {
        await EnsureHolderTemplateAsync();
        using var platform = service.Client("client");
        using var other = service.Client("other");

        // The other client files against the same subject id with the holder's own photos: the platform's template of
        // that subject is not its to compare with.
        var theirs = await AssessAsync(other, Report(Holder, HolderPhotos()));
        var ours = await FileAsync(platform, Report(Holder, HolderPhotos()));

        Assert.Equal("no_template", theirs.GetProperty("suggestion").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/impersonation-reports/{ours}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.GetAsync($"/v1/impersonation-reports/{theirs.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.GetAsync($"/v1/impersonation-reports/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal("likely_same_person",
            (await EmbeddedService.WaitWhileQueuedAsync(platform, $"/v1/impersonation-reports/{ours}")).GetProperty("suggestion").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("client", HttpStatusCode.BadRequest)]
    [InlineData("reviewer", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.BadRequest)]
    public async Task Filing_a_report_is_for_clients_and_admins(string? role, HttpStatusCode expected)
    {
        using var client = service.Client(role);
        // A report without images: a caller allowed to file gets as far as the image check, which stores nothing.
        using var form = Report(Holder, []);

        using var response = await client.PostAsync("/v1/impersonation-reports", form);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("client", HttpStatusCode.OK)]
    [InlineData("other", HttpStatusCode.NotFound)]
    [InlineData("reviewer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task Reading_a_report_is_for_its_client_reviewers_and_admins(string? role, HttpStatusCode expected)
    {
        using var owner = service.Client("client");
        var id = await FileAsync(owner, Report("role-test-subject", HolderPhotos().Take(1)), idempotencyKey: "report-role-tests");

        using var client = service.Client(role);
        using var response = await client.GetAsync($"/v1/impersonation-reports/{id}");

        Assert.Equal(expected, response.StatusCode);
    }

    public static TheoryData<string, int, string, string?> BadReports() => new()
    {
        { "no_images", 400, "missing_field", "images" },
        { "eleven_images", 400, "invalid_field", "images" },
        { "truncated_image", 400, "image_truncated", "images" },
        { "empty_image", 400, "image_empty", "images" },
        { "pdf_as_image", 415, "unsupported_image_format", "images" },
        { "missing_claimed_subject_id", 400, "missing_field", "claimed_subject_id" },
        { "missing_reported_account_id", 400, "missing_field", "reported_account_id" },
        { "reported_account_id_not_an_id", 400, "invalid_field", "reported_account_id" },
        { "unexpected_file_field", 400, "invalid_field", "selfie" },
        { "json_instead_of_multipart", 415, "unsupported_media_type", null },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task A_bad_report_gets_its_problem_naming_the_field_and_nothing_is_stored(string name, int status, string code, string? field)
    {
        await using var before = service.Database();
        int reports = await before.ImpersonationReports.CountAsync();
        using var client = service.Client("client");

        using var response = await client.PostAsync("/v1/impersonation-reports", BadReport(name));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"urn:verify:problem:{code}", problem.GetProperty("type").GetString());
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        await using var after = service.Database();
        Assert.Equal(reports, await after.ImpersonationReports.CountAsync());
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_is_the_same_report_and_other_content_under_it_conflicts()
    {
        using var client = service.Client("client");
        var photos = HolderPhotos().Take(1).ToList();

        var first = await FileAsync(client, Report("idempotent-subject", photos), "report-retry-1");
        var again = await FileAsync(client, Report("idempotent-subject", photos), "report-retry-1");
        using var conflicting = new HttpRequestMessage(HttpMethod.Post, "/v1/impersonation-reports") { Content = Report("another-subject", photos) };
        conflicting.Headers.Add("Idempotency-Key", "report-retry-1");
        using var response = await client.SendAsync(conflicting);

        Assert.Equal(first, again);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        await EmbeddedService.WaitWhileQueuedAsync(client, $"/v1/impersonation-reports/{first}");
    }

    [Fact]
    public async Task Erasing_the_claimed_subject_deletes_the_reports_images()
    {
        using var client = service.Client("client");
        var report = await AssessAsync(client, Report("erased-claimed-subject", HolderPhotos()));
        var id = report.GetProperty("id").GetGuid();
        await using (var db = service.Database())
        {
            Assert.True(await db.Blobs.AnyAsync(b => b.VerificationId == id));
        }

        using var admin = service.Client("admin");
        using var erased = await admin.DeleteAsync("/v1/subjects/erased-claimed-subject/biometrics?client_id=platform");

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(report.GetProperty("image_count").GetInt32(), (await erased.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("images").GetInt32());
        await using (var db = service.Database())
        {
            Assert.False(await db.Blobs.AnyAsync(b => b.VerificationId == id));
        }

        var after = await client.GetFromJsonAsync<JsonElement>($"/v1/impersonation-reports/{id}");
        Assert.Equal(JsonValueKind.String, after.GetProperty("images_deleted_at").ValueKind);
        Assert.Equal("no_template", after.GetProperty("suggestion").GetString());
    }

    [Fact]
    public async Task A_redelivered_command_changes_nothing()
    {
        using var client = service.Client("client");
        var id = (await AssessAsync(client, Report("redelivered-subject", HolderPhotos().Take(1)))).GetProperty("id").GetGuid();

        var outcome = await service.Services.GetRequiredService<ImpersonationAssessor>().AssessAsync(id);

        Assert.Equal(AssessOutcome.AlreadyAssessed, outcome);
        await using var db = service.Database();
        Assert.Equal(1, await db.ReviewCases.CountAsync(c => c.Id == id));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.VerificationId == id && a.Action == "impersonation_report.assessed"));
    }

    /// <summary>A consented template of the holder from the platform's own verification (made once, again after an erasure).</summary>
    private async Task EnsureHolderTemplateAsync()
    {
        await using (var db = service.Database())
        {
            if (await db.FaceTemplates.AnyAsync(t => t.SubjectId == Holder && !t.HeldForReview
                && db.Verifications.Any(v => v.Id == t.VerificationId && v.ClientId == "platform")))
            {
                return;
            }
        }

        using var client = service.Client("client");
        using var response = await client.PostAsync("/v1/verifications",
            EmbeddedService.Submission(Holder, service.CleanDocument.Document, CleanDocuments.HolderSelfie(service.CleanDocument)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal("verified", (await service.WaitForDecisionAsync(client, id)).GetProperty("status").GetString());
    }

    /// <summary>Up to three LFW photos of the holder, none of them the one the template was made from.</summary>
    private List<byte[]> HolderPhotos()
    {
        var photos = CleanDocuments.OtherHolderPhotos(service.CleanDocument).Take(3).ToList();
        Assert.NotEmpty(photos);
        return photos;
    }

    /// <summary>Up to three LFW photos of the first other person (by folder name) with at least two.</summary>
    private List<byte[]> StrangerPhotos() =>
        Directory.GetDirectories(TestPaths.LfwImages).Order(StringComparer.Ordinal)
            .Where(folder => Path.GetFileName(folder) != service.CleanDocument.Person)
            .Select(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToList())
            .First(files => files.Count >= 2)
            .Take(3).Select(File.ReadAllBytes).ToList();

    private const int SmallPhotoWidth = 150;

    /// <summary>Two LFW photos side by side: <paramref name="large"/> enlarged to 250 pixels in the middle, <paramref name="small"/> as it is on the left.</summary>
    private byte[] GroupPhoto(byte[] large, byte[] small)
    {
        var decoder = service.Services.GetRequiredService<ImageDecoder>();
        using var big = decoder.Decode(large);
        using var enlarged = ImageResampler.Resize(big, 250, 250);
        using var beside = decoder.Decode(small);
        using var canvas = RgbImage.Allocate(550, 250);
        canvas.Pixels.Fill(128);
        for (int y = 0; y < enlarged.Height; y++)
        {
            enlarged.Row(y).CopyTo(canvas.Row(y)[(SmallPhotoWidth * 3)..]);
        }

        for (int y = 0; y < beside.Height; y++)
        {
            beside.Row(y).CopyTo(canvas.Row(y + 50));
        }

        return ImageEncoder.EncodeJpeg(canvas, quality: 95);
    }

    private static MultipartFormDataContent Report(string claimedSubject, IEnumerable<byte[]> images, string reportedAccount = "account-impostor")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(reportedAccount), "reported_account_id" },
            { new StringContent(claimedSubject), "claimed_subject_id" },
        };
        int index = 0;
        foreach (var image in images)
        {
            form.Add(EmbeddedService.Image(image), "images", $"photo-{index++}.jpg");
        }

        return form;
    }

    private HttpContent BadReport(string name)
    {
        var photo = HolderPhotos()[0];
        return name switch
        {
            "no_images" => Report(Holder, []),
            "eleven_images" => Report(Holder, Enumerable.Repeat(photo, 11)),
            "truncated_image" => Report(Holder, [photo[..(photo.Length / 2)]]),
            "empty_image" => Report(Holder, [photo, []]),
            "pdf_as_image" => Report(Holder, ["%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"u8.ToArray()]),
            "missing_claimed_subject_id" => Without(Report(Holder, [photo]), "claimed_subject_id"),
            "missing_reported_account_id" => Without(Report(Holder, [photo]), "reported_account_id"),
            "reported_account_id_not_an_id" => Report(Holder, [photo], reportedAccount: "an account with spaces"),
            "unexpected_file_field" => WithSelfie(Report(Holder, [photo]), photo),
            "json_instead_of_multipart" => JsonContent.Create(new { reported_account_id = "a", claimed_subject_id = Holder }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };

        static MultipartFormDataContent Without(MultipartFormDataContent form, string field)
        {
            var rebuilt = new MultipartFormDataContent();
            foreach (var part in form.Where(part => part.Headers.ContentDisposition?.Name?.Trim('"') != field).ToList())
            {
                rebuilt.Add(part);
            }

            return rebuilt;
        }

        static MultipartFormDataContent WithSelfie(MultipartFormDataContent form, byte[] photo)
        {
            form.Add(EmbeddedService.Image(photo), "selfie", "selfie.jpg");
            return form;
        }
    }

    private static async Task<Guid> FileAsync(HttpClient client, HttpContent form, string? idempotencyKey = null)
    {
        var (id, status) = await EmbeddedService.PostAcceptedAsync(client, "/v1/impersonation-reports", form, idempotencyKey);
        Assert.Contains(status, new[] { "queued", "processing", "completed" });
        return id;
    }

    private static async Task<JsonElement> AssessAsync(HttpClient client, HttpContent form)
    {
        var id = await FileAsync(client, form);
        var report = await EmbeddedService.WaitWhileQueuedAsync(client, $"/v1/impersonation-reports/{id}");
        Assert.Equal("completed", report.GetProperty("status").GetString());
        return report;
    }
}
