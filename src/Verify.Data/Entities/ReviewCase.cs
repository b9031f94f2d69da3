namespace Verify.Data.Entities;

/// <summary>What a person is asked to look at.</summary>
public enum ReviewCaseKind
{
    /// <summary>A verification the pipeline sent to review (needs_review); the case id is the verification id.</summary>
    Verification,

    /// <summary>An impersonation report; the case id is the report id.</summary>
    ImpersonationReport,
}

/// <summary>
/// A case in the trust-and-safety queue: open from when it is sent to review until a reviewer decides it. One reviewer
/// at a time holds it (<see cref="ClaimedBy"/> until <see cref="ClaimedUntil"/>). For a verification case it also keeps
/// what approving needs from the pipeline's run (the assurance level, the badge's expiry and the document
/// fingerprint), so the API can decide without a model; that is deleted with the decision. Codes and ids only, except
/// the reviewer's <see cref="Note"/>, which goes with the subject's erasure.
/// </summary>
public sealed class ReviewCase
{
    /// <summary>The verification's or the impersonation report's id.</summary>
    public Guid Id { get; set; }

    public ReviewCaseKind Kind { get; set; }

    /// <summary>The API client whose verification or report it is.</summary>
    public required string ClientId { get; set; }

    /// <summary>The subject the case is about (for a report: the claimed subject).</summary>
    public required string SubjectId { get; set; }

    /// <summary>Why a person must look (the verification's reasons, duplicate_identity, impersonation_reported).</summary>
    public List<string> Reasons { get; set; } = [];

    public DateTime OpenedAt { get; set; }

    /// <summary>The key id of the reviewer holding the case; null when nobody does.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When the claim lapses; after that any reviewer may claim the case.</summary>
    public DateTime? ClaimedUntil { get; set; }

    /// <summary>For approving: the assurance level the pipeline's checks reached.</summary>
    public string? AssuranceLevel { get; set; }

    /// <summary>For approving: when a badge granted now would lapse (the document's expiry or the badge validity).</summary>
    public DateTime? BadgeExpiresAt { get; set; }

    /// <summary>For approving: the document fingerprint's key id and value, stored with the badge.</summary>
    public string? FingerprintKeyId { get; set; }

    public byte[]? Fingerprint { get; set; }

    public DateTime? DecidedAt { get; set; }

    /// <summary>The key id of the reviewer who decided.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>approved or rejected.</summary>
    public string? Outcome { get; set; }

    /// <summary>The reviewer's reason code (docs/api.md).</summary>
    public string? DecisionReason { get; set; }

    /// <summary>The reviewer's free-text note (up to 1000 characters); deleted with the subject's biometrics.</summary>
    public string? Note { get; set; }
}
