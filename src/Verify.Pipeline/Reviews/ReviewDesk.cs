using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Reviews;

/// <summary>Where a reviewer stands with a case.</summary>
public enum CaseAccess
{
    /// <summary>The reviewer holds a live claim on the open case.</summary>
    Held,

    NotFound,

    /// <summary>A reviewer already decided it.</summary>
    Decided,

    /// <summary>Another reviewer's claim is live.</summary>
    HeldByOther,

    /// <summary>Open and nobody's (or the caller's claim lapsed): claim it first.</summary>
    NotClaimed,
}

/// <summary>A case and where the asking reviewer stands with it.</summary>
public sealed record CaseLookup(CaseAccess Access, ReviewCase? Case);

/// <summary>A reviewer's decision: approve (a verification: verified; a report: upheld) or not, with a reason code and an optional note.</summary>
public sealed record ReviewVerdict(bool Approve, string Reason, string? Note);

/// <summary>How a decision went.</summary>
public enum VerdictStatus
{
    Decided,
    NotFound,
    AlreadyDecided,

    /// <summary>The caller does not hold a live claim on the case.</summary>
    ClaimRequired,

    /// <summary>The pipeline never finished this verification (processing_failed), or its images are gone: nothing to approve on.</summary>
    CannotApprove,

    /// <summary>The subject withdrew consent while the case waited: it can only be rejected.</summary>
    ConsentWithdrawn,

    /// <summary>The reason code is not one for this kind of case and verdict.</summary>
    UnknownReason,
}

/// <summary>The outcome of a decision, and for a verification its final state.</summary>
public sealed record VerdictResult(VerdictStatus Status, VerificationState? State = null, DateTime? DecidedAt = null);

