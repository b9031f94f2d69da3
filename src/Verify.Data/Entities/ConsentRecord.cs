namespace Verify.Data.Entities;

/// <summary>What a subject agreed to, under which policy version, when, and through which client.</summary>
public sealed class ConsentRecord
{
    public Guid Id { get; set; }

    public required string SubjectId { get; set; }

    public required string ClientId { get; set; }

    /// <summary>Processing of the face and document images for this verification.</summary>
    public bool BiometricProcessing { get; set; }

    /// <summary>Keeping a face template after a successful verification (for impersonation reports and re-verification).</summary>
    public bool TemplateStorage { get; set; }

    public required string PolicyVersion { get; set; }

    public DateTime GrantedAt { get; set; }

    /// <summary>When the subject withdrew it (deletion of their biometrics), if they did.</summary>
    public DateTime? WithdrawnAt { get; set; }
}
