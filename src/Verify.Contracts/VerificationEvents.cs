namespace Verify.Contracts;

/// <summary>Final status of a verification.</summary>
public enum VerificationStatus
{
    Verified,
    Rejected,
    NeedsReview,
}

/// <summary>Event: a verification reached a decision. Reasons are stable codes, never personal data.</summary>
public sealed record VerificationCompleted(
    Guid VerificationId,
    string SubjectId,
    VerificationStatus Status,
    IReadOnlyList<string> Reasons,
    DateTimeOffset CompletedAt);

/// <summary>Event: the subject holds the verified badge from now on.</summary>
public sealed record IdentityVerified(Guid VerificationId, string SubjectId, DateTimeOffset VerifiedAt);

/// <summary>Event: the subject's verified badge is withdrawn (consent withdrawn, reviewer decision, or fraud).</summary>
public sealed record BadgeRevoked(string SubjectId, string Reason, DateTimeOffset RevokedAt);
