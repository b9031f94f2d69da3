namespace Verify.Data.Entities;

/// <summary>Where an impersonation report stands: accepted, being assessed, assessed (final).</summary>
public enum ImpersonationReportState
{
    Queued,
    Processing,
    Completed,
}

/// <summary>The one word for each <see cref="ImpersonationReportState"/>: what the database stores and the API answers.</summary>
public static class ImpersonationReportStateWords
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Completed = "completed";

    public static string Of(ImpersonationReportState state) => state switch
    {
        ImpersonationReportState.Queued => Queued,
        ImpersonationReportState.Processing => Processing,
        ImpersonationReportState.Completed => Completed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static ImpersonationReportState Parse(string word) => word switch
    {
        Queued => ImpersonationReportState.Queued,
        Processing => ImpersonationReportState.Processing,
        Completed => ImpersonationReportState.Completed,
        _ => throw new FormatException($"'{word}' is not an impersonation report state."),
    };
}

/// <summary>The stable codes of what an assessed report suggests to the reviewer (docs/api.md).</summary>
public static class ImpersonationSuggestions
{
    /// <summary>A face in the images reaches the 1:1 verification threshold against the claimed subject's template.</summary>
    public const string LikelySamePerson = "likely_same_person";

    /// <summary>Every face scores below the lower calibrated bound: the images most likely show someone else.</summary>
    public const string LikelyNot = "likely_not";

    /// <summary>The best score lies between the lower bound and the verification threshold.</summary>
    public const string CannotTell = "cannot_tell";

    /// <summary>The claimed subject has no usable consented template from this client's verifications: nothing was compared.</summary>
    public const string NoTemplate = "no_template";

    /// <summary>No face was found in any of the images.</summary>
    public const string NoFace = "no_face";

    /// <summary>An image passed the API's header check but the worker could not decode it: nothing was compared.</summary>
    public const string ImagesUnreadable = "images_unreadable";

    /// <summary>The images expired or were deleted before a worker assessed them.</summary>
    public const string ImagesUnavailable = "images_unavailable";

    /// <summary>The assessment failed on every attempt (a fault, not a finding): a reviewer looks.</summary>
    public const string AssessmentFailed = "assessment_failed";
}

/// <summary>
/// "Account A pretends to be verified person B": the reported account's images compared with the claimed subject's
/// consented templates, and what the comparison suggests. Codes, scores and opaque ids only; the images themselves are
/// encrypted blobs keyed by the report id (<see cref="BlobKind.ReportedImage"/>), under the same retention as
/// verification images.
/// </summary>
public sealed class ImpersonationReport
{
    public Guid Id { get; set; }

    /// <summary>The API client (tenant) that filed it; only that client's templates are compared.</summary>
    public required string ClientId { get; set; }

    /// <summary>The platform's opaque id of the account reported as an impersonator.</summary>
    public required string ReportedAccountId { get; set; }

    /// <summary>The subject the account is said to pretend to be.</summary>
    public required string ClaimedSubjectId { get; set; }

    /// <summary>The client's Idempotency-Key, unique per client when given.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the request's fields and images, so a reused key with another request is refused.</summary>
    public byte[]? RequestHash { get; set; }

    public ImpersonationReportState State { get; set; }

    /// <summary>How many images were sent (1 to 10).</summary>
    public int ImageCount { get; set; }

    /// <summary>Faces found over all images; null when none were looked for (no template, images gone).</summary>
    public int? FacesFound { get; set; }

    /// <summary>How many stored templates (one per verification) the faces were compared with.</summary>
    public int TemplatesCompared { get; set; }

    /// <summary>The best match score over every face and every template; null when nothing was compared.</summary>
    public double? BestSimilarity { get; set; }

    /// <summary>The verification threshold (the configured false accept rate) the score was held to.</summary>
    public double? MatchThreshold { get; set; }

    /// <summary>The lower calibrated bound: below it the suggestion is <see cref="ImpersonationSuggestions.LikelyNot"/>.</summary>
    public double? LikelyNotBelow { get; set; }

    /// <summary>The matcher whose score this is (a model id, or fusion).</summary>
    public string? ModelId { get; set; }

    /// <summary>The model versions behind the score; templates of any other version are never compared.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>One of <see cref="ImpersonationSuggestions"/> once completed.</summary>
    public string? Suggestion { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>When the images were deleted (the claimed subject's erasure); otherwise they go with their time to live.</summary>
    public DateTime? ImagesDeletedAt { get; set; }

    /// <summary>Until when the command may still be waiting or running; past it and still open, the re-driver sends it again.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>
    /// How many times the re-driver sent the command again after a worker's processing lease lapsed (re-drives of a
    /// command that only waited in the queue do not count); past the configured maximum it gives up (assessment_failed).
    /// </summary>
    public int RedriveCount { get; set; }
}
