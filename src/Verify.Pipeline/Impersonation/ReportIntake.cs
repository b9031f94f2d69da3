using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Submissions;

namespace Verify.Pipeline.Impersonation;

/// <summary>What became of a report: accepted (new, or the earlier one with the same Idempotency-Key), or refused.</summary>
public abstract record ReportIntakeOutcome;

/// <summary>The report that holds the request and its state; <paramref name="Replayed"/> when an earlier request created it.</summary>
public sealed record ReportAccepted(Guid ReportId, ImpersonationReportState State, bool Replayed) : ReportIntakeOutcome;

/// <summary>Nothing was stored: the Idempotency-Key belongs to a report with other content.</summary>
public sealed record ReportKeyReused : ReportIntakeOutcome;

/// <summary>
/// Accepts a checked impersonation report: answers a retry with the same Idempotency-Key as the first request was
/// answered, and in one transaction records the report (queued), its encrypted images (kind
/// <see cref="BlobKind.ReportedImage"/>, keyed by the report id, with the verification images' time to live), the
/// <see cref="AssessImpersonationReport"/> command (outbox) and the audit event. Knows nothing of HTTP.
/// </summary>
public sealed class ReportIntake(IDbContextFactory<VerifyDbContext> databases, EncryptedBlobStore blobs, TimeProvider time)
{
    /// <summary>The audit action of an accepted report.</summary>
    public const string SubmittedAction = "impersonation_report.submitted";

    public async Task<ReportIntakeOutcome> SubmitAsync(ApiCaller caller, string? idempotencyKey, ReportSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(submission);
        string clientId = caller.ClientId;
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (idempotencyKey is not null
            && await ReplayAsync(db, clientId, idempotencyKey, submission.RequestHash, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            return replay;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var report = new ImpersonationReport
        {
            Id = Guid.NewGuid(), ClientId = clientId, ReportedAccountId = submission.ReportedAccountId, ClaimedSubjectId = submission.ClaimedSubjectId,
            IdempotencyKey = idempotencyKey, RequestHash = submission.RequestHash, State = ImpersonationReportState.Queued,
            ImageCount = submission.Images.Count, CreatedAt = now,
        };

        // One transaction: the report, the image index and the command commit together or not at all. The images are
        // filed under the claimed subject: they are compared with that subject's template and go with its erasure.
        db.ImpersonationReports.Add(report);
        for (int i = 0; i < submission.Images.Count; i++)
        {
            await blobs.AddAsync(db, submission.ClaimedSubjectId, report.Id, BlobKind.ReportedImage, submission.Images[i], cancellationToken, i)
                .ConfigureAwait(false);
        }

        Outbox.Add(db, new AssessImpersonationReport(report.Id), now);
        // The audit's record id is the report's (its review case has the same id).
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = caller.KeyId, ClientId = clientId, Action = SubmittedAction, SubjectId = submission.ClaimedSubjectId, VerificationId = report.Id,
        });
        if (await IdempotentRequests.SaveAsync(db, databases, idempotencyKey,
            again => ReplayAsync(again, clientId, idempotencyKey!, submission.RequestHash, cancellationToken), cancellationToken).ConfigureAwait(false) is { } raced)
        {
            return raced;
        }

        return new ReportAccepted(report.Id, ImpersonationReportState.Queued, Replayed: false);
    }

    /// <summary>The answer to a retry: the earlier report with this key, or a refusal when its content differs; null for a new key.</summary>
    private static Task<ReportIntakeOutcome?> ReplayAsync(VerifyDbContext db, string clientId, string key, byte[] requestHash,
        CancellationToken cancellationToken) =>
        IdempotentRequests.ReplayAsync(
            db.ImpersonationReports.AsNoTracking().Where(r => r.ClientId == clientId && r.IdempotencyKey == key)
                .Select(r => new EarlierRequest<ImpersonationReportState>(r.Id, r.State, r.RequestHash)),
            requestHash, (id, state) => (ReportIntakeOutcome)new ReportAccepted(id, state, Replayed: true), new ReportKeyReused(), cancellationToken);
}
