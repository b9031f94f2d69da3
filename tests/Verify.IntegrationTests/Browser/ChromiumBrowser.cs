using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Verify.IntegrationTests.Browser;

/// <summary>
/// Debian's Chromium (installed by scripts/bootstrap.sh from scripts/apt-packages.txt), headless, driven by Playwright
/// (Microsoft.Playwright's driver ships in the test build): never a downloaded browser. The flags keep Chromium off the
/// network it would otherwise call (updates, sync, Google's hosts), which this machine refuses; Playwright gives each
/// launch a fresh profile.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    /// <summary>$VERIFY_CHROMIUM, else Debian's /usr/bin/chromium.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("VERIFY_CHROMIUM") is { Length: > 0 } configured
        ? configured
        : "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new FileNotFoundException($"Chromium is missing at {ExecutablePath}: run scripts/bootstrap.sh (it installs Debian's chromium).", ExecutablePath);
        }

        // Web-first assertions wait for the page; the 2-core machine runs other tests beside this one.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh browser context (no storage shared with another test) and one page at 1280x800 on <paramref name="baseAddress"/>.</summary>
    public async Task<BrowserSession> OpenAsync(Uri baseAddress)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var session = new BrowserSession(context, page);
        page.Console += (_, message) => session.Messages.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => session.Messages.Enqueue($"pageerror: {error}");
        return session;
    }
}

/// <summary>One browser context and its page, with what the page wrote to its console.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public IBrowserContext Context { get; } = context;

    /// <summary>Console messages and uncaught errors, as "type: text".</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>Messages that say the page broke: a script error, or something the Content-Security-Policy blocked.</summary>
    public IEnumerable<string> Faults => Messages.Where(m => m.StartsWith("pageerror:", StringComparison.Ordinal)
        || m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
