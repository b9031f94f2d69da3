using System.Net;
using System.Text.Json;
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
        using var reviewer = service.Client("reviewer");

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
