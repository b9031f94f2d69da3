namespace Verify.Data.Entities;

/// <summary>An HMAC of a document's issuing state and number under a secret key: finds one document behind several
/// subjects without storing the number. One row per document and key, owned by the subject (and the verification)
/// it was first verified for.</summary>
public sealed class DocumentFingerprint
{
    public Guid Id { get; set; }

    public required string SubjectId { get; set; }

    public Guid VerificationId { get; set; }

    /// <summary>The fingerprint key's id; fingerprints under different keys never match.</summary>
    public required string KeyId { get; set; }

    /// <summary>HMAC-SHA256, 32 bytes.</summary>
    public required byte[] Value { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>SQL the migrations of both providers share.</summary>
public static class DocumentFingerprintMigrationSql
{
    /// <summary>
    /// Before the unique index on (KeyId, Value): keeps the earliest row of each document and key and deletes the later
    /// ones (re-verifications of the same subject, or the rare pair of subjects that raced past the old check, whose
    /// first owner stays the owner). Plain SQL that SQLite and PostgreSQL both run.
    /// </summary>
    public const string KeepFirstRowPerDocument = """
        DELETE FROM document_fingerprints
        WHERE EXISTS (
            SELECT 1 FROM document_fingerprints AS earlier
            WHERE earlier."KeyId" = document_fingerprints."KeyId" AND earlier."Value" = document_fingerprints."Value"
              AND (earlier."CreatedAt" < document_fingerprints."CreatedAt"
                   OR (earlier."CreatedAt" = document_fingerprints."CreatedAt" AND earlier."Id" < document_fingerprints."Id")))
        """;
}
