using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Protection;
using Verify.Inference.Faces;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Impersonation;

/// <summary>
/// The templates of one verification that a matcher can score against: one embedding per embedder of the matcher, in
/// its order, each from a template of the same model id and version. Embeddings are biometric data: never printed.
/// </summary>
public sealed record TemplateSet(Guid VerificationId, IReadOnlyList<Guid> TemplateIds, IReadOnlyList<FaceEmbedding> Embeddings)
{
    public override string ToString() => $"TemplateSet {{ VerificationId = {VerificationId}, Templates = {TemplateIds.Count} }}";
}

/// <summary>
/// Finds and opens what an impersonation report may be compared with: the claimed subject's consented templates that
/// came from the reporting client's own verifications (clients are tenants: a report never learns of another client's
/// subject), are not held for a reviewer, have not expired, and match the configured matcher's model versions.
/// </summary>
public sealed class ClaimedSubjectTemplates(PayloadProtector protector, TimeProvider time)
{
    public async Task<IReadOnlyList<TemplateSet>> LoadAsync(VerifyDbContext db, string clientId, string subjectId, FaceMatcher matcher,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(matcher);
        var now = time.GetUtcNow().UtcDateTime;
        var templates = await db.FaceTemplates.AsNoTracking()
            .Where(t => t.SubjectId == subjectId && !t.HeldForReview && t.ExpiresAt > now
                && db.Verifications.Any(v => v.Id == t.VerificationId && v.ClientId == clientId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        // A verification stored one template per embedder of the matcher of its day: only a complete set of today's
        // versions can be scored (a template of another model version is never compared).
        var sets = new List<TemplateSet>();
        foreach (var verification in templates.GroupBy(t => t.VerificationId).OrderBy(g => g.Key))
        {
            var parts = matcher.Embedders
                .Select(embedder => verification.FirstOrDefault(t => t.ModelId == embedder.ModelId && t.ModelVersion == embedder.ModelVersion))
                .ToArray();
            if (parts.All(template => template is not null))
            {
                sets.Add(new TemplateSet(verification.Key, [.. parts.Select(t => t!.Id)], [.. parts.Select(t => FaceTemplates.Open(protector, t!))]));
            }
        }

        return sets;
    }
}
