using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;
using Verify.IntegrationTests.Storage;
using Verify.Pipeline.Retention;
using Verify.Pipeline.Verification;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// The embedded service with a <see cref="SubjectLockGate"/> on its database, and every face match short of the
/// threshold sent to review (so a stranger's selfie makes a real case to approve; the holder's is still verified).
/// </summary>
public class InterleavingService : EmbeddedService
{
    public SubjectLockGate Gate { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("DecisionPolicy:FaceMatchReviewBand", "1");
        builder.ConfigureTestServices(services => services.ConfigureDbContext<VerifyDbContext>(options => options.AddInterceptors(Gate.Interceptors)));
    }
}

/// <summary>The same on a real PostgreSQL (scripts/postgres.sh): there the subject lock is a row lock, and other subjects never wait.</summary>
public sealed class PostgreSqlInterleavingService : InterleavingService, IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public new async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        base.Configure(builder);
        builder.UseSetting("Storage:Provider", "PostgreSql");
        builder.UseSetting("Storage:ConnectionString", _postgres.ConnectionString);
        builder.UseSetting("Protection:Keys:k1", Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]));
        builder.UseSetting("Protection:ActiveKeyId", "k1");
        builder.UseSetting("Protection:FingerprintKey", Convert.ToBase64String([.. Enumerable.Range(101, 32).Select(i => (byte)i)]));
    }
}

