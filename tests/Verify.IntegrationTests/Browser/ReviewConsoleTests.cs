using System.Net;
using Microsoft.Playwright;
using Verify.IntegrationTests.Fixtures;
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

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("Reviewer key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
