namespace Verify.Data.Entities;

/// <summary>
/// A single-use liveness challenge: an instruction the selfie frames must show, bound to a random nonce. Only the
/// nonce's SHA-256 is stored, so a database copy cannot be used to answer a challenge. Holds nothing about a person.
/// </summary>
public sealed class LivenessChallenge
{
    public Guid Id { get; set; }

    /// <summary>The API client it was issued to; only that client may use it.</summary>
    public required string ClientId { get; set; }

    public required byte[] NonceHash { get; set; }

    /// <summary>What the frames must show: turn_left, turn_right or look_up.</summary>
    public required string Instruction { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>Set once, by the submission that used it; a used challenge is refused.</summary>
    public DateTime? UsedAt { get; set; }

    public Guid? VerificationId { get; set; }
}