/// <summary>
/// DELETE /v1/subjects/{id}/biometrics racing a commit that stores something biometric for the subject (the pipeline's
/// verified decision, a reviewer's approval), in both orders, forced with the <see cref="SubjectLockGate"/>. An erasure
/// asked while the writer holds the subject's lock and has checked the consent (paused just before its save) waits for
/// that commit, then erases what it stored and revokes the badge it announced. A writer that reaches the lock while the
/// erasure holds it waits, then finds the consent withdrawn and stores nothing. Either way no template (held or not),
/// fingerprint, case or image of the subject is left, and no badge stands unrevoked.
/// </summary>
public abstract class ErasureRaceTests(InterleavingService service)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private SubjectLockGate Gate => service.Gate;

    [Fact]
    public async Task An_erasure_asked_while_a_decision_holds_the_lock_waits_for_its_commit_then_erases_what_it_stored()
    {
        string subject = NewSubject();
        var save = Gate.PauseBeforeSave(SubjectLockHolder.Decision, subject);
        using var client = service.Client("client");
        var (id, _) = await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications",
            EmbeddedService.Submission(subject, service.CleanDocument.Document, CleanDocuments.HolderSelfie(service.CleanDocument)));
        await save.Reached.WaitAsync(Patience);

        var erase = client.DeleteAsync($"/v1/subjects/{subject}/biometrics");
        await AssertErasureWaitsForAsync(save, erase);

        await AssertErasedWhatWasStoredAsync(erase);
        var decided = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("verified", decided.GetProperty("status").GetString());
        await AssertNothingLeftAsync(id, subject);
        await AssertBadgeRevokedAfterItWasAnnouncedAsync(id, subject);
    }

    [Fact]
    public async Task A_decision_committing_while_the_erasure_is_mid_way_waits_for_it_and_leaves_nothing()
    {
        string subject = NewSubject();
        var commit = Gate.PauseBeforeCommit(SubjectLockHolder.Decision, subject);
        var erasure = Gate.PauseAfterLock(SubjectLockHolder.Erasure, subject);
        using var client = service.Client("client");
        var (id, _) = await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications",
            EmbeddedService.Submission(subject, service.CleanDocument.Document, CleanDocuments.HolderSelfie(service.CleanDocument)));
        await commit.Reached.WaitAsync(Patience);

        var erase = client.DeleteAsync($"/v1/subjects/{subject}/biometrics");
        await erasure.Reached.WaitAsync(Patience);
        commit.Release();
        await AssertWaitsForErasureAsync(SubjectLockHolder.Decision, subject, erasure);

        using (var erased = await erase)
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        await AssertRejectedForWithdrawalAsync(client, id);
        await AssertNothingLeftAsync(id, subject);
        AssertNeverAnnounced(id, subject);
    }

    [Fact]
    public async Task An_erasure_asked_while_an_approval_holds_the_lock_waits_for_its_commit_then_erases_what_it_stored()
    {
        var (id, subject) = await SubmitCaseAsync();
        var reviewer = await ClaimAsync(id);
        var save = Gate.PauseBeforeSave(SubjectLockHolder.Review, subject);
        var decide = Approve(reviewer, id);
        await save.Reached.WaitAsync(Patience);

        using var client = service.Client("client");
        var erase = client.DeleteAsync($"/v1/subjects/{subject}/biometrics");
        await AssertErasureWaitsForAsync(save, erase);

        using (var decided = await decide)
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        await AssertErasedWhatWasStoredAsync(erase);
        await AssertNothingLeftAsync(id, subject);
        await AssertBadgeRevokedAfterItWasAnnouncedAsync(id, subject);
    }

    [Fact]
    public async Task An_approval_committing_while_the_erasure_is_mid_way_waits_for_it_and_leaves_nothing()
    {
        var (id, subject) = await SubmitCaseAsync();
        var erasure = Gate.PauseAfterLock(SubjectLockHolder.Erasure, subject);
        var (approval, decide) = await ApproveHeldBeforeCommitAsync(id, subject);

        using var client = service.Client("client");
        var erase = client.DeleteAsync($"/v1/subjects/{subject}/biometrics");
        await erasure.Reached.WaitAsync(Patience);
        approval.Release();
        await AssertWaitsForErasureAsync(SubjectLockHolder.Review, subject, erasure);

        using (var erased = await erase)
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        using (var decided = await decide)
        {
            Assert.Equal(HttpStatusCode.NotFound, decided.StatusCode);
        }

        await AssertNothingLeftAsync(id, subject);
        AssertNeverAnnounced(id, subject);
    }

    [Fact]
    public async Task An_erasure_asked_while_a_give_up_holds_the_lock_waits_for_its_commit_then_deletes_the_case_it_opened()
    {
        string subject = NewSubject();
        var id = await AddProcessingAsync(subject);
        var save = Gate.PauseBeforeSave(SubjectLockHolder.Decision, subject);
        // The worker's own give-up after its last retry (no lease check): processing_failed, with a review case.
        var giveUp = service.Services.GetRequiredService<VerificationAbandonment>().GiveUpAsync(id, leaseExpiredBy: null, CancellationToken.None);
        await save.Reached.WaitAsync(Patience);

        using var client = service.Client("client");
        var erase = client.DeleteAsync($"/v1/subjects/{subject}/biometrics");
        await AssertErasureWaitsForAsync(save, erase);
        using (var erased = await erase)
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        Assert.Equal(ProcessOutcome.Decided, await giveUp.WaitAsync(Patience));
        await using var db = service.Database();
        var verification = await db.Verifications.SingleAsync(v => v.Id == id);
        Assert.Equal((VerificationState.NeedsReview, true), (verification.State, verification.Reasons.Contains("processing_failed")));
        Assert.False(await db.ReviewCases.AnyAsync(c => c.Id == id), "the erasure that waited deleted the case the give-up opened");
    }

    /// <summary>A consent and a verification of <paramref name="subject"/> (client platform) processing under a lease an hour ahead.</summary>
    private async Task<Guid> AddProcessingAsync(string subject)
    {
        await using var db = service.Database();
        var now = DateTime.UtcNow;
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = subject, ClientId = "platform", BiometricProcessing = true, TemplateStorage = true, PolicyVersion = "2026-11", GrantedAt = now,
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = "platform", SubjectId = subject, ConsentId = consent.Id, State = VerificationState.Processing,
            CreatedAt = now, UpdatedAt = now, LeaseExpiresAt = now.AddHours(1),
        };
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        await db.SaveChangesAsync();
        return verification.Id;
    }

    private static string NewSubject() => $"race-{Guid.NewGuid():N}"[..24];

    /// <summary>
    /// The released writer cannot take the lock the paused erasure holds (a writer that did not wait would have taken it
    /// at once); once the erasure goes on, it does.
    /// </summary>
    private async Task AssertWaitsForErasureAsync(SubjectLockHolder holder, string subject, PausePoint erasure)
    {
        var locked = Gate.Locked(holder, subject);
        Assert.NotSame(locked, await Task.WhenAny(locked, Task.Delay(TimeSpan.FromSeconds(1))));
        erasure.Release();
        await locked.WaitAsync(Patience);
    }

    private async Task AssertRejectedForWithdrawalAsync(HttpClient client, Guid id)
    {
        var decided = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("rejected", decided.GetProperty("status").GetString());
        Assert.Equal([DecisionReasons.ConsentWithdrawn], decided.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    /// <summary>
    /// The erasure, asked while the writer paused before its save (its lock, when it takes one, held and its consent
    /// checked), is still waiting a second later and has not taken its lock (an erasure that did not wait answers in
    /// milliseconds); released, the writer commits and the erasure goes on.
    /// </summary>
    private async Task AssertErasureWaitsForAsync(PausePoint writer, Task<HttpResponseMessage> erase)
    {
        Assert.NotSame(erase, await Task.WhenAny(erase, Task.Delay(TimeSpan.FromSeconds(1))));
        writer.Release();
        await erase.WaitAsync(Patience);
    }

    /// <summary>The erasure's 200 reports what the writer committed before it: a template, a fingerprint and a badge it revoked.</summary>
    private static async Task AssertErasedWhatWasStoredAsync(Task<HttpResponseMessage> erase)
    {
        using var erased = await erase;
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var report = await erased.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(report.GetProperty("templates").GetInt32() >= 1, "the erasure removed the committed template");
        Assert.True(report.GetProperty("fingerprints").GetInt32() >= 1, "the erasure removed the committed fingerprint");
        Assert.True(report.GetProperty("badge_revoked").GetBoolean(), "the erasure revoked the committed badge");
    }

    /// <summary>No IdentityVerified of the verification or the subject was ever written: the writer stored nothing.</summary>
    private void AssertNeverAnnounced(Guid id, string subject)
    {
        Assert.DoesNotContain(service.Events.OfType<IdentityVerified>(), e => e.VerificationId == id || e.SubjectId == subject);
    }

    /// <summary>
    /// The badge the writer announced (IdentityVerified in the outbox) is revoked for consent withdrawn, in its client:
    /// no badge is left standing. (The writer's own settling may revoke it once more when it sees the erasure; harmless.)
    /// </summary>
    private async Task AssertBadgeRevokedAfterItWasAnnouncedAsync(Guid id, string subject)
    {
        await using var db = service.Database();
        string identityVerified = typeof(IdentityVerified).FullName!;
        string badgeRevoked = typeof(BadgeRevoked).FullName!;
        var announced = await db.Outbox.Where(m => m.MessageType == identityVerified && m.Payload.Contains(id.ToString())).Select(m => m.Payload).ToListAsync();
        var badge = JsonSerializer.Deserialize<IdentityVerified>(Assert.Single(announced), JsonSerializerOptions.Web)!;
        var revoked = (await db.Outbox.Where(m => m.MessageType == badgeRevoked && m.Payload.Contains(subject)).Select(m => m.Payload).ToListAsync())
            .Select(payload => JsonSerializer.Deserialize<BadgeRevoked>(payload, JsonSerializerOptions.Web)!).ToList();
        Assert.NotEmpty(revoked);
        Assert.All(revoked, r => Assert.Equal((badge.ClientId, subject, SubjectEraser.ConsentWithdrawn), (r.ClientId, r.SubjectId, r.Reason)));
    }

    /// <summary>No template (held or not), fingerprint, case or image of the verification or the subject.</summary>
    private async Task AssertNothingLeftAsync(Guid id, string subject)
    {
        // The images go just after the loser's commit, which a client can see decided a moment before.
        Assert.True(await service.EventuallyAsync(db => db.Blobs.AllAsync(b => b.VerificationId != id && b.SubjectId != subject)), "no image is left");
        await using var db = service.Database();
        Assert.False(await db.FaceTemplates.AnyAsync(t => t.VerificationId == id || t.SubjectId == subject));
        Assert.False(await db.DocumentFingerprints.AnyAsync(f => f.VerificationId == id || f.SubjectId == subject));
        Assert.False(await db.ReviewCases.AnyAsync(c => c.Id == id));
        Assert.False(await db.Blobs.AnyAsync(b => b.Kind == BlobKind.DocumentPortrait && b.VerificationId == id));
    }

    /// <summary>The clean passport with a stranger's selfie: the real pipeline sends it to review with a held template and a portrait.</summary>
    private async Task<(Guid Id, string Subject)> SubmitCaseAsync()
    {
        string subject = NewSubject();
        using var client = service.Client("client");
        var (id, _) = await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications",
            EmbeddedService.Submission(subject, service.CleanDocument.Document, CleanDocuments.StrangerSelfie(service.CleanDocument)));
        var decided = await service.WaitForDecisionAsync(client, id);
        Assert.Equal("needs_review", decided.GetProperty("status").GetString());
        await using var db = service.Database();
        Assert.True(await db.FaceTemplates.AnyAsync(t => t.VerificationId == id && t.HeldForReview), "the case holds a template to approve");
        return (id, subject);
    }

    /// <summary>A reviewer claims the case and approves it; the approval is held just before its commit (returned with the request).</summary>
    private async Task<(PausePoint Approval, Task<HttpResponseMessage> Decide)> ApproveHeldBeforeCommitAsync(Guid id, string subject)
    {
        var reviewer = await ClaimAsync(id);
        var approval = Gate.PauseBeforeCommit(SubjectLockHolder.Review, subject);
        var decide = Approve(reviewer, id);
        await approval.Reached.WaitAsync(Patience);
        return (approval, decide);
    }

    /// <summary>A reviewer's client that has claimed the case.</summary>
    private async Task<HttpClient> ClaimAsync(Guid id)
    {
        var reviewer = service.Client("reviewer");
        using var claim = await reviewer.PostAsync($"/v1/reviews/{id}/claim", null);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        return reviewer;
    }

    private static Task<HttpResponseMessage> Approve(HttpClient reviewer, Guid id) =>
        reviewer.PostAsJsonAsync($"/v1/reviews/{id}/decision", new { decision = "approve", reason = "identity_confirmed" });
}

[CollectionDefinition(Name)]
public sealed class InterleavingServiceCollection : ICollectionFixture<InterleavingService>
{
    public const string Name = "interleaving service";
}

/// <summary>
/// Embedded mode: SQLite, where the subject lock's first write holds the database's one write lock. The writers'
/// transactions begin IMMEDIATE, which takes that lock already: here the erasure-second races fail when a writer's
/// transaction stops holding the write lock, not when the lock statement alone goes (PostgreSQL's variant covers that).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(InterleavingServiceCollection.Name)]
public sealed class SqliteErasureRaceTests(InterleavingService service) : ErasureRaceTests(service);

/// <summary>PostgreSQL, where the subject lock is the row lock of the subject's row.</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
public sealed class PostgreSqlErasureRaceTests(PostgreSqlInterleavingService service) : ErasureRaceTests(service), IClassFixture<PostgreSqlInterleavingService>;
