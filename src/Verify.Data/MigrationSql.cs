namespace Verify.Data;

/// <summary>
/// SQL a migration runs the same on every provider (quoted identifiers, nothing provider-specific), written once so that
/// the SQLite and PostgreSQL migrations cannot drift apart.
/// </summary>
public static class MigrationSql
{
    /// <summary>
    /// FingerprintsPerClient: each fingerprint takes the client of the verification that recorded it; then, of several
    /// rows of one document in one client (a subject verified twice, or the old check-then-insert race), the oldest
    /// stays, so that the unique (key, client, value) index can be built.
    /// </summary>
    public const string FingerprintsPerClient =
        """
        UPDATE document_fingerprints SET "ClientId" = (
            SELECT v."ClientId" FROM verifications v WHERE v."Id" = document_fingerprints."VerificationId")
        WHERE EXISTS (SELECT 1 FROM verifications v WHERE v."Id" = document_fingerprints."VerificationId");
        DELETE FROM document_fingerprints WHERE EXISTS (
            SELECT 1 FROM document_fingerprints older
            WHERE older."KeyId" = document_fingerprints."KeyId" AND older."ClientId" = document_fingerprints."ClientId"
                AND older."Value" = document_fingerprints."Value"
                AND (older."CreatedAt" < document_fingerprints."CreatedAt"
                    OR (older."CreatedAt" = document_fingerprints."CreatedAt" AND older."Id" < document_fingerprints."Id")));
        """;
}
