using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// API keys over their life (revoked, expired, rotated with a grace), failed authentication throttled per source address,
/// and the fallback policy: every endpoint needs a key unless it is marked anonymous on purpose. On a host of its own
/// whose requests name their source address in a test header (the in-memory server has none).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class ApiKeyLifecycleTests : IAsyncLifetime
{
    private const int FailuresPerAddress = 5;

    /// <summary>The routes anonymous on purpose: the root's service info, the probes, the OpenAPI document and (Development) its reference page.</summary>
    private static readonly Regex AnonymousOnPurpose = new("^/$|^/health/(live|ready)$|^/openapi/|^/scalar", RegexOptions.CultureInvariant);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("verify-keys-").FullName;
    private WebApplicationFactory<Program> _factory = null!;

    public Task InitializeAsync()
    {
        _factory = Host(extraEndpoint: false);
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_revoked_key_gets_401_and_the_revocation_is_audited()
    {
        var (key, text) = await CreateKeyAsync("revoked-platform");
        using var client = Client(text);
        Assert.Equal(HttpStatusCode.Created, (await IssueChallengeAsync(client)).StatusCode);

        await using (var db = Database())
        {
            Assert.NotNull(await Issuer.RevokeAsync(db, key.KeyId));
        }

        await AssertUnauthorizedAsync(await IssueChallengeAsync(client));
        await using (var db = Database())
        {
            Assert.Equal($"client:{key.KeyId}", (await db.AuditEvents.SingleAsync(a => a.Action == "key.revoked" && a.ClientId == "revoked-platform")).Detail);
        }
    }

    [Fact]
    public async Task An_expired_key_gets_401_and_one_not_yet_expired_works()
    {
        var now = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (_, expired) = await CreateKeyAsync("expiring-platform", now.AddSeconds(-1));
        var (_, valid) = await CreateKeyAsync("expiring-platform", now.AddHours(1));

        using var expiredClient = Client(expired);
        using var validClient = Client(valid);
        await AssertUnauthorizedAsync(await IssueChallengeAsync(expiredClient));
        Assert.Equal(HttpStatusCode.Created, (await IssueChallengeAsync(validClient)).StatusCode);
    }

    [Fact]
    public async Task A_rotated_key_keeps_working_through_its_grace_and_the_new_key_works_at_once()
    {
        var (old, oldText) = await CreateKeyAsync("rotating-platform");
        (ApiKeySummary Old, ApiKey Key, string Text) rotated;
        await using (var db = Database())
        {
            rotated = (await Issuer.RotateAsync(db, old.KeyId, TimeSpan.FromHours(24)))!.Value;
        }

        Assert.Equal(("rotating-platform", ApiRole.Client), (rotated.Key.ClientId, rotated.Key.Role));
        using var oldClient = Client(oldText);
        using var newClient = Client(rotated.Text);
        Assert.Equal(HttpStatusCode.Created, (await IssueChallengeAsync(oldClient)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await IssueChallengeAsync(newClient)).StatusCode);

        // Rotated again without a grace, the key it replaces stops at once.
        await using (var db = Database())
        {
            Assert.NotNull(await Issuer.RotateAsync(db, rotated.Key.KeyId, TimeSpan.Zero));
            Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Action == "key.rotated" && a.ClientId == "rotating-platform"));
        }

        await AssertUnauthorizedAsync(await IssueChallengeAsync(newClient));
        Assert.Equal(HttpStatusCode.Created, (await IssueChallengeAsync(oldClient)).StatusCode);
    }

    [Fact]
    public async Task Bad_keys_from_one_address_are_throttled_while_another_address_is_still_answered()
    {
        var (_, good) = await CreateKeyAsync("throttle-platform");
        const string bad = "vk_0000000000000000_not-a-real-secret";
        using var attacker = Client(bad, source: "203.0.113.7");
        for (int i = 0; i < FailuresPerAddress; i++)
        {
            await AssertUnauthorizedAsync(await IssueChallengeAsync(attacker));
        }

        using var throttled = await IssueChallengeAsync(attacker);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        Assert.Equal("urn:verify:problem:authentication_throttled", (await throttled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        // A platform behind the same address (a NAT, a load balancer) keeps working with its good key, while the guesses
        // from there stay refused; a guess at a real key's id with a wrong secret too.
        using var goodFromAttacker = Client(good, source: "203.0.113.7");
        Assert.Equal(HttpStatusCode.Created, (await IssueChallengeAsync(goodFromAttacker)).StatusCode);
        string wrongSecret = good[..(good.IndexOf('_', "vk_".Length) + 1)] + "not-the-secret";
        using var guessAtRealId = Client(wrongSecret, source: "203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await IssueChallengeAsync(guessAtRealId)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await IssueChallengeAsync(attacker)).StatusCode);

        using var badElsewhere = Client(bad, source: "198.51.100.20");
        using var goodElsewhere = Client(good, source: "198.51.100.20");
        await AssertUnauthorizedAsync(await IssueChallengeAsync(badElsewhere));
        Assert.Equal(HttpStatusCode.Created, (await IssueChallengeAsync(goodElsewhere)).StatusCode);
    }

    [Fact]
    public async Task Every_endpoint_is_anonymous_on_purpose_or_refuses_a_call_without_a_key()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/v1/verifications/{id:guid}");
        using var anonymous = _factory.CreateClient();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            string pattern = endpoint.RoutePattern.RawText ?? "";
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                if (!AnonymousOnPurpose.IsMatch(pattern))
                {
                    failures.Add($"{pattern} is anonymous but not on the list of endpoints anonymous on purpose");
                }

                continue;
            }

            string path = Regex.Replace(pattern, @"\{([^}:?]+)(:[^}]*)?\??\}", m => m.Value.Contains(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "x");
            foreach (string method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                using var response = await anonymous.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{method} {pattern} answered {(int)response.StatusCode} without a key");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task An_endpoint_mapped_without_an_anonymous_marker_needs_a_key()
    {
        await using var withExtra = Host(extraEndpoint: true);
        using var anonymous = withExtra.CreateClient();
        await AssertUnauthorizedAsync(await anonymous.GetAsync(ExtraEndpoint.Path));

        string key;
        await using (var db = withExtra.Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext())
        {
            key = (await withExtra.Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, "extra-platform", ApiRole.Client)).Text;
        }

        using var keyed = withExtra.CreateClient();
        keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync(ExtraEndpoint.Path)).StatusCode);
    }

    private ApiKeyIssuer Issuer => _factory.Services.GetRequiredService<ApiKeyIssuer>();

    private WebApplicationFactory<Program> Host(bool extraEndpoint) => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Storage:DataDirectory", extraEndpoint ? Path.Combine(_dataDirectory, "extra") : _dataDirectory);
        builder.UseSetting("Authentication:FailuresPerAddress", FailuresPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter>(new SourceFromHeader());
            if (extraEndpoint)
            {
                services.AddSingleton<IStartupFilter>(new ExtraEndpoint());
            }
        });
    });

    private VerifyDbContext Database() => _factory.Services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContext();

    private async Task<(ApiKey Key, string Text)> CreateKeyAsync(string clientId, DateTimeOffset? expiresAt = null)
    {
        await using var db = Database();
        return await Issuer.CreateAsync(db, clientId, ApiRole.Client, expiresAt: expiresAt);
    }

    private HttpClient Client(string key, string source = "192.0.2.1")
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        client.DefaultRequestHeaders.Add(SourceFromHeader.Header, source);
        return client;
    }

    /// <summary>The cheapest call a client key may make: a new liveness challenge (201).</summary>
    private static Task<HttpResponseMessage> IssueChallengeAsync(HttpClient client) => client.PostAsync("/v1/liveness-challenges", null);

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("urn:verify:problem:unauthorized", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
    }

    /// <summary>Gives each request the source address its test header names: the in-memory server has no connection.</summary>
    private sealed class SourceFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Source-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Request.Headers[Header].FirstOrDefault() is { } source)
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(source);
                }

                return following(context);
            });
            next(app);
        };
    }

    /// <summary>Maps one more endpoint onto the application's own routes, as a developer adding one would, with no authorization marker.</summary>
    private sealed class ExtraEndpoint : IStartupFilter
    {
        public const string Path = "/v1/unmarked-extra";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            // The WebApplication, which the application's routing matches against, is left in the pipeline's properties
            // by its UseRouting; its routes are read when the pipeline is built, after this.
            var routes = app.Properties.Values.OfType<IEndpointRouteBuilder>().FirstOrDefault()
                ?? throw new InvalidOperationException($"No route builder among {string.Join(", ", app.Properties.Keys)}");
            routes.MapGet(Path, () => "unprotected data");
        };
    }
}
