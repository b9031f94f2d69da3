namespace Verify.Data.Entities;

/// <summary>Who did what to which verification or subject, and when. Codes and ids only, never personal data.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary>The API client, reviewer key or system job that acted.</summary>
    public required string Actor { get; set; }

    /// <summary>A stable code: verification.submitted, biometrics.deleted, blob.purged, ...</summary>
    public required string Action { get; set; }

    public string? SubjectId { get; set; }

    public Guid? VerificationId { get; set; }
}
