namespace Verify.Data.Entities;

/// <summary>
/// A consented face embedding, encrypted (AES-GCM, see <see cref="Protection.PayloadProtector"/>). A template is only
/// ever compared with embeddings of the same model id and version.
/// </summary>
public sealed class FaceTemplate
{
    public Guid Id { get; set; }

    public required string SubjectId { get; set; }

    public Guid VerificationId { get; set; }

    public required string ModelId { get; set; }

    public required string ModelVersion { get; set; }

    /// <summary>The protected embedding: header with key id, nonce, tag and ciphertext.</summary>
    public required byte[] Ciphertext { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime LastUsedAt { get; set; }

    /// <summary>Deleted by the retention job from this time (by default three years after last use).</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>
    /// Kept for a verification a reviewer has yet to decide: never compared with anything, made an ordinary template if
    /// the reviewer approves and deleted otherwise (or at the end of the review window, its <see cref="ExpiresAt"/>).
    /// </summary>
    public bool HeldForReview { get; set; }
}
