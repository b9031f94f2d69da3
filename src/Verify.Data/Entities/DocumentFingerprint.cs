namespace Verify.Data.Entities;

/// <summary>An HMAC of a document's issuing state and number under a secret key: finds one document behind several
/// subjects without storing the number. One subject per document and client: the unique (key, client, value) index
/// lets only one of two concurrent verifications of a document for two subjects commit.</summary>
public sealed class DocumentFingerprint
{
    public Guid Id { get; set; }

    /// <summary>The API client whose verification recorded it: documents are matched within a client only.</summary>
    public required string ClientId { get; set; }

    public required string SubjectId { get; set; }

    public Guid VerificationId { get; set; }

    /// <summary>The fingerprint key's id; fingerprints under different keys never match.</summary>
    public required string KeyId { get; set; }

    /// <summary>HMAC-SHA256, 32 bytes.</summary>
    public required byte[] Value { get; set; }

    public DateTime CreatedAt { get; set; }
}
