using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>GET /v1/reviews: the open cases, oldest first, filtered and paged, for reviewers and admins.</summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class ReviewQueueTests(EmbeddedService service)
{
    [Fact]
    public async Task Only_cases_in_review_are_listed_oldest_first_with_their_reasons_and_pages_follow_on()
    {
        string client = $"queue-{Guid.NewGuid():N}"[..20];
        var now = DateTime.UtcNow;
        var oldest = await AddAsync(client, VerificationState.NeedsReview, now.AddHours(-3), "document_screen_suspected");
        var middle = await AddAsync(client, VerificationState.NeedsReview, now.AddHours(-2), "mrz_ambiguous");
        var newest = await AddAsync(client, VerificationState.NeedsReview, now.AddMinutes(-5), "document_screen_suspected", "liveness_not_evaluated");
        await AddAsync(client, VerificationState.Verified, now.AddHours(-4));
        await AddAsync(client, VerificationState.Rejected, now.AddHours(-4), "face_mismatch");
        // The operator's key: a client's reviewer sees its own client's cases only (the test below).
        using var reviewer = service.Client("admin");

        var all = await ListAsync(reviewer, $"client_id={client}");
        var first = await ListAsync(reviewer, $"client_id={client}&limit=2");
        var second = await ListAsync(reviewer, $"client_id={client}&limit=2&after={first.GetProperty("next").GetString()}");
        var screens = await ListAsync(reviewer, $"client_id={client}&reason=document_screen_suspected");
        var waitingAnHour = await ListAsync(reviewer, $"client_id={client}&min_age_minutes=60");

        Assert.Equal([oldest, middle, newest], Ids(all));
        var item = all.GetProperty("items")[2];
        Assert.Equal(["document_screen_suspected", "liveness_not_evaluated"], item.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(client, item.GetProperty("client_id").GetString());
        Assert.InRange(item.GetProperty("age_seconds").GetInt64(), 240, 3600);
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);
        Assert.Equal([oldest, middle], Ids(first));
        Assert.Equal([newest], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal([oldest, newest], Ids(screens));
        Assert.Equal([oldest, middle], Ids(waitingAnHour));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("min_age_minutes=-1", "min_age_minutes")]
    [InlineData("reason=Not%20A%20Code", "reason")]
    [InlineData("after=nonsense", "after")]
    public async Task A_bad_filter_is_a_problem_naming_it(string query, string field)
    {
        using var reviewer = service.Client("admin");

        using var response = await reviewer.GetAsync($"/v1/reviews?{query}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, body.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_reviewer_sees_and_works_its_own_clients_cases_only_and_an_admin_every_clients()
    {
        var now = DateTime.UtcNow;
        var theirs = await AddAsync("other-platform", VerificationState.NeedsReview, now.AddMinutes(-30), "document_screen_suspected");
        var ours = await AddAsync("platform", VerificationState.NeedsReview, now.AddMinutes(-30), "document_screen_suspected");
        using var reviewer = service.Client("reviewer");
        using var otherReviewer = service.Client("other-reviewer");
        using var admin = service.Client("admin");

        // Not listed, even when asked for by name, and every route naming the case answers as for an unknown id.
        Assert.DoesNotContain(theirs, Ids(await ListAsync(reviewer, "client_id=other-platform&limit=100")));
        Assert.DoesNotContain(theirs, Ids(await ListAsync(reviewer, "limit=100")));
        Assert.Contains(ours, Ids(await ListAsync(reviewer, "client_id=platform&limit=100")));
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => reviewer.PostAsync($"/v1/reviews/{theirs}/claim", null),
            () => reviewer.GetAsync($"/v1/reviews/{theirs}"),
            () => reviewer.GetAsync($"/v1/reviews/{theirs}/images/selfie"),
            () => reviewer.PostAsJsonAsync($"/v1/reviews/{theirs}/decision", new { decision = "approve", reason = "identity_confirmed" }),
            () => reviewer.DeleteAsync($"/v1/reviews/{theirs}/claim"),
            () => reviewer.GetAsync($"/v1/verifications/{theirs}"),
        })
        {
            using var response = await request();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Null(await CaseClaimantAsync(theirs));
        // The other client's own reviewer works it; the operator sees both clients' cases.
        using (var claimed = await otherReviewer.PostAsync($"/v1/reviews/{theirs}/claim", null))
        {
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        }

        var all = Ids(await ListAsync(admin, "limit=100&min_age_minutes=20"));
        Assert.Contains(theirs, all);
        Assert.Contains(ours, all);
    }

    private async Task<string?> CaseClaimantAsync(Guid id)
    {
        await using var db = service.Database();
        return await db.ReviewCases.Where(c => c.Id == id).Select(c => c.ClaimedBy).SingleAsync();
    }

    private static Guid[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("verification_id").GetGuid())];

    private static async Task<JsonElement> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/v1/reviews?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<Guid> AddAsync(string client, VerificationState state, DateTime completedAt, params string[] reasons)
    {
        await using var db = service.Database();
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = "queue-subject", ClientId = client, BiometricProcessing = true, PolicyVersion = "2026-11",
            GrantedAt = completedAt.AddMinutes(-1),
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = client, SubjectId = "queue-subject", ConsentId = consent.Id, State = state, Reasons = [.. reasons],
            CreatedAt = completedAt.AddMinutes(-1), UpdatedAt = completedAt, CompletedAt = completedAt,
        };
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        if (state == VerificationState.NeedsReview)
        {
            db.ReviewCases.Add(new ReviewCase
            {
                Id = verification.Id, Kind = ReviewCaseKind.Verification, ClientId = client, SubjectId = "queue-subject", Reasons = [.. reasons], OpenedAt = completedAt,
            });
        }

        await db.SaveChangesAsync();
        return verification.Id;
    }
}
