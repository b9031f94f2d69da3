namespace Verify.Data.Entities;

/// <summary>Where a verification stands; the last three are final.</summary>
public enum VerificationState
{
    Queued,
    Processing,
    Verified,
    Rejected,
    NeedsReview,
}

/// <summary>
/// The one word for each <see cref="VerificationState"/>: what the database stores, the API answers, the webhooks send
/// and the audit records (<c>verification.{word}</c>).
/// </summary>
public static class VerificationStateWords
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Verified = "verified";
    public const string Rejected = "rejected";
    public const string NeedsReview = "needs_review";

    public static string Of(VerificationState state) => state switch
    {
        VerificationState.Queued => Queued,
        VerificationState.Processing => Processing,
        VerificationState.Verified => Verified,
        VerificationState.Rejected => Rejected,
        VerificationState.NeedsReview => NeedsReview,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>
    /// The state a stored word names. The enum names stored before the StoreStateWords migration (NeedsReview) are read
    /// too, so rows that a process of the previous version writes during an upgrade stay readable; any other word throws.
    /// </summary>
    public static VerificationState Parse(string word) => word switch
    {
        Queued => VerificationState.Queued,
        Processing => VerificationState.Processing,
        Verified => VerificationState.Verified,
        Rejected => VerificationState.Rejected,
        NeedsReview => VerificationState.NeedsReview,
        _ when word is { Length: > 0 } && char.IsAsciiLetterUpper(word[0]) && Enum.TryParse<VerificationState>(word, out var legacy) => legacy,
        _ => throw new FormatException($"'{word}' is not a verification state."),
    };
}

/// <summary>One submission and its outcome. Holds codes, scores and timings only: never images or document text.</summary>
public sealed class VerificationRecord
{
    public Guid Id { get; set; }

    /// <summary>The API client (platform service) that submitted it.</summary>
    public required string ClientId { get; set; }

    /// <summary>The platform's opaque id of the person verifying.</summary>
    public required string SubjectId { get; set; }

    /// <summary>The client's Idempotency-Key, unique per client when given.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the request's parts, so a reused key with a different request is refused instead of answered wrongly.</summary>
    public byte[]? RequestHash { get; set; }

    public Guid ConsentId { get; set; }

    /// <summary>The instruction of the liveness challenge the selfie frames answer (turn_left, ...), when one was used.</summary>
    public string? LivenessChallenge { get; set; }

    public VerificationState State { get; set; }

    /// <summary>Machine-readable reasons (face_mismatch, mrz_checksum_failed, ...).</summary>
    public List<string> Reasons { get; set; } = [];

    /// <summary>Scores, model versions and stage timings as JSON; no personal data.</summary>
    public string? ResultJson { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>When the uploaded images were deleted (at the decision, or after the review window).</summary>
    public DateTime? ImagesDeletedAt { get; set; }

    /// <summary>
    /// Until when the command may still be waiting (queued) or running (processing); once past it and still undecided,
    /// the re-driver sends the command again. Null until the first lease is written (rows from before leases too): such
    /// a row counts as leased until its acceptance plus Messaging:QueuedLease, and is re-driven once that is past.
    /// </summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>
    /// How many times the re-driver sent the command again after a worker's processing lease lapsed (re-drives of a
    /// command that only waited in the queue do not count); past the configured maximum it gives up (processing_failed).
    /// </summary>
    public int RedriveCount { get; set; }
}
