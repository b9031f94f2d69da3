using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Inference.Faces;
using Verify.Pipeline.Verification;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Verification;

/// <summary>How a decision is written down, without any model: state, events, audit, templates, fingerprint, badge.</summary>
public sealed class DecisionRecordingTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions OutboxJson = new(JsonSerializerDefaults.Web);
    private static readonly float[] Vector = [0.25f, -0.5f, 0.75f, 1f];
    private readonly VerificationOptions _options = new();
    private SqliteTestStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteTestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Verified_with_template_consent_keeps_an_encrypted_template_the_fingerprint_and_grants_the_badge()
    {
        var verification = await _store.AddVerificationAsync();
        byte[] fingerprint = _store.Fingerprinter.Fingerprint("DEU", "C01X00T47");

        await RecordAsync(verification.Id, Verified, Run(fingerprint, documentExpiry: null), templateStorage: true);

        await using var db = _store.CreateDbContext();
        var template = await db.FaceTemplates.SingleAsync(t => t.VerificationId == verification.Id);
        Assert.Equal(("fr-feature", "fr-feature@1"), (template.ModelId, template.ModelVersion));
        Assert.Equal(_store.Now + _options.TemplateRetention, template.ExpiresAt);
        var plaintext = _store.Protector.Unprotect(template.Ciphertext, FaceTemplates.Purpose(template.Id));
        Assert.Equal(Vector, MemoryMarshal.Cast<byte, float>(plaintext).ToArray());
        var stored = await db.DocumentFingerprints.SingleAsync();
        Assert.Equal((verification.ClientId, verification.SubjectId, _store.Fingerprinter.KeyId), (stored.ClientId, stored.SubjectId, stored.KeyId));
        Assert.Equal(fingerprint, stored.Value);
        var badge = await EventAsync<IdentityVerified>(db);
        Assert.Equal(AssuranceLevels.DocumentFaceAndLiveness, badge.AssuranceLevel);
        Assert.Equal(_store.Time.Now + _options.BadgeValidity, badge.ExpiresAt);
        var completed = await EventAsync<VerificationCompleted>(db);
        Assert.Equal((VerificationStatus.Verified, verification.ClientId), (completed.Status, completed.ClientId));
        var record = await db.Verifications.SingleAsync(v => v.Id == verification.Id);
        Assert.Equal(VerificationState.Verified, record.State);
        Assert.Equal(_store.Now, record.CompletedAt);
        Assert.Contains("\"face_match_score\":0.91", record.ResultJson, StringComparison.Ordinal);
        Assert.Equal(["verification.verified"], await AuditActionsAsync(db));
    }

    [Fact]
    public async Task Verified_without_template_consent_keeps_no_template()
    {
        var verification = await _store.AddVerificationAsync(templateStorage: false);

        await RecordAsync(verification.Id, Verified, Run(fingerprint: null, documentExpiry: null), templateStorage: false);

        await using var db = _store.CreateDbContext();
        Assert.False(await db.FaceTemplates.AnyAsync());
        Assert.False(await db.DocumentFingerprints.AnyAsync());
        Assert.Equal(2, await db.Outbox.CountAsync());
    }

    [Fact]
    public async Task A_badge_lapses_with_the_document_when_the_document_expires_first()
    {
        var verification = await _store.AddVerificationAsync();
        var expiry = DateOnly.FromDateTime(_store.Now).AddMonths(2);

        await RecordAsync(verification.Id, Verified, Run(fingerprint: null, expiry), templateStorage: true);

        await using var db = _store.CreateDbContext();
        Assert.Equal(new DateTimeOffset(expiry.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), (await EventAsync<IdentityVerified>(db)).ExpiresAt);
    }

    [Fact]
    public async Task A_rejection_keeps_nothing_biometric_grants_no_badge_and_opens_no_case()
    {
        var verification = await _store.AddVerificationAsync();
        var decision = new Decision(VerificationState.Rejected, [DecisionReasons.FaceMismatch]);

        await RecordAsync(verification.Id, decision, Run(_store.Fingerprinter.Fingerprint("DEU", "C01X00T47"), null), templateStorage: true);

        await using var db = _store.CreateDbContext();
        Assert.False(await db.FaceTemplates.AnyAsync());
        Assert.False(await db.DocumentFingerprints.AnyAsync());
        Assert.False(await db.ReviewCases.AnyAsync());
        Assert.Equal([typeof(VerificationCompleted).FullName!], await db.Outbox.Select(m => m.MessageType).ToListAsync());
        var completed = await EventAsync<VerificationCompleted>(db);
        Assert.Equal([DecisionReasons.FaceMismatch], completed.Reasons);
        Assert.Equal(["verification.rejected"], await AuditActionsAsync(db));
        Assert.Equal(VerificationState.Rejected, (await db.Verifications.SingleAsync()).State);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_case_sent_to_review_holds_what_approving_needs_and_grants_nothing_yet(bool templateStorage)
    {
        var verification = await _store.AddVerificationAsync();
        var decision = new Decision(VerificationState.NeedsReview, [DecisionReasons.FaceMatchUncertain]);
        byte[] fingerprint = _store.Fingerprinter.Fingerprint("DEU", "C01X00T47");
        var expiry = DateOnly.FromDateTime(_store.Now).AddMonths(2);

        await RecordAsync(verification.Id, decision, Run(fingerprint, expiry), templateStorage);

        await using var db = _store.CreateDbContext();
        // The template waits, marked held (never searched), until the review window closes; only with consent.
        var held = await db.FaceTemplates.ToListAsync();
        Assert.Equal(templateStorage ? 1 : 0, held.Count);
        Assert.All(held, t => Assert.Equal((true, _store.Now + _store.BlobOptions.ReviewWindow), (t.HeldForReview, t.ExpiresAt)));
        Assert.False(await db.DocumentFingerprints.AnyAsync());
        Assert.Equal([typeof(VerificationCompleted).FullName!], await db.Outbox.Select(m => m.MessageType).ToListAsync());
        var opened = await db.ReviewCases.SingleAsync();
        Assert.Equal((verification.Id, ReviewCaseKind.Verification, _store.Now), (opened.Id, opened.Kind, opened.OpenedAt));
        Assert.Equal([DecisionReasons.FaceMatchUncertain], opened.Reasons);
        Assert.Equal(AssuranceLevels.DocumentFaceAndLiveness, opened.AssuranceLevel);
        Assert.Equal(expiry.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), opened.BadgeExpiresAt);
        Assert.Equal(_store.Fingerprinter.KeyId, opened.FingerprintKeyId);
        Assert.Equal(fingerprint, opened.Fingerprint);
        Assert.Null(opened.ClaimedBy);
        Assert.Equal(["verification.needs_review"], await AuditActionsAsync(db));
    }

    [Fact]
    public async Task A_case_the_pipeline_gave_up_on_opens_with_nothing_to_approve_on()
    {
        var verification = await _store.AddVerificationAsync();

        await using (var db = _store.CreateDbContext())
        {
            var tracked = await db.Verifications.SingleAsync(v => v.Id == verification.Id);
            DecisionRecorder.Record(db, tracked, new Decision(VerificationState.NeedsReview, [DecisionReasons.ProcessingFailed]), null, _store.Now);
            await db.SaveChangesAsync();
        }

        await using var check = _store.CreateDbContext();
        var opened = await check.ReviewCases.SingleAsync();
        Assert.Equal([DecisionReasons.ProcessingFailed], opened.Reasons);
        Assert.Null(opened.AssuranceLevel);
        Assert.Null(opened.Fingerprint);
    }

    [Fact]
    public async Task Consent_withdrawn_while_the_stages_ran_rejects_whatever_they_found()
    {
        var verification = await _store.AddVerificationAsync();
        await WithdrawAsync(verification);

        var decision = (await SafeguardAsync(verification, Run(_store.Fingerprinter.Fingerprint("DEU", "C01X00T47"), null))).Decision;

        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal([DecisionReasons.ConsentWithdrawn], decision.Reasons);
    }

    [Fact]
    public async Task Giving_up_sends_the_case_to_review_unless_consent_was_withdrawn()
    {
        var kept = await _store.AddVerificationAsync();
        var withdrawn = await _store.AddVerificationAsync("subject-2");
        await WithdrawAsync(withdrawn);

        await using var db = _store.CreateDbContext();
        var review = await DecisionSafeguards.GiveUpAsync(db, kept, CancellationToken.None);
        var rejected = await DecisionSafeguards.GiveUpAsync(db, withdrawn, CancellationToken.None);

        Assert.Equal((VerificationState.NeedsReview, DecisionReasons.ProcessingFailed), (review.State, Assert.Single(review.Reasons)));
        Assert.Equal((VerificationState.Rejected, DecisionReasons.ConsentWithdrawn), (rejected.State, Assert.Single(rejected.Reasons)));
    }

    [Fact]
    public async Task A_case_for_review_keeps_its_images_for_the_review_window()
    {
        var verification = await _store.AddVerificationAsync(state: VerificationState.NeedsReview);
        await AddImageAsync(verification);

        await SettleAsync(verification.Id);

        await using var db = _store.CreateDbContext();
        Assert.Equal(_store.Now + _store.BlobOptions.ReviewWindow, (await db.Blobs.SingleAsync()).ExpiresAt);
        Assert.Null((await db.Verifications.SingleAsync()).ImagesDeletedAt);
    }

    [Theory]
    [InlineData(VerificationState.Verified)]
    [InlineData(VerificationState.Rejected)]
    public async Task A_final_decision_deletes_the_images_at_once(VerificationState state)
    {
        var verification = await _store.AddVerificationAsync(state: state);
        await AddImageAsync(verification);

        await SettleAsync(verification.Id);

        await using var db = _store.CreateDbContext();
        Assert.False(await db.Blobs.AnyAsync());
        Assert.Equal(_store.Now, (await db.Verifications.SingleAsync()).ImagesDeletedAt);
    }

    [Fact]
    public async Task A_badge_granted_while_an_erasure_ran_is_taken_back_with_everything_it_stored()
    {
        // The erasure withdrew consent after the last check and before the commit: the decision committed anyway.
        var verification = await _store.AddVerificationAsync();
        await AddImageAsync(verification);
        await RecordAsync(verification.Id, Verified, Run(_store.Fingerprinter.Fingerprint("DEU", "C01X00T47"), null), templateStorage: true);
        await WithdrawAsync(verification);

        await SettleAsync(verification.Id);

        await using var db = _store.CreateDbContext();
        Assert.False(await db.FaceTemplates.AnyAsync());
        Assert.False(await db.DocumentFingerprints.AnyAsync());
        Assert.False(await db.Blobs.AnyAsync());
        Assert.Equal(verification.SubjectId, (await EventAsync<BadgeRevoked>(db)).SubjectId);
    }

    [Fact]
    public async Task A_case_opened_while_an_erasure_ran_leaves_the_queue_with_its_held_template_and_images()
    {
        var verification = await _store.AddVerificationAsync();
        await AddImageAsync(verification);
        await RecordAsync(verification.Id, new Decision(VerificationState.NeedsReview, [DecisionReasons.FaceMatchUncertain]),
            Run(null, null), templateStorage: true);
        await WithdrawAsync(verification);

        await SettleAsync(verification.Id);

        await using var db = _store.CreateDbContext();
        Assert.False(await db.FaceTemplates.AnyAsync());
        Assert.False(await db.ReviewCases.AnyAsync());
        Assert.False(await db.Blobs.AnyAsync());
        Assert.False(await db.Outbox.AnyAsync(m => m.MessageType == typeof(BadgeRevoked).FullName));
    }

    [Fact]
    public async Task A_chips_files_read_back_as_its_evidence_and_none_when_one_of_them_is_gone()
    {
        var verification = await _store.AddVerificationAsync();
        await using (var db = _store.CreateDbContext())
        {
            await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.ChipDg1, new byte[] { 1 });
            await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.ChipDg2, new byte[] { 2 });
            await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.ChipSod, new byte[] { 3 });
            await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.Selfie, new byte[] { 4 });
            await db.SaveChangesAsync();
        }

        var reader = new StoredImageReader(_store.Blobs);
        await using (var db = _store.CreateDbContext())
        {
            var images = await reader.ReadAsync(db, verification.Id, CancellationToken.None);
            Assert.NotNull(images);
            Assert.Null(images.Document.Front);
            Assert.Equal([1], images.Document.Chip!.Dg1);
            Assert.Equal([2], images.Document.Chip.Dg2);
            Assert.Equal([3], images.Document.Chip.Sod);
            var past = _store.Now.AddSeconds(-1);
            await db.Blobs.Where(b => b.Kind == BlobKind.ChipSod).ExecuteUpdateAsync(set => set.SetProperty(b => b.ExpiresAt, past));
            Assert.Null(await reader.ReadAsync(db, verification.Id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Stored_images_read_back_in_order_and_none_when_one_has_expired()
    {
        var verification = await _store.AddVerificationAsync();
        await using (var db = _store.CreateDbContext())
        {
            await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.Selfie, new byte[] { 2 }, sequence: 1);
            await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.DocumentFront, new byte[] { 0 });
            await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.Selfie, new byte[] { 1 }, sequence: 0);
            await db.SaveChangesAsync();
        }

        var reader = new StoredImageReader(_store.Blobs);
        await using (var db = _store.CreateDbContext())
        {
            var images = await reader.ReadAsync(db, verification.Id, CancellationToken.None);
            Assert.NotNull(images);
            Assert.Equal([0], images.Document.Front);
            Assert.Null(images.Document.Back);
            Assert.Null(images.Document.Chip);
            Assert.Equal([[1], [2]], images.SelfieFrames);
            var past = _store.Now.AddSeconds(-1);
            await db.Blobs.Where(b => b.Kind == BlobKind.Selfie && b.Sequence == 1).ExecuteUpdateAsync(set => set.SetProperty(b => b.ExpiresAt, past));
            Assert.Null(await reader.ReadAsync(db, verification.Id, CancellationToken.None));
        }
    }

    private static Decision Verified { get; } = new(VerificationState.Verified, []);

    private static StageRun Run(byte[]? fingerprint, DateOnly? documentExpiry) =>
        new(Verified, new VerificationResult { FaceMatchScore = 0.91, FaceMatchThreshold = 0.5, FalseAcceptRate = 1e-3 },
            [new ModelEmbedding("fr-feature", new FaceEmbedding("fr-feature@1", Vector))], fingerprint, documentExpiry,
            AssuranceLevels.DocumentFaceAndLiveness);

    private async Task RecordAsync(Guid verificationId, Decision decision, StageRun run, bool templateStorage)
    {
        var recorder = new DecisionRecorder(_store.Protector, _store.Fingerprinter, Options.Create(_options), Options.Create(_store.BlobOptions));
        await using var db = _store.CreateDbContext();
        var verification = await db.Verifications.SingleAsync(v => v.Id == verificationId);
        recorder.Record(db, verification, decision, run, templateStorage, _store.Now);
        await db.SaveChangesAsync();
    }

    private async Task<StageRun> SafeguardAsync(VerificationRecord verification, StageRun run)
    {
        using var checks = await DuplicateChecks.CreateAsync(_store);
        await using var db = _store.CreateDbContext();
        return await checks.Safeguards.ApplyAsync(db, verification, run, CancellationToken.None);
    }

    private async Task SettleAsync(Guid verificationId)
    {
        await using var db = _store.CreateDbContext();
        var verification = await db.Verifications.SingleAsync(v => v.Id == verificationId);
        await new EvidenceDisposal(_store.Blobs, _store.Time).SettleAsync(db, verification, CancellationToken.None);
    }

    private async Task AddImageAsync(VerificationRecord verification)
    {
        await using var db = _store.CreateDbContext();
        await _store.Blobs.AddAsync(db, verification.SubjectId, verification.Id, BlobKind.Selfie, new byte[] { 1, 2, 3 });
        await db.SaveChangesAsync();
    }

    private async Task WithdrawAsync(VerificationRecord verification)
    {
        await using var db = _store.CreateDbContext();
        await db.Consents.Where(c => c.Id == verification.ConsentId).ExecuteUpdateAsync(set => set.SetProperty(c => c.WithdrawnAt, _store.Now));
    }

    private static async Task<T> EventAsync<T>(VerifyDbContext db)
    {
        var message = await db.Outbox.SingleAsync(m => m.MessageType == typeof(T).FullName);
        return JsonSerializer.Deserialize<T>(message.Payload, OutboxJson)!;
    }

    private static Task<List<string>> AuditActionsAsync(VerifyDbContext db) => db.AuditEvents.Select(a => a.Action).ToListAsync();
}
