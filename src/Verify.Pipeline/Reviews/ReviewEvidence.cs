using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Imaging;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Reviews;

/// <summary>
/// A case's images as a reviewer sees them: decrypted only on request, re-encoded as a JPEG of at most
/// <see cref="ReviewOptions.MaxImageSide"/> pixels (whatever format was uploaded, a browser can show it, and no
/// metadata of the upload goes out), and every look audited. The caller checks the claim first.
/// </summary>
/// <remarks>
/// The re-encoding decodes the stored upload in the API's process, which otherwise never decodes an untrusted image
/// (<see cref="ImageDecoder.Inspect"/>). So only images a worker has already decoded without error are offered and
/// served (<see cref="DecodedByWorkerAsync"/>): the portrait, which the worker cut and encoded itself; a verification's
/// document and selfie when its result says the pipeline read them; a report's images once its assessment decoded them.
/// </remarks>
public sealed class ReviewEvidence(EncryptedBlobStore blobs, ImageDecoder decoder, IOptions<ReviewOptions> options, TimeProvider time)
{
    /// <summary>The document's portrait as the pipeline cut it.</summary>
    public const string Portrait = "portrait";

    /// <summary>The selfie frame that was matched.</summary>
    public const string Selfie = "selfie";

    /// <summary>The whole document (the "document view": it shows the MRZ and the printed fields).</summary>
    public const string DocumentFront = "document_front";

    public const string DocumentBack = "document_back";

    /// <summary>An impersonation report's images, in the order they were sent: <c>reported_1</c> to <c>reported_10</c>.</summary>
    public const string ReportedPrefix = "reported_";

    public static readonly IReadOnlyList<string> Names = [Portrait, Selfie, DocumentFront, DocumentBack];

    /// <summary>Whether <paramref name="name"/> names an image a case can have.</summary>
    public static bool IsName(string name) => Names.Contains(name) || ReportedSequence(name) is not null;

    /// <summary>The case's image names (images past their time are gone): <see cref="Names"/> for a verification, <c>reported_{n}</c> for a report.</summary>
    public async Task<IReadOnlyList<string>> AvailableAsync(VerifyDbContext db, ReviewCase reviewCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reviewCase);
        var now = time.GetUtcNow().UtcDateTime;
        var kept = await db.Blobs.AsNoTracking().Where(b => b.VerificationId == reviewCase.Id && b.ExpiresAt > now)
            .Select(b => new { b.Kind, b.Sequence }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var decoded = new Dictionary<BlobKind, bool>();
        foreach (var kind in kept.Select(b => b.Kind).Distinct())
        {
            decoded[kind] = await DecodedByWorkerAsync(db, reviewCase, kind, cancellationToken).ConfigureAwait(false);
        }

        kept.RemoveAll(b => !decoded[b.Kind]);
        return reviewCase.Kind == ReviewCaseKind.ImpersonationReport
            ? [.. kept.Where(b => b.Kind == BlobKind.ReportedImage).Select(b => b.Sequence).Order().Select(n => ReportedPrefix + (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))]
            : [.. Names.Where(name => Kind(name) is { } kind && kept.Any(b => b.Kind == kind))];
    }

    /// <summary>
    /// Whether a worker has decoded the case's images of <paramref name="kind"/> without error (see the remarks): the
    /// portrait always (the worker made it); a verification's document or selfie when its result's stage for them is
    /// not <c>unreadable</c> (no result: the pipeline never finished, as after <c>processing_failed</c>); a report's
    /// images when its assessment read them (not <c>images_unreadable</c>, <c>images_unavailable</c> or <c>assessment_failed</c>).
    /// </summary>
    private static async Task<bool> DecodedByWorkerAsync(VerifyDbContext db, ReviewCase reviewCase, BlobKind kind, CancellationToken cancellationToken)
    {
        if (kind == BlobKind.DocumentPortrait)
        {
            return true;
        }

        if (reviewCase.Kind == ReviewCaseKind.ImpersonationReport)
        {
            string? suggestion = await db.ImpersonationReports.AsNoTracking().Where(r => r.Id == reviewCase.Id).Select(r => r.Suggestion)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return suggestion is not (null or ImpersonationSuggestions.ImagesUnreadable or ImpersonationSuggestions.ImagesUnavailable
                or ImpersonationSuggestions.AssessmentFailed);
        }

        var result = await ResultAsync(db, reviewCase.Id, cancellationToken).ConfigureAwait(false);
        if (kind != BlobKind.Selfie && result?.DocumentSource == "chip")
        {
            // The pipeline read the chip, not the photos sent beside it: the reviewer sees the chip's portrait.
            return false;
        }

        string stage = kind == BlobKind.Selfie ? "selfie_face" : "document";
        return result is not null && result.Stages.TryGetValue(stage, out string? outcome) && outcome != "unreadable";
    }

