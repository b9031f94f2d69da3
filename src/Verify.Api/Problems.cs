namespace Verify.Api;

/// <summary>
/// Every error the API answers with, as RFC 9457 problem details with a stable type per error
/// (<c>urn:verify:problem:{code}</c>, documented in docs/api.md). Details never echo personal data or uploaded bytes.
/// </summary>
internal static class Problems
{
    public static IResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: Type(code), extensions: all);
    }

    public static string Type(string code) => $"urn:verify:problem:{code}";

    public static IResult MissingField(string field, string? detail = null) =>
        Create(StatusCodes.Status400BadRequest, "missing_field", "A required field is missing.", detail ?? $"The field '{field}' is required.", Field(field));

    public static IResult InvalidField(string field, string detail) =>
        Create(StatusCodes.Status400BadRequest, "invalid_field", "A field is not valid.", detail, Field(field));

    public static IResult ConsentRequired() =>
        Create(StatusCodes.Status422UnprocessableEntity, "consent_required", "Consent to biometric processing is required.",
            "The subject must consent to biometric processing (biometric_processing=true) before anything is stored or processed.",
            Field("biometric_processing"));

    public static IResult NotMultipart() =>
        Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The request must be multipart/form-data.",
            "Send the images and fields as multipart/form-data.");

    public static IResult RequestTooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "request_too_large", "The request is too large.",
            $"The whole request may be at most {limit} bytes.", new Dictionary<string, object?> { ["limit_bytes"] = limit });

    public static IResult FileTooLarge(string field, long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "file_too_large", "An image is too large.",
            $"Each image may be at most {limit} bytes; '{field}' is larger.", new Dictionary<string, object?> { ["field"] = field, ["limit_bytes"] = limit });

    public static IResult NotFound() =>
        Create(StatusCodes.Status404NotFound, "not_found", "Not found.", "There is no such resource, or it is not yours.");

    public static IResult IdempotencyKeyReused() =>
        Create(StatusCodes.Status409Conflict, "idempotency_key_reused", "The Idempotency-Key was used for another request.",
            "This Idempotency-Key belongs to a different submission; use a new key for a new submission.");

    public static IResult InvalidIdempotencyKey() =>
        Create(StatusCodes.Status400BadRequest, "invalid_idempotency_key", "The Idempotency-Key header is not valid.",
            "An Idempotency-Key is 1 to 128 printable ASCII characters.");

    public static IResult ChallengeUnknown() =>
        Create(StatusCodes.Status422UnprocessableEntity, "challenge_unknown", "The liveness challenge is not known.",
            "liveness_challenge is not a nonce issued to this client by POST /v1/liveness-challenges.", Field("liveness_challenge"));

    public static IResult ChallengeUsed() =>
        Create(StatusCodes.Status409Conflict, "challenge_used", "The liveness challenge was already used.",
            "Each challenge answers one submission; ask for a new one.", Field("liveness_challenge"));

    public static IResult ChallengeExpired() =>
        Create(StatusCodes.Status422UnprocessableEntity, "challenge_expired", "The liveness challenge has expired.",
            "Ask for a new challenge and take the frames again.", Field("liveness_challenge"));

    private static Dictionary<string, object?> Field(string field) => new() { ["field"] = field };
}
