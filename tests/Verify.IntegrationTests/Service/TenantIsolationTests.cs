using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Duplicates;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Verification;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// The embedded service with a second platform's webhook endpoint: "platform-hooks" belongs to client platform (the
/// "client" key), "other-hooks" to client other-platform (the "other" key). The periodic index catch-up is pushed out
/// of the tests' way, so only the bus events change the template index.
/// </summary>
public sealed class TwoTenantService : EmbeddedService
{
    public WebhookReceiver OtherWebhooks { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Webhooks:Endpoints:1:Name", "other-hooks");
        builder.UseSetting("Webhooks:Endpoints:1:ClientId", "other-platform");
        builder.UseSetting("Webhooks:Endpoints:1:Url", OtherWebhooks.Url.ToString());
        builder.UseSetting("Webhooks:Endpoints:1:Secret", "other-webhook-secret-0123456789abcdef");
        builder.UseSetting("Duplicates:CatchUpInterval", "1.00:00:00");
    }
}

[CollectionDefinition(Name)]
public sealed class TwoTenantServiceCollection : ICollectionFixture<TwoTenantService>
{
    public const string Name = "two tenant service";
}

/// <summary>
/// Tenancy around the rows: events and webhooks carry and keep to their client, one client's erasure never touches
/// another client's subject of the same id, and the consumers act only on messages the service signed.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(TwoTenantServiceCollection.Name)]
public sealed class TenantIsolationTests(TwoTenantService service)
{
    private const string Platform = "platform";
    private const string OtherPlatform = "other-platform";

