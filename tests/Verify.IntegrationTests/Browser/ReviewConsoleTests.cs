using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verify.IntegrationTests.Fixtures;
using Verify.IntegrationTests.Service;
using static Microsoft.Playwright.Assertions;

namespace Verify.IntegrationTests.Browser;

/// <summary>
/// The reviewer console (/console/) in Debian's Chromium against the embedded service on a loopback port: signing in,
/// the queue, a case's evidence and deciding it with the keyboard.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Browser)]
public sealed class ReviewConsoleTests(LoopbackService service, ChromiumBrowser chromium) : IClassFixture<LoopbackService>, IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task The_console_is_served_without_a_key_under_headers_that_allow_only_its_own_files()
    {
        using var anonymous = service.Client(null);

        using var page = await anonymous.GetAsync("/console/");
        using var script = await anonymous.GetAsync("/console/console.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' blob:", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(page.Headers.GetValues("Referrer-Policy")));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_wrong_key_and_a_client_key_are_refused_and_a_reviewer_key_is_kept_only_in_the_page_memory()
    {
        await using var session = await chromium.OpenAsync(service.BaseAddress);
        var page = session.Page;
        await page.GotoAsync("/console/");

        await SignInAsync(page, "vk_0123456789abcdef_not-a-real-secret");
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("That key is not valid.");
        await SignInAsync(page, service.Keys["client"]);
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("That key is not a reviewer's key.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Queue" })).ToBeHiddenAsync();

        await SignInAsync(page, service.Keys["reviewer"]);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Queue" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Reviewer key")).ToBeHiddenAsync();

        string stored = await page.EvaluateAsync<string>("() => [localStorage.length, sessionStorage.length, document.cookie].join('|')");
        Assert.Equal("0|0|", stored);
        Assert.Empty(await session.Context.CookiesAsync());
        Assert.DoesNotContain(service.Keys["reviewer"], await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(service.Keys["reviewer"], page.Url, StringComparison.Ordinal);
        Assert.Empty(session.Faults);
    }

    [Fact]
    public async Task A_reviewer_opens_the_oldest_case_sees_both_faces_and_approves_it_with_the_keyboard()
    {
        var submitted = await SubmitCasesAsync(2);
        using var reviewer = service.Client("reviewer");
        var queued = await QueueAsync(reviewer);
        Assert.Subset(queued.ToHashSet(), submitted.ToHashSet());
        Guid oldest = queued[0], next = queued[1];
        await using var session = await chromium.OpenAsync(service.BaseAddress);
        var page = session.Page;
        await page.GotoAsync("/console/");
        await SignInAsync(page, service.Keys["reviewer"]);

        // The queue is oldest first; j and k move the selection, Enter opens (and claims) the selected case.
        var rows = page.Locator("#queue-rows tr");
        await Expect(rows.First).ToHaveAttributeAsync("data-case-id", oldest.ToString());
        await Expect(rows.First).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("j");
        await Expect(rows.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("k");
        await Expect(rows.First).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");

        // Both faces, fetched with the key and shown from blob: URLs, side by side; the scores and reasons as the API has them.
        await Expect(page.Locator("#case-id")).ToHaveTextAsync(oldest.ToString());
        await page.WaitForFunctionAsync("() => ['portrait', 'selfie'].every(id => document.getElementById(id).complete && document.getElementById(id).naturalWidth > 0)");
        Assert.StartsWith("blob:", await page.Locator("#portrait").GetAttributeAsync("src"), StringComparison.Ordinal);
        Assert.StartsWith("blob:", await page.Locator("#selfie").GetAttributeAsync("src"), StringComparison.Ordinal);
        var portrait = (await page.Locator("#portrait").BoundingBoxAsync())!;
        var selfie = (await page.Locator("#selfie").BoundingBoxAsync())!;
        Assert.True(portrait.X + portrait.Width <= selfie.X && Math.Abs(portrait.Y - selfie.Y) < 1, "the portrait and the selfie are side by side");
        Assert.True(selfie.Y + selfie.Height <= 800, "both faces are in view at 1280x800");
        using var client = service.Client("client");
        var before = await client.GetFromJsonAsync<JsonElement>($"/v1/verifications/{oldest}");
        var result = before.GetProperty("result");
        var faceMatch = page.Locator("#score-rows tr").Filter(new() { HasText = "Face match" });
        await Expect(faceMatch).ToContainTextAsync(Fixed(result.GetProperty("face_match_score")));
        await Expect(faceMatch).ToContainTextAsync(Fixed(result.GetProperty("face_match_threshold")));
        await Expect(page.Locator("#score-rows tr").Filter(new() { HasText = "Liveness" })).ToContainTextAsync(Fixed(result.GetProperty("liveness_threshold")));
        foreach (string code in before.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!))
        {
            var reason = page.Locator($"#reasons li[data-code='{code}']");
            await Expect(reason).ToHaveCountAsync(1);
            Assert.DoesNotContain(code, await reason.TextContentAsync() ?? code, StringComparison.Ordinal);
        }

        if (Environment.GetEnvironmentVariable("VERIFY_SCREENSHOT_DIR") is { Length: > 0 } screenshots)
        {
            // For docs/review-console.png: the faces blurred, as LFW's photos (and the generated document's printed
            // fields in the portrait's margin) stay out of the repository.
            await page.EvaluateAsync("() => document.querySelectorAll('.faces img').forEach(img => { img.style.filter = 'blur(9px)'; })");
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "review-console.png") });
        }

        await page.Keyboard.PressAsync("a");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Queue" })).ToBeVisibleAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("approved");
        await Expect(page.Locator($"#queue-rows tr[data-case-id='{oldest}']")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#queue-rows tr[data-case-id='{next}']")).ToHaveCountAsync(1);
        Assert.DoesNotContain(oldest, await QueueAsync(reviewer));
        var after = await client.GetFromJsonAsync<JsonElement>($"/v1/verifications/{oldest}");
        Assert.Equal("verified", after.GetProperty("status").GetString());
        await using var db = service.Database();
        var decided = await db.ReviewCases.SingleAsync(c => c.Id == oldest);
        Assert.Equal(("approved", "identity_confirmed", KeyId("reviewer")), (decided.Outcome, decided.DecisionReason, decided.DecidedBy));
        // The faces were fetched through the audited API; the document view was never opened, so never fetched.
        string[] viewed = [.. await db.AuditEvents.Where(a => a.VerificationId == oldest && a.Action.StartsWith("review.viewed.")).Select(a => a.Action).ToListAsync()];
        Assert.Equal(["review.viewed.portrait", "review.viewed.selfie"], viewed.Order(StringComparer.Ordinal));
        Assert.Empty(session.Faults);
    }

    [Fact]
    public async Task Escape_releases_the_claim_typing_a_note_triggers_nothing_and_r_then_Enter_rejects_with_the_chosen_reason()
    {
        var id = (await SubmitCasesAsync(1))[0];
        using var reviewer = service.Client("reviewer");
        int index = (await QueueAsync(reviewer)).IndexOf(id);
        await using var session = await chromium.OpenAsync(service.BaseAddress);
        var page = session.Page;
        await page.GotoAsync("/console/");
        await SignInAsync(page, service.Keys["reviewer"]);
        var row = page.Locator($"#queue-rows tr[data-case-id='{id}']");
        await Expect(row).ToHaveCountAsync(1);
        for (int step = 0; step < index; step++)
        {
            await page.Keyboard.PressAsync("j");
        }

        await Expect(row).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#case-id")).ToHaveTextAsync(id.ToString());
        Assert.Equal(KeyId("reviewer"), await ClaimedByAsync(id));

        // Escape: back to the queue, the claim released, the same case still selected.
        await page.Keyboard.PressAsync("Escape");
        await Expect(row.Locator(".claim")).ToHaveTextAsync("Open");
        Assert.Null(await ClaimedByAsync(id));
        await Expect(row).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#case-id")).ToHaveTextAsync(id.ToString());

        // Letters typed into the note are text, not shortcuts; Escape leaves the field, r goes to the reason.
        await page.GetByLabel("Note (optional, at most 1000 characters)").ClickAsync();
        await page.Keyboard.TypeAsync("a retake shows another person");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#case-id")).ToHaveTextAsync(id.ToString());
        await page.Keyboard.PressAsync("r");
        await Expect(page.Locator("#reject-reason")).ToBeFocusedAsync();
        await page.Locator("#reject-reason").SelectOptionAsync("face_mismatch");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#status")).ToContainTextAsync("rejected");
        await Expect(row).ToHaveCountAsync(0);
        using var client = service.Client("client");
        var verification = await client.GetFromJsonAsync<JsonElement>($"/v1/verifications/{id}");
        Assert.Equal("rejected", verification.GetProperty("status").GetString());
        Assert.Equal(["review:face_mismatch"], verification.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        await using var db = service.Database();
        var decided = await db.ReviewCases.SingleAsync(c => c.Id == id);
        Assert.Equal(("rejected", "face_mismatch", "a retake shows another person"), (decided.Outcome, decided.DecisionReason, decided.Note));
        Assert.Empty(session.Faults);
    }

    /// <summary>
    /// Submits <paramref name="count"/> selfies of the clean document's holder for new subjects; with this service's
    /// settings the real pipeline sends each to review (low capture quality: the face is small), faces matching.
    /// </summary>
    private async Task<Guid[]> SubmitCasesAsync(int count)
    {
        using var client = service.Client("client");
        var ids = new List<Guid>();
        for (int i = 0; i < count; i++)
        {
            string subject = $"console-{Guid.NewGuid():N}"[..24];
            using var response = await client.PostAsync("/v1/verifications",
                EmbeddedService.Submission(subject, service.CleanDocument.Document, CleanDocuments.HolderSelfie(service.CleanDocument)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        foreach (var id in ids)
        {
            var decided = await service.WaitForDecisionAsync(client, id);
            Assert.Equal("needs_review", decided.GetProperty("status").GetString());
            Assert.Equal("passed", decided.GetProperty("result").GetProperty("stages").GetProperty("face_match").GetString());
        }

        return [.. ids];
    }

    private static async Task<List<Guid>> QueueAsync(HttpClient reviewer)
    {
        var page = await reviewer.GetFromJsonAsync<JsonElement>("/v1/reviews?limit=100");
        return [.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("case_id").GetGuid())];
    }

    private async Task<string?> ClaimedByAsync(Guid id)
    {
        await using var db = service.Database();
        var reviewCase = await db.ReviewCases.AsNoTracking().SingleAsync(c => c.Id == id);
        return reviewCase.ClaimedUntil > DateTime.UtcNow ? reviewCase.ClaimedBy : null;
    }

    /// <summary>The key id inside a key's text (vk_{id}_{secret}): what claims and decisions record.</summary>
    private string KeyId(string name) => service.Keys[name].Split('_')[1];

    /// <summary>A score as the console prints it: four decimals.</summary>
    private static string Fixed(JsonElement number) => number.GetDouble().ToString("F4", CultureInfo.InvariantCulture);

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("Reviewer key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
