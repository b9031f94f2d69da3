namespace Verify.Data.Entities;

/// <summary>What an uploaded image is for.</summary>
public enum BlobKind
{
    DocumentFront,
    DocumentBack,
    Selfie,

    /// <summary>The portrait the pipeline cut from the document, kept (as JPEG) only for a case a reviewer will see.</summary>
    DocumentPortrait,

    /// <summary>An image of an impersonation report's reported account (the record's VerificationId is the report id).</summary>
    ReportedImage,

    /// <summary>A chip's data group 1 (the MRZ), as the phone read it: binary, not an image; kept and deleted as the document images are.</summary>
    ChipDg1,

    /// <summary>A chip's data group 2 (the face image in its ISO/IEC 19794-5 record).</summary>
    ChipDg2,

    /// <summary>A chip's document security object (the issuer's signature over the data groups).</summary>
    ChipSod,
}

/// <summary>
/// The index entry of an encrypted uploaded image: whose it is, what it is and when it must be gone. The encrypted
/// content lives in the configured content store (a local directory, or <see cref="Content"/> in the database).
/// </summary>
public sealed class BlobRecord
{
    public Guid Id { get; set; }

    public required string SubjectId { get; set; }

    public Guid VerificationId { get; set; }

    public BlobKind Kind { get; set; }

    /// <summary>Order among images of the same kind (selfie frames in capture order).</summary>
    public int Sequence { get; set; }

    /// <summary>Size of the plaintext in bytes (for quotas and metrics).</summary>
    public long Length { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The time to live ends here: the purge job deletes whatever is still stored.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>The encrypted content when the database is the content store; null otherwise.</summary>
    public byte[]? Content { get; set; }
}