    [Fact]
    public async Task A_clients_webhook_never_receives_another_clients_event()
    {
        var holder = HolderDocuments.OfAnotherPerson(service, service.CleanDocument.Person);
        using var platform = service.Client("client");
        using var other = service.Client("other");
        var mine = await VerifyAsync(platform, "hooks-7", holder);
        var theirs = await VerifyAsync(other, "hooks-7", holder);
        Assert.Equal(HttpStatusCode.OK, (await platform.DeleteAsync("/v1/subjects/hooks-7/biometrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.DeleteAsync("/v1/subjects/hooks-7/biometrics")).StatusCode);

        string[] all = ["verification.completed", "identity.verified", "badge.revoked"];
        await Eventually.TrueAsync(() => all.All(type => Delivered(service.Webhooks, type, Platform, "hooks-7")), "platform's three events");
        await Eventually.TrueAsync(() => all.All(type => Delivered(service.OtherWebhooks, type, OtherPlatform, "hooks-7")), "other-platform's three events");
        // Every delivery queued so far, not only those delivered yet: each endpoint's rows hold its own client's events.
        await Eventually.TrueAsync(async () => await OutboxSentAsync(), "the outbox to be sent");
        await using var db = service.Database();
        foreach (var (endpoint, client, verification, foreign) in new[] { ("platform-hooks", Platform, mine, theirs), ("other-hooks", OtherPlatform, theirs, mine) })
        {
            var bodies = await db.WebhookDeliveries.Where(d => d.Endpoint == endpoint).Select(d => d.Body).ToListAsync();
            Assert.All(bodies, body => Assert.Equal(client, Data(body).GetProperty("client_id").GetString()));
            Assert.Contains(bodies, body => Data(body).TryGetProperty("verification_id", out var id) && id.GetGuid() == verification);
            Assert.DoesNotContain(bodies, body => body.Contains(foreign.ToString(), StringComparison.Ordinal));
        }

        Assert.All(service.Webhooks.Received, r => Assert.Equal(Platform, Data(r.Body).GetProperty("client_id").GetString()));
        Assert.All(service.OtherWebhooks.Received, r => Assert.Equal(OtherPlatform, Data(r.Body).GetProperty("client_id").GetString()));
    }

    [Fact]
    public async Task Client_a_erasing_user_42_leaves_client_bs_user_42_intact_and_its_revocation_reaches_only_client_a()
    {
        var holder = service.CleanDocument;
        using var platform = service.Client("client");
        using var other = service.Client("other");
        var mine = await VerifyAsync(platform, "user-42", holder);
        var theirs = await VerifyAsync(other, "user-42", holder);
        var index = service.Services.GetRequiredService<TemplateIndex>();
        HashSet<Guid> theirTemplates;
        await using (var db = service.Database())
        {
            theirTemplates = [.. await db.FaceTemplates.Where(t => t.VerificationId == theirs).Select(t => t.Id).ToListAsync()];
        }

        Assert.NotEmpty(theirTemplates);

        using (var response = await platform.DeleteAsync("/v1/subjects/user-42/biometrics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var revoked = await service.WaitForEventAsync<BadgeRevoked>(e => e.SubjectId == "user-42");
        Assert.NotNull(revoked);
        Assert.Equal(Platform, revoked.ClientId);
        await Eventually.TrueAsync(() => Delivered(service.Webhooks, "badge.revoked", Platform, "user-42"), "platform's badge.revoked");
        await Eventually.TrueAsync(async () => await OutboxSentAsync(), "the outbox to be sent");

        await using var check = service.Database();
        Assert.False(await check.FaceTemplates.AnyAsync(t => t.VerificationId == mine));
        Assert.False(await check.DocumentFingerprints.AnyAsync(f => f.VerificationId == mine));
        // Client B's user-42 is another person: template, fingerprint, consent and badge stay, and stay searchable.
        Assert.Equal(theirTemplates, [.. await check.FaceTemplates.Where(t => t.VerificationId == theirs).Select(t => t.Id).ToListAsync()]);
        Assert.True(await check.DocumentFingerprints.AnyAsync(f => f.VerificationId == theirs && f.ClientId == OtherPlatform && f.SubjectId == "user-42"));
        Assert.True(await check.Consents.AnyAsync(c => c.ClientId == OtherPlatform && c.SubjectId == "user-42" && c.WithdrawnAt == null));
        Assert.Equal(VerificationState.Verified, (await check.Verifications.SingleAsync(v => v.Id == theirs)).State);
        Assert.Subset(index.TemplateIds(), theirTemplates);
        Assert.DoesNotContain(service.Events.OfType<BadgeRevoked>(), e => e.ClientId == OtherPlatform && e.SubjectId == "user-42");
        var otherRevocations = await check.WebhookDeliveries.Where(d => d.Endpoint == "other-hooks" && d.EventType == "badge.revoked").Select(d => d.Body).ToListAsync();
        Assert.DoesNotContain(otherRevocations, body => Data(body).GetProperty("subject_id").GetString() == "user-42");
        Assert.Contains(await check.WebhookDeliveries.Where(d => d.Endpoint == "platform-hooks" && d.EventType == "badge.revoked").Select(d => d.Body).ToListAsync(),
            body => Data(body).GetProperty("subject_id").GetString() == "user-42");
    }

    [Fact]
    public async Task A_forged_identity_verified_is_refused_and_a_signed_one_through_the_outbox_is_consumed()
    {
        using var refusals = new RefusalCounter(service.Services.GetRequiredService<MessageSigner>().Refused);
        // A badge whose event no process has heard yet: only a consumed IdentityVerified brings its template into the index.
        var (id, template) = await AddUnannouncedBadgeAsync();
        var index = service.Services.GetRequiredService<TemplateIndex>();
        Assert.DoesNotContain(template, index.TemplateIds());

        var signer = service.Services.GetRequiredService<MessageSigner>();
        var bus = service.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        var badge = new IdentityVerified(id, Platform, "forged-badge", "document_and_face", now, now.AddYears(1));
        var stolen = Guid.NewGuid();
        await bus.Publish(badge);
        await bus.Publish(badge, context => context.Headers.Set(MessageSigner.Header, Convert.ToBase64String(new byte[32])));
        // A signature lifted from another message (another id) does not carry over.
        await bus.Publish(badge, context => context.Headers.Set(MessageSigner.Header, signer.Sign(typeof(IdentityVerified), stolen, badge)));

        await Eventually.TrueAsync(() => refusals.Count(nameof(IdentityVerified)) >= 3, "the three forged events refused");
        Assert.DoesNotContain(template, index.TemplateIds());

        await using (var db = service.Database())
        {
            Outbox.Add(db, badge, now.UtcDateTime);
            await db.SaveChangesAsync();
        }

        await Eventually.TrueAsync(() => index.TemplateIds().Contains(template), "the signed event's template in the index");
        Assert.Equal(3, refusals.Count(nameof(IdentityVerified)));
    }

    [Fact]
    public async Task A_forged_verify_identity_command_is_refused_and_the_verification_stays_queued()
    {
        using var refusals = new RefusalCounter(service.Services.GetRequiredService<MessageSigner>().Refused);
        var bus = service.Services.GetRequiredService<IBus>();
        var skipped = new List<Guid>();
        var listener = bus.ConnectReceiveEndpoint("verify-identity-cpu_skipped", endpoint =>
            endpoint.Handler<VerifyIdentity>(context =>
            {
                lock (skipped)
                {
                    skipped.Add(context.Message.VerificationId);
                }

                return Task.CompletedTask;
            }));
        await listener.Ready;
        try
        {
            Guid id;
            await using (var db = service.Database())
            {
                id = await QueuedVerification.AddAsync(db, Platform, "forged-command");
            }

            var queue = await bus.GetSendEndpoint(new Uri("queue:verify-identity-cpu"));
            await queue.Send(new VerifyIdentity(id));
            await queue.Send(new VerifyIdentity(id), context => context.Headers.Set(MessageSigner.Header, "bm90IGEgc2lnbmF0dXJl"));

            await Eventually.TrueAsync(() => refusals.Count(nameof(VerifyIdentity)) >= 2, "the two forged commands refused");
            await Eventually.TrueAsync(() => { lock (skipped) { return skipped.Count(s => s == id) == 2; } }, "both in the skipped queue");
            await using (var db = service.Database())
            {
                Assert.Equal(VerificationState.Queued, (await db.Verifications.SingleAsync(v => v.Id == id)).State);
                // The signed command, through the outbox, runs (no images: it is decided all the same, never left queued).
                Outbox.Add(db, new VerifyIdentity(id), DateTime.UtcNow);
                await db.SaveChangesAsync();
            }

            Assert.True(await service.EventuallyAsync(async db => (await db.Verifications.SingleAsync(v => v.Id == id)).State != VerificationState.Queued));
        }
        finally
        {
            await listener.StopAsync();
        }
    }

    /// <summary>A verified verification of client platform with one searchable template, written straight to the database (no event).</summary>
    private async Task<(Guid Verification, Guid Template)> AddUnannouncedBadgeAsync()
    {
        var protector = service.Services.GetRequiredService<PayloadProtector>();
        string model = service.Services.GetRequiredService<IOptions<DuplicateSearchOptions>>().Value.FaceModel;
        await using var db = service.Database();
        var now = DateTime.UtcNow;
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = Platform, SubjectId = "forged-badge", State = VerificationState.Verified,
            CreatedAt = now, UpdatedAt = now, CompletedAt = now,
        };
        var templateId = Guid.NewGuid();
        float[] embedding = [.. Enumerable.Range(1, 16).Select(i => (float)i)];
        db.Verifications.Add(verification);
        db.FaceTemplates.Add(new FaceTemplate
        {
            Id = templateId, SubjectId = "forged-badge", VerificationId = verification.Id, ModelId = model, ModelVersion = "tenancy-test",
            Ciphertext = protector.Protect(MemoryMarshal.AsBytes(embedding.AsSpan()), FaceTemplates.Purpose(templateId)),
            CreatedAt = now, LastUsedAt = now, ExpiresAt = now.AddYears(1),
        });
        await db.SaveChangesAsync();
        return (verification.Id, templateId);
    }

    private async Task<Guid> VerifyAsync(HttpClient client, string subject, (byte[] Document, string Person, string PortraitPhoto) holder)
    {
        var (id, _) = await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications",
            EmbeddedService.Submission(subject, holder.Document, CleanDocuments.HolderSelfie(holder)));
        var body = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("verified", body.GetProperty("status").GetString());
        return id;
    }

    private async Task<bool> OutboxSentAsync()
    {
        await using var db = service.Database();
        return !await db.Outbox.AnyAsync(m => m.SentAt == null);
    }

    private static bool Delivered(WebhookReceiver receiver, string type, string client, string subject) =>
        receiver.Received.Any(r => r.EventType == type && Data(r.Body) is var data
            && data.GetProperty("client_id").GetString() == client && data.GetProperty("subject_id").GetString() == subject);

    private static JsonElement Data(string body) => JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();

    /// <summary>
    /// Counts <c>verify.bus.messages_refused</c> by message type, of this test's service only: its own counter instance
    /// (each host's meter factory makes its own), so another service in this process refusing forged messages in
    /// parallel (DistributedBusSigningTests) never adds to the count. The tests sharing this service run one at a time.
    /// </summary>
    private sealed class RefusalCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

        public RefusalCounter(Instrument refused)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument, refused))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "message_type" && tag.Value is string type)
                    {
                        lock (_counts)
                        {
                            _counts[type] = _counts.GetValueOrDefault(type) + value;
                        }
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string messageType)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(messageType);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
