namespace Verify.Data.Entities;

/// <summary>
/// Who did what to which verification or subject, and when. Codes and opaque ids only, never personal data. Rows are
/// inserted unsealed with the action they record; the audit sealer then chains them (<see cref="Sequence"/>,
/// <see cref="PreviousHash"/>, <see cref="Hash"/>), so that editing, deleting or inserting a sealed row shows.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary>The API key (its id), the reviewer's key or the system job ("worker", "retention") that acted.</summary>
    public required string Actor { get; set; }

    /// <summary>A stable code: verification.submitted, biometrics.deleted, key.created, retention.purged, ...</summary>
    public required string Action { get; set; }

    /// <summary>The client (tenant) the action was for, when there is one.</summary>
    public string? ClientId { get; set; }

    /// <summary>A short code qualifying the action (a reason code, a role); never free text.</summary>
    public string? Detail { get; set; }

    /// <summary>
    /// The subject the row is about, in clear until the subject is erased; not covered by the chain, so erasing it
    /// (with <see cref="SubjectSalt"/>) leaves the chain intact.
    /// </summary>
    public string? SubjectId { get; set; }

    /// <summary>SHA-256 of <see cref="SubjectSalt"/> and the subject id: what the chain covers instead of the subject id.</summary>
    public byte[]? SubjectDigest { get; set; }

    /// <summary>16 random bytes per row; erased with the subject, after which <see cref="SubjectDigest"/> links to nobody.</summary>
    public byte[]? SubjectSalt { get; set; }

    public Guid? VerificationId { get; set; }

    /// <summary>The row's position in the chain (1, 2, ...); null until sealed.</summary>
    public long? Sequence { get; set; }

    /// <summary>The <see cref="Hash"/> of the row sealed before this one; null for the first row and until sealed.</summary>
    public byte[]? PreviousHash { get; set; }

    /// <summary>HMAC-SHA256 under the audit key over this row's chained fields and <see cref="PreviousHash"/>; null until sealed.</summary>
    public byte[]? Hash { get; set; }

    /// <summary>Which audit key sealed the row (an id derived from the key, not the key): a key change reads as such, not as tampering.</summary>
    public string? SealKeyId { get; set; }
}