    /// <summary>
    /// The image called <paramref name="name"/> as a JPEG, audited as seen by <paramref name="reviewer"/> (the audit's
    /// record id is the case's: the verification's or the report's); null when it is gone.
    /// </summary>
    public async Task<byte[]?> ReadAsync(VerifyDbContext db, ReviewCase reviewCase, string name, string reviewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reviewCase);
        var kind = reviewCase.Kind == ReviewCaseKind.ImpersonationReport
            ? ReportedSequence(name) is null ? null : BlobKind.ReportedImage
            : Kind(name);
        if (kind is null || !await DecodedByWorkerAsync(db, reviewCase, kind.Value, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        int sequence = kind switch
        {
            BlobKind.Selfie => await MatchedFrameAsync(db, reviewCase.Id, cancellationToken).ConfigureAwait(false),
            BlobKind.ReportedImage => ReportedSequence(name)!.Value,
            _ => 0,
        };
        var now = time.GetUtcNow().UtcDateTime;
        var candidates = await db.Blobs.AsNoTracking().Where(b => b.VerificationId == reviewCase.Id && b.Kind == kind && b.ExpiresAt > now)
            .OrderBy(b => b.Sequence).Select(b => new { b.Id, b.Sequence }).ToListAsync(cancellationToken).ConfigureAwait(false);
        // A report's image is that one or none; a verification's selfie falls back to the first frame.
        var chosen = candidates.FirstOrDefault(b => b.Sequence == sequence) ?? (kind == BlobKind.ReportedImage ? null : candidates.FirstOrDefault());
        if (chosen is null || await blobs.ReadAsync(db, chosen.Id, cancellationToken).ConfigureAwait(false) is not { } content)
        {
            return null;
        }

        byte[] jpeg = Reencode(content);
        ReviewDesk.Audit(db, reviewCase, reviewer, $"review.viewed.{name}", now);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return jpeg;
    }

    /// <summary>The 0-based sequence of <c>reported_{n}</c> (n from 1 to 10), or null.</summary>
    private static int? ReportedSequence(string name) =>
        name.StartsWith(ReportedPrefix, StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(ReportedPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
        && n is >= 1 and <= 10 && name.Length == ReportedPrefix.Length + (n >= 10 ? 2 : 1)
            ? n - 1
            : null;

    private static BlobKind? Kind(string name) => name switch
    {
        Portrait => BlobKind.DocumentPortrait,
        Selfie => BlobKind.Selfie,
        DocumentFront => BlobKind.DocumentFront,
        DocumentBack => BlobKind.DocumentBack,
        _ => null,
    };

    /// <summary>The selfie frame the pipeline matched (its result says which); the first when it does not.</summary>
    private static async Task<int> MatchedFrameAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken) =>
        (await ResultAsync(db, verificationId, cancellationToken).ConfigureAwait(false))?.MatchedSelfieFrame ?? 0;

    /// <summary>The verification's result as the pipeline recorded it; null before (or without) one.</summary>
    private static async Task<VerificationResult?> ResultAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken)
    {
        string? json = await db.Verifications.AsNoTracking().Where(v => v.Id == verificationId).Select(v => v.ResultJson)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize<VerificationResult>(json, VerificationResult.Json);
    }

    private byte[] Reencode(byte[] content)
    {
        using var image = decoder.Decode(content);
        using var smaller = ImageResampler.ReduceToLongSide(image, options.Value.MaxImageSide);
        return ImageEncoder.EncodeJpeg(smaller ?? image, 90);
    }
}