/// <summary>
/// The trust-and-safety desk: one reviewer at a time holds a case (a claim that lapses), and the holder decides it. A
/// decision on a verification is recorded as the pipeline records its own: the state, <see cref="VerificationCompleted"/>
/// and, when approved, <see cref="IdentityVerified"/> with the held templates (there only with the subject's consent)
/// made ordinary and the document fingerprint kept; when rejected the held templates go. Either way the evidence
/// images are deleted at once. Every claim and decision is audited under the reviewer's key id.
/// </summary>
public sealed class ReviewDesk(EncryptedBlobStore blobs, EvidenceDisposal evidence, ReviewTelemetry telemetry, IOptions<ReviewOptions> options,
    IOptions<VerificationOptions> verification, TimeProvider time)
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>Claims the case for <paramref name="reviewer"/> (or extends the caller's claim) unless another reviewer holds it.</summary>
    public async Task<CaseLookup> ClaimAsync(VerifyDbContext db, Guid caseId, string reviewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = Now;
        var until = now + options.Value.ClaimDuration;
        // One conditional update: two reviewers claiming at once cannot both win, on any provider.
        int claimed = await db.ReviewCases
            .Where(c => c.Id == caseId && c.DecidedAt == null && (c.ClaimedBy == null || c.ClaimedBy == reviewer || c.ClaimedUntil <= now))
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ClaimedBy, reviewer).SetProperty(c => c.ClaimedUntil, until), cancellationToken)
            .ConfigureAwait(false);
        if (claimed == 1)
        {
            var held = await db.ReviewCases.AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken).ConfigureAwait(false);
            Audit(db, held, reviewer, "review.claimed", now);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return new CaseLookup(CaseAccess.Held, held);
        }

        return await LookupAsync(db, caseId, reviewer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives up the caller's claim; false when the caller held none.</summary>
    public async Task<bool> ReleaseAsync(VerifyDbContext db, Guid caseId, string reviewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        int released = await db.ReviewCases.Where(c => c.Id == caseId && c.DecidedAt == null && c.ClaimedBy == reviewer)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ClaimedBy, (string?)null).SetProperty(c => c.ClaimedUntil, (DateTime?)null), cancellationToken)
            .ConfigureAwait(false);
        return released == 1;
    }

    /// <summary>The case and where <paramref name="reviewer"/> stands with it; nothing changes.</summary>
    public async Task<CaseLookup> LookupAsync(VerifyDbContext db, Guid caseId, string reviewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var found = await db.ReviewCases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken).ConfigureAwait(false);
        return new CaseLookup(Access(found, reviewer, Now), found);
    }

    /// <summary>Decides a case the caller holds (<see cref="ReviewDesk"/>); the evidence is deleted once the decision has committed.</summary>
    public async Task<VerdictResult> DecideAsync(VerifyDbContext db, Guid caseId, string reviewer, ReviewVerdict verdict,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verdict);
        try
        {
            return await TryDecideAsync(db, caseId, reviewer, verdict, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException exception) when (exception is not DbUpdateConcurrencyException)
        {
            // Another approval stored the same document's fingerprint between this one's check and its save (the unique
            // index refused the second row): nothing was saved, and deciding again finds the fingerprint on file.
            db.ChangeTracker.Clear();
            return await TryDecideAsync(db, caseId, reviewer, verdict, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<VerdictResult> TryDecideAsync(VerifyDbContext db, Guid caseId, string reviewer, ReviewVerdict verdict,
        CancellationToken cancellationToken)
    {
        var now = Now;
        var found = await db.ReviewCases.FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return new VerdictResult(VerdictStatus.NotFound);
        }

        // The subject's lock before anything is read for the decision (SubjectLock): an approval stores a template, a
        // fingerprint and a badge, so it and the subject's erasure never interleave. The case is read again under it
        // (an erasure that committed meanwhile deleted it), and the consent is checked after it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await SubjectLock.TakeAsync(db, found.ClientId, found.SubjectId, SubjectLockHolder.Review, cancellationToken).ConfigureAwait(false);
        await db.Entry(found).ReloadAsync(cancellationToken).ConfigureAwait(false);
        if (db.Entry(found).State == EntityState.Detached)
        {
            found = null;
        }

        switch (Access(found, reviewer, now))
        {
            case CaseAccess.NotFound:
                return new VerdictResult(VerdictStatus.NotFound);
            case CaseAccess.Decided:
                return new VerdictResult(VerdictStatus.AlreadyDecided);
            case CaseAccess.HeldByOther or CaseAccess.NotClaimed:
                return new VerdictResult(VerdictStatus.ClaimRequired);
        }

        var reviewCase = found!;
        if (!ReviewReasons.For(reviewCase.Kind, verdict.Approve).Contains(verdict.Reason))
        {
            return new VerdictResult(VerdictStatus.UnknownReason);
        }

        VerificationRecord? record = null;
        if (reviewCase.Kind == ReviewCaseKind.Verification)
        {
            record = await db.Verifications.FirstOrDefaultAsync(v => v.Id == reviewCase.Id, cancellationToken).ConfigureAwait(false);
            var decided = await DecideVerificationAsync(db, reviewCase, record, reviewer, verdict, now, cancellationToken).ConfigureAwait(false);
            if (decided.Status != VerdictStatus.Decided)
            {
                return decided;
            }
        }

        string outcome = verdict.Approve ? Approved : Rejected;
        reviewCase.DecidedAt = now;
        reviewCase.DecidedBy = reviewer;
        reviewCase.Outcome = outcome;
        reviewCase.DecisionReason = verdict.Reason;
        reviewCase.Note = string.IsNullOrWhiteSpace(verdict.Note) ? null : verdict.Note;
        reviewCase.ClaimedBy = null;
        reviewCase.ClaimedUntil = null;
        // What approving needed is spent either way.
        reviewCase.AssuranceLevel = null;
        reviewCase.BadgeExpiresAt = null;
        reviewCase.FingerprintKeyId = null;
        reviewCase.Fingerprint = null;
        Audit(db, reviewCase, reviewer, $"review.{outcome}", now, verdict.Reason);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another decision (a second reviewer's after this claim lapsed) or the subject's erasure (which deletes the
            // case) committed first: the case's claim and decision are concurrency tokens, as is the verification's state.
            return new VerdictResult(VerdictStatus.AlreadyDecided);
        }

        if (record is not null)
        {
            // Images go; and if an erasure withdrew consent while this was decided, what the decision stored goes too.
            await evidence.SettleAsync(db, record, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await DeleteReportEvidenceAsync(db, reviewCase, now, cancellationToken).ConfigureAwait(false);
        }

        telemetry.RecordDecision(reviewer, outcome, reviewCase.Kind == ReviewCaseKind.Verification ? "verification" : "impersonation_report",
            now - reviewCase.OpenedAt);
        return new VerdictResult(VerdictStatus.Decided, record?.State, now);
    }

    /// <summary>
    /// Whether a verification case can be approved now: null when it can; <see cref="VerdictStatus.CannotApprove"/>
    /// when the pipeline never finished (nothing to grant a badge on) or its images are gone (nobody approves evidence
    /// no longer there to see); <see cref="VerdictStatus.ConsentWithdrawn"/> when the subject withdrew consent. The
    /// case view shows the same answer as <c>can_approve</c>.
    /// </summary>
    public async Task<VerdictStatus?> ApprovalBlockerAsync(VerifyDbContext db, ReviewCase reviewCase, Guid consentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reviewCase);
        return await ApprovalBlockerAsync(db, reviewCase, consentId, Now, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<VerdictStatus?> ApprovalBlockerAsync(VerifyDbContext db, ReviewCase reviewCase, Guid consentId, DateTime now,
        CancellationToken cancellationToken)
    {
        if (reviewCase.AssuranceLevel is null || reviewCase.BadgeExpiresAt is null
            || !await db.Blobs.AnyAsync(b => b.VerificationId == reviewCase.Id && b.ExpiresAt > now, cancellationToken).ConfigureAwait(false))
        {
            return VerdictStatus.CannotApprove;
        }

        return await db.Consents.AnyAsync(c => c.Id == consentId && c.WithdrawnAt != null, cancellationToken).ConfigureAwait(false)
            ? VerdictStatus.ConsentWithdrawn
            : null;
    }

    private async Task<VerdictResult> DecideVerificationAsync(VerifyDbContext db, ReviewCase reviewCase, VerificationRecord? record, string reviewer,
        ReviewVerdict verdict, DateTime now, CancellationToken cancellationToken)
    {
        if (record is null || record.State != VerificationState.NeedsReview)
        {
            return new VerdictResult(record is null ? VerdictStatus.NotFound : VerdictStatus.AlreadyDecided);
        }

        var held = await db.FaceTemplates.Where(t => t.VerificationId == record.Id && t.HeldForReview).ToListAsync(cancellationToken).ConfigureAwait(false);
        // A held template past the review window is spent even if the purge has not reached it yet: never revived.
        db.FaceTemplates.RemoveRange(held.Where(t => t.ExpiresAt <= now));
        held.RemoveAll(t => t.ExpiresAt <= now);
        if (!verdict.Approve)
        {
            db.FaceTemplates.RemoveRange(held);
            DecisionRecorder.Record(db, record, new Decision(VerificationState.Rejected, [ReviewReasons.Prefix + verdict.Reason]), record.ResultJson, now, reviewer);
            return new VerdictResult(VerdictStatus.Decided, VerificationState.Rejected);
        }

        if (await ApprovalBlockerAsync(db, reviewCase, record.ConsentId, now, cancellationToken).ConfigureAwait(false) is { } blocked)
        {
            return new VerdictResult(blocked);
        }

        string assurance = reviewCase.AssuranceLevel!;
        var badgeExpiry = reviewCase.BadgeExpiresAt!.Value;

        foreach (var template in held)
        {
            template.HeldForReview = false;
            template.LastUsedAt = now;
            template.ExpiresAt = now + verification.Value.TemplateRetention;
        }

        // The document is remembered for the next duplicate check, unless it already is (a reviewer may approve a
        // case the duplicate check sent here: the first holder stays the one on record).
        if (reviewCase.Fingerprint is { } fingerprint && reviewCase.FingerprintKeyId is { } keyId
            && !await db.DocumentFingerprints.AnyAsync(f => f.KeyId == keyId && f.ClientId == record.ClientId && f.Value == fingerprint, cancellationToken)
                .ConfigureAwait(false))
        {
            db.DocumentFingerprints.Add(new DocumentFingerprint
            {
                Id = Guid.NewGuid(), ClientId = record.ClientId, SubjectId = record.SubjectId, VerificationId = record.Id, KeyId = keyId, Value = fingerprint, CreatedAt = now,
            });
        }

        DecisionRecorder.Record(db, record, new Decision(VerificationState.Verified, []), record.ResultJson, now, reviewer);
        Outbox.Add(db, new IdentityVerified(record.Id, record.ClientId, record.SubjectId, assurance, new DateTimeOffset(now),
            new DateTimeOffset(DateTime.SpecifyKind(badgeExpiry, DateTimeKind.Utc))), now);
        return new VerdictResult(VerdictStatus.Decided, VerificationState.Verified);
    }

    /// <summary>A report's images go with the decision, and the report notes when.</summary>
    private async Task DeleteReportEvidenceAsync(VerifyDbContext db, ReviewCase reviewCase, DateTime now, CancellationToken cancellationToken)
    {
        await blobs.DeleteForVerificationAsync(db, reviewCase.Id, cancellationToken).ConfigureAwait(false);
        await db.ImpersonationReports.Where(r => r.Id == reviewCase.Id && r.ImagesDeletedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ImagesDeletedAt, now), cancellationToken).ConfigureAwait(false);
    }

    private static CaseAccess Access(ReviewCase? found, string reviewer, DateTime now) => found switch
    {
        null => CaseAccess.NotFound,
        { DecidedAt: not null } => CaseAccess.Decided,
        { ClaimedBy: { } holder, ClaimedUntil: { } until } when until > now => holder == reviewer ? CaseAccess.Held : CaseAccess.HeldByOther,
        _ => CaseAccess.NotClaimed,
    };

    /// <summary>An audit row of the case (its record id is the case's: the verification's or the report's), with a code as detail.</summary>
    internal static void Audit(VerifyDbContext db, ReviewCase reviewCase, string reviewer, string action, DateTime now, string? detail = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = reviewer, ClientId = reviewCase.ClientId, Action = action, Detail = detail, SubjectId = reviewCase.SubjectId,
            VerificationId = reviewCase.Id,
        });

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
