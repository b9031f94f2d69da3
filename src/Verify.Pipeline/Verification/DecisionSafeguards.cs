using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Pipeline.Duplicates;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What can still overturn the stages' decision, read from the database and the template index just before it is
/// recorded: another subject of the same client already verified with this document or this face sends a decision that
/// could end in a badge to review (<see cref="DecisionReasons.DuplicateDocument"/>, <see cref="DecisionReasons.DuplicateFace"/>,
/// with that subject in the result), and a consent withdrawn while the stages ran rejects it (then nothing biometric is
/// kept, and no badge). Clients never see each other's subjects: both checks stay within the verification's client.
/// </summary>
public sealed class DecisionSafeguards(DocumentFingerprinter fingerprinter, DuplicateFaceSearch faces)
{
    /// <summary>
    /// The run as it is to be recorded: the decision after the safeguards, the duplicate (if any) in its result, and
    /// whether this subject's fingerprint of the document is on file already (then none is added).
    /// </summary>
    public async Task<StageRun> ApplyAsync(VerifyDbContext db, VerificationRecord verification, StageRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(run);
        if (await ConsentWithdrawnAsync(db, verification, cancellationToken).ConfigureAwait(false))
        {
            return run with { Decision = new Decision(VerificationState.Rejected, [DecisionReasons.ConsentWithdrawn]) };
        }

        string? holder = run.Fingerprint is { } fingerprint
            ? await db.DocumentFingerprints
                .Where(f => f.KeyId == fingerprinter.KeyId && f.ClientId == verification.ClientId && f.Value == fingerprint)
                .Select(f => f.SubjectId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            : null;
        bool onFile = string.Equals(holder, verification.SubjectId, StringComparison.Ordinal);
        // A rejection stays one; a case for review learns of the duplicate too, so no reviewer approves it unaware.
        if (run.Decision.State is not (VerificationState.Verified or VerificationState.NeedsReview))
        {
            return run with { FingerprintOnFile = onFile };
        }

        string? documentSubject = holder is not null && !onFile ? holder : null;
        var face = await faces.FindAsync(verification.ClientId, verification.SubjectId, run.SelfieEmbeddings, cancellationToken).ConfigureAwait(false);
        if (documentSubject is null && face is null)
        {
            return run with { FingerprintOnFile = onFile };
        }

        List<string> reasons = [.. run.Decision.Reasons];
        if (documentSubject is not null)
        {
            reasons.Add(DecisionReasons.DuplicateDocument);
        }

        if (face is not null)
        {
            reasons.Add(DecisionReasons.DuplicateFace);
        }

        var duplicate = new DuplicateFinding(documentSubject, face?.SubjectId,
            face is null ? null : Math.Round(face.Score, 4), face is null ? null : Math.Round(faces.Threshold, 4));
        return run with
        {
            Decision = new Decision(VerificationState.NeedsReview, reasons),
            Result = run.Result with { Duplicate = duplicate },
            FingerprintOnFile = onFile,
        };
    }

    /// <summary>
    /// The decision for a verification that failed on every attempt: review with <see cref="DecisionReasons.ProcessingFailed"/>,
    /// or rejected with <see cref="DecisionReasons.ConsentWithdrawn"/> when the subject withdrew consent meanwhile
    /// (not sent to a reviewer, and its images go).
    /// </summary>
    public static async Task<Decision> GiveUpAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken) =>
        await ConsentWithdrawnAsync(db, verification, cancellationToken).ConfigureAwait(false)
            ? new Decision(VerificationState.Rejected, [DecisionReasons.ConsentWithdrawn])
            : new Decision(VerificationState.NeedsReview, [DecisionReasons.ProcessingFailed]);

    private static Task<bool> ConsentWithdrawnAsync(VerifyDbContext db, VerificationRecord verification, CancellationToken cancellationToken) =>
        db.Consents.AnyAsync(c => c.Id == verification.ConsentId && c.WithdrawnAt != null, cancellationToken);
}
