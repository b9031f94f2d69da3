namespace Verify.Contracts;

/// <summary>Final status of a verification.</summary>
public enum VerificationStatus
{
    Verified,
    Rejected,
    NeedsReview,
}

/// <summary>Event: a verification reached a decision. Reasons are stable codes, never personal data.</summary>
/// <param name="VerificationId">The verification.</param>
/// <param name="ClientId">The API client that submitted it.</param>
/// <param name="SubjectId">The platform's opaque id of the person.</param>
/// <param name="Status">Verified, rejected or needs review (verified, rejected, needs_review in JSON, as the API says).</param>
/// <param name="Reasons">Machine-readable reasons (docs/api.md).</param>
/// <param name="CompletedAt">When the decision was made.</param>
public sealed record VerificationCompleted(
    Guid VerificationId,
    string ClientId,
    string SubjectId,
    VerificationStatus Status,
    IReadOnlyList<string> Reasons,
    DateTimeOffset CompletedAt);

/// <summary>Event: the subject holds the verified badge from now until <paramref name="ExpiresAt"/>.</summary>
/// <param name="VerificationId">The verification that granted it.</param>
/// <param name="ClientId">The API client whose subject it is: subject ids are the client's own namespace, and the event reaches only that client.</param>
/// <param name="SubjectId">The platform's opaque id of the person, within <paramref name="ClientId"/>.</param>
/// <param name="AssuranceLevel">What was checked: document_and_face, document_face_liveness or document_face_liveness_challenge; chip_and_face, chip_face_liveness or chip_face_liveness_challenge when the document was a passively authenticated chip (docs/api.md).</param>
/// <param name="VerifiedAt">When the badge was granted.</param>
/// <param name="ExpiresAt">When the badge lapses: the document's expiry or the badge validity, whichever comes first.</param>
public sealed record IdentityVerified(Guid VerificationId, string ClientId, string SubjectId, string AssuranceLevel, DateTimeOffset VerifiedAt, DateTimeOffset ExpiresAt);

/// <summary>Event: the subject's verified badge is withdrawn (consent withdrawn, reviewer decision, or fraud).</summary>
/// <param name="ClientId">The API client whose subject it is: another client's subject of the same id keeps its badge.</param>
/// <param name="SubjectId">The platform's opaque id of the person, within <paramref name="ClientId"/>.</param>
/// <param name="Reason">Why, as a code (consent_withdrawn).</param>
/// <param name="RevokedAt">When.</param>
public sealed record BadgeRevoked(string ClientId, string SubjectId, string Reason, DateTimeOffset RevokedAt);
