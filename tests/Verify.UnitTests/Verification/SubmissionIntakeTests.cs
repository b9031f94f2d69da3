using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data.Access;
using Verify.Data.Audit;
using Verify.Data.Entities;
using Verify.Pipeline.Liveness;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Submissions;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Verification;

/// <summary>The submission use case without HTTP or models: consent, idempotency, the challenge, encrypted images, the command.</summary>
public sealed class SubmissionIntakeTests : IAsyncLifetime
{
    private static readonly ApiCaller ClientA = new("key-a", "client-a", ApiRole.Client);
    private static readonly ApiCaller ClientB = new("key-b", "client-b", ApiRole.Client);

    private SqliteTestStore _store = null!;
    private ServiceProvider _metrics = null!;
    private SubmissionIntake _intake = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTestStore.CreateAsync();
        _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new PipelineTelemetry(_metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), _store);
        _intake = new SubmissionIntake(_store, _store.Blobs, telemetry, _store.Time);
    }

    public async Task DisposeAsync()
    {
        await _metrics.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_submission_is_recorded_queued_with_its_consent_encrypted_images_command_and_audit()
    {
        var outcome = Assert.IsType<SubmissionAccepted>(await _intake.SubmitAsync(ClientA, null, Submission(), CancellationToken.None));

        Assert.Equal((VerificationState.Queued, false), (outcome.State, outcome.Replayed));
        await using var db = _store.CreateDbContext();
        var verification = await db.Verifications.SingleAsync();
        Assert.Equal((outcome.VerificationId, "client-a", "subject-7", VerificationState.Queued),
            (verification.Id, verification.ClientId, verification.SubjectId, verification.State));
        var consent = await db.Consents.SingleAsync(c => c.Id == verification.ConsentId);
        Assert.True(consent.BiometricProcessing);
        Assert.Equal((true, "2026-11", _store.Now), (consent.TemplateStorage, consent.PolicyVersion, consent.GrantedAt));
        var blobs = await db.Blobs.OrderBy(b => b.Kind).ToListAsync();
        Assert.Equal([BlobKind.DocumentFront, BlobKind.Selfie], blobs.Select(b => b.Kind));
        Assert.DoesNotContain(blobs, b => b.Content is null || b.Content.AsSpan().IndexOf(Image) >= 0);
        Assert.Equal(Image, await _store.Blobs.ReadAsync(db, blobs[1].Id));
        var command = await db.Outbox.SingleAsync();
        Assert.Equal(typeof(VerifyIdentity).FullName, command.MessageType);
        Assert.Equal(outcome.VerificationId, JsonSerializer.Deserialize<VerifyIdentity>(command.Payload, JsonSerializerOptions.Web)!.VerificationId);
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal(("key-a", "client-a", "verification.submitted", outcome.VerificationId), (audit.Actor, audit.ClientId, audit.Action, audit.VerificationId));
        Assert.Equal("subject-7", audit.SubjectId);
        Assert.True(AuditSubjects.Matches(audit) && audit.SubjectDigest is not null, "the row is linked to its subject by a salted digest as it is saved");
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_content_answers_as_the_first_time_and_stores_nothing_more()
    {
        var first = Assert.IsType<SubmissionAccepted>(await _intake.SubmitAsync(ClientA, "key-1", Submission(), CancellationToken.None));

        var again = Assert.IsType<SubmissionAccepted>(await _intake.SubmitAsync(ClientA, "key-1", Submission(), CancellationToken.None));

        Assert.Equal((first.VerificationId, true), (again.VerificationId, again.Replayed));
        await using var db = _store.CreateDbContext();
        Assert.Equal(1, await db.Verifications.CountAsync());
        Assert.Equal(2, await db.Blobs.CountAsync());
    }

    [Fact]
    public async Task A_key_reused_for_other_content_is_refused()
    {
        await _intake.SubmitAsync(ClientA, "key-1", Submission(), CancellationToken.None);

        var outcome = await _intake.SubmitAsync(ClientA, "key-1", Submission(policyVersion: "2026-12"), CancellationToken.None);

        Assert.Equal(new SubmissionRefused(SubmissionRefusal.IdempotencyKeyReused), outcome);
    }

    [Fact]
    public async Task Another_clients_key_is_its_own()
    {
        await _intake.SubmitAsync(ClientA, "key-1", Submission(), CancellationToken.None);

        Assert.False(Assert.IsType<SubmissionAccepted>(await _intake.SubmitAsync(ClientB, "key-1", Submission(), CancellationToken.None)).Replayed);
    }

    [Fact]
    public async Task A_liveness_challenge_is_claimed_once_by_its_own_client_before_it_expires()
    {
        var (challenge, nonce) = await IssueChallengeAsync();

        Assert.Equal(new SubmissionRefused(SubmissionRefusal.ChallengeUnknown),
            await _intake.SubmitAsync(ClientB, null, Submission(nonce), CancellationToken.None));
        var accepted = Assert.IsType<SubmissionAccepted>(await _intake.SubmitAsync(ClientA, null, Submission(nonce), CancellationToken.None));
        Assert.Equal(new SubmissionRefused(SubmissionRefusal.ChallengeUsed),
            await _intake.SubmitAsync(ClientA, null, Submission(nonce), CancellationToken.None));

        await using var check = _store.CreateDbContext();
        Assert.Equal(challenge.Instruction, (await check.Verifications.SingleAsync(v => v.Id == accepted.VerificationId)).LivenessChallenge);
        Assert.Equal(accepted.VerificationId, (await check.LivenessChallenges.SingleAsync()).VerificationId);
        Assert.Equal(1, await check.Verifications.CountAsync());
    }

    [Fact]
    public async Task An_expired_challenge_is_refused_and_nothing_is_stored()
    {
        var (_, nonce) = await IssueChallengeAsync();

        _store.Time.Now += new LivenessOptions().ChallengeLifetime;

        Assert.Equal(new SubmissionRefused(SubmissionRefusal.ChallengeExpired),
            await _intake.SubmitAsync(ClientA, null, Submission(nonce), CancellationToken.None));
        await using var check = _store.CreateDbContext();
        Assert.False(await check.Verifications.AnyAsync());
        Assert.False(await check.Blobs.AnyAsync());
    }

    private async Task<(LivenessChallenge Challenge, string Nonce)> IssueChallengeAsync()
    {
        var issued = new LivenessChallenges(Options.Create(new LivenessOptions()), _store.Time).Issue("client-a");
        await using var db = _store.CreateDbContext();
        db.LivenessChallenges.Add(issued.Challenge);
        await db.SaveChangesAsync();
        return issued;
    }

    private static readonly byte[] Image = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8];

    private static Submission Submission(string? nonce = null, string policyVersion = "2026-11") =>
        new("subject-7", TemplateStorage: true, policyVersion,
            [new SubmittedImage(BlobKind.DocumentFront, 0, Image), new SubmittedImage(BlobKind.Selfie, 0, Image)], nonce);
}
