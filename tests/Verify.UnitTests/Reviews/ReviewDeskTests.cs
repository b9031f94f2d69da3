using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Data.Entities;
using Verify.Pipeline.Reviews;
using Verify.Pipeline.Verification;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Reviews;

/// <summary>Claims: one reviewer at a time, until the claim lapses; and a decision only by the holder, once.</summary>
public sealed class ReviewDeskTests : IAsyncLifetime
{
    private SqliteTestStore _store = null!;
    private ServiceProvider _meters = null!;
    private ReviewDesk _desk = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTestStore.CreateAsync();
        _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new ReviewTelemetry(_meters.GetRequiredService<IMeterFactory>(), _store, _store.Time);
        _desk = new ReviewDesk(_store.Blobs, new EvidenceDisposal(_store.Blobs, _store.Time), telemetry, Options.Create(new ReviewOptions()), Options.Create(new VerificationOptions()), _store.Time);
    }

    public async Task DisposeAsync()
    {
        await _meters.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Of_two_reviewers_claiming_at_once_exactly_one_holds_the_case()
    {
        var id = await OpenCaseAsync();

        var claims = await Task.WhenAll(ClaimAsync(id, "reviewer-a"), ClaimAsync(id, "reviewer-b"));

        Assert.Single(claims, c => c.Access == CaseAccess.Held);
        Assert.Single(claims, c => c.Access == CaseAccess.HeldByOther);
    }

    [Fact]
    public async Task A_lapsed_claim_frees_the_case_for_another_reviewer_and_the_first_can_no_longer_decide()
    {
        var id = await OpenCaseAsync();
        Assert.Equal(CaseAccess.Held, (await ClaimAsync(id, "reviewer-a")).Access);
        Assert.Equal(CaseAccess.HeldByOther, (await ClaimAsync(id, "reviewer-b")).Access);

        _store.Time.Now += new ReviewOptions().ClaimDuration + TimeSpan.FromSeconds(1);

        Assert.Equal(CaseAccess.Held, (await ClaimAsync(id, "reviewer-b")).Access);
        await using var db = _store.CreateDbContext();
        var late = await _desk.DecideAsync(db, id, "reviewer-a", new ReviewVerdict(false, "other", null));
        Assert.Equal(VerdictStatus.ClaimRequired, late.Status);
    }

    [Fact]
    public async Task A_case_is_decided_once_and_the_claims_are_audited_under_the_reviewers_key()
    {
        var id = await OpenCaseAsync();
        await ClaimAsync(id, "reviewer-a");

        await using (var db = _store.CreateDbContext())
        {
            Assert.Equal(VerdictStatus.UnknownReason, (await _desk.DecideAsync(db, id, "reviewer-a", new ReviewVerdict(true, "face_mismatch", null))).Status);
            var decided = await _desk.DecideAsync(db, id, "reviewer-a", new ReviewVerdict(false, "document_fraudulent", "Edited date of birth."));
            Assert.Equal((VerdictStatus.Decided, VerificationState.Rejected), (decided.Status, decided.State));
        }

        await using var check = _store.CreateDbContext();
        Assert.Equal(CaseAccess.Decided, (await ClaimAsync(id, "reviewer-b")).Access);
        var verification = await check.Verifications.SingleAsync(v => v.Id == id);
        Assert.Equal((VerificationState.Rejected, "review:document_fraudulent"), (verification.State, Assert.Single(verification.Reasons)));
        Assert.Equal(["review.claimed", "verification.rejected", "review.rejected"],
            await check.AuditEvents.Where(a => a.Actor == "reviewer-a").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Approving_needs_the_evidence_still_kept()
    {
        var kept = await OpenCaseAsync();
        var expired = await OpenCaseAsync("subject-2");
        await using (var db = _store.CreateDbContext())
        {
            foreach (var id in new[] { kept, expired })
            {
                await _store.Blobs.AddAsync(db, "subject-1", id, BlobKind.Selfie, new byte[] { 1 });
            }

            await db.SaveChangesAsync();
            var past = _store.Now.AddSeconds(-1);
            await db.Blobs.Where(b => b.VerificationId == expired).ExecuteUpdateAsync(set => set.SetProperty(b => b.ExpiresAt, past));
        }

        await ClaimAsync(kept, "reviewer-a");
        await ClaimAsync(expired, "reviewer-a");
        await using var decide = _store.CreateDbContext();
        var approve = new ReviewVerdict(true, "identity_confirmed", null);

        Assert.Equal(VerdictStatus.CannotApprove, (await _desk.DecideAsync(decide, expired, "reviewer-a", approve)).Status);
        var approved = await _desk.DecideAsync(decide, kept, "reviewer-a", approve);
        Assert.Equal((VerdictStatus.Decided, VerificationState.Verified), (approved.Status, approved.State));
        Assert.False(await decide.Blobs.AnyAsync(b => b.VerificationId == kept));
        Assert.Contains(typeof(Verify.Contracts.IdentityVerified).FullName!, await decide.Outbox.Select(m => m.MessageType).ToListAsync());
    }

    [Fact]
    public async Task A_decision_prepared_before_the_claim_lapsed_does_not_overwrite_the_next_reviewers()
    {
        var id = await OpenCaseAsync();
        await ClaimAsync(id, "reviewer-a");
        // Reviewer A's unit of work reads the case while A holds it...
        await using var late = _store.CreateDbContext();
        var stale = await late.ReviewCases.SingleAsync(c => c.Id == id);

        // ...then the claim lapses, B claims and decides.
        _store.Time.Now += new ReviewOptions().ClaimDuration + TimeSpan.FromSeconds(1);
        await ClaimAsync(id, "reviewer-b");
        await using (var db = _store.CreateDbContext())
        {
            Assert.Equal(VerdictStatus.Decided, (await _desk.DecideAsync(db, id, "reviewer-b", new ReviewVerdict(false, "other", null))).Status);
        }

        stale.Outcome = "approved";
        stale.DecidedBy = "reviewer-a";
        stale.DecidedAt = _store.Now;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => late.SaveChangesAsync());
        await using var check = _store.CreateDbContext();
        Assert.Equal("reviewer-b", (await check.ReviewCases.SingleAsync(c => c.Id == id)).DecidedBy);
    }

    [Fact]
    public async Task An_approval_whose_document_another_approval_stored_first_is_still_decided()
    {
        byte[] fingerprint = _store.Fingerprinter.Fingerprint("DEU", "C01X00T47");
        var id = await OpenCaseAsync(fingerprint: fingerprint);
        await using (var db = _store.CreateDbContext())
        {
            await _store.Blobs.AddAsync(db, "subject-1", id, BlobKind.Selfie, new byte[] { 1 });
            await db.SaveChangesAsync();
        }

        await ClaimAsync(id, "reviewer-a");
        // Another reviewer's approval of the same document (another subject of the same client) commits just before this
        // approval's transaction begins, after the case was read. (Inside it nothing else commits on SQLite, one writer
        // at a time under the subject lock; the retry for a commit landing between check and save is PostgreSQL's.)
        var other = await _store.AddVerificationAsync("subject-2", state: VerificationState.Verified);
        var interleave = new BeforeFirstTransaction(async () =>
        {
            await using var db = _store.CreateDbContext();
            db.DocumentFingerprints.Add(new DocumentFingerprint
            {
                Id = Guid.NewGuid(), SubjectId = "subject-2", ClientId = other.ClientId, VerificationId = other.Id,
                KeyId = _store.Fingerprinter.KeyId, Value = fingerprint, CreatedAt = _store.Now,
            });
            await db.SaveChangesAsync();
        });

        await using (var db = _store.CreateDbContext(interleave))
        {
            var approved = await _desk.DecideAsync(db, id, "reviewer-a", new ReviewVerdict(true, "identity_confirmed", null));
            Assert.Equal((VerdictStatus.Decided, VerificationState.Verified), (approved.Status, approved.State));
        }

        await using var check = _store.CreateDbContext();
        Assert.Equal("subject-2", (await check.DocumentFingerprints.SingleAsync()).SubjectId);
        Assert.Equal(VerificationState.Verified, (await check.Verifications.SingleAsync(v => v.Id == id)).State);
    }

    private async Task<CaseLookup> ClaimAsync(Guid id, string reviewer)
    {
        await using var db = _store.CreateDbContext();
        return await _desk.ClaimAsync(db, id, reviewer);
    }

    private async Task<Guid> OpenCaseAsync(string subjectId = "subject-1", byte[]? fingerprint = null)
    {
        var verification = await _store.AddVerificationAsync(subjectId, state: VerificationState.NeedsReview);
        await using var db = _store.CreateDbContext();
        db.ReviewCases.Add(new ReviewCase
        {
            Id = verification.Id, Kind = ReviewCaseKind.Verification, ClientId = verification.ClientId, SubjectId = verification.SubjectId,
            Reasons = [DecisionReasons.FaceMatchUncertain], OpenedAt = _store.Now, AssuranceLevel = AssuranceLevels.DocumentFaceAndLiveness,
            BadgeExpiresAt = _store.Now.AddDays(365), Fingerprint = fingerprint, FingerprintKeyId = fingerprint is null ? null : _store.Fingerprinter.KeyId,
        });
        await db.SaveChangesAsync();
        return verification.Id;
    }

    /// <summary>Runs an action once, just before the first transaction of the context it is added to begins.</summary>
    private sealed class BeforeFirstTransaction(Func<Task> action) : DbTransactionInterceptor
    {
        private bool _done;

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
            TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (!_done)
            {
                _done = true;
                await action();
            }

            return result;
        }
    }
}
