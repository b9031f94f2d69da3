namespace Verify.Pipeline.Verification;

/// <summary>The stable, machine-readable reasons a decision gives (documented in docs/api.md). Never personal data.</summary>
public static class DecisionReasons
{
    public const string DocumentUnreadable = "document_unreadable";
    public const string MrzUnreadable = "mrz_unreadable";
    public const string MrzChecksumFailed = "mrz_checksum_failed";
    public const string DocumentExpired = "document_expired";
    public const string Underage = "underage";
    public const string DocumentInvalid = "document_invalid";
    public const string NoFaceOnDocument = "no_face_on_document";
    public const string SelfieUnreadable = "selfie_unreadable";
    public const string NoFaceInSelfie = "no_face_in_selfie";
    public const string MultipleFacesInSelfie = "multiple_faces_in_selfie";
    public const string FaceMismatch = "face_mismatch";
    public const string FaceMatchUncertain = "face_match_uncertain";
    public const string FaceMatchNotEvaluated = "face_match_not_evaluated";
    public const string LivenessNotEvaluated = "liveness_not_evaluated";

    /// <summary>A licence's PDF417 was decoded but is not readable AAMVA data.</summary>
    public const string BarcodeUnreadable = "barcode_unreadable";

    /// <summary>The chip's data groups could not be parsed (the API refuses malformed ones; this covers what only the pipeline sees).</summary>
    public const string ChipDataInvalid = "chip_data_invalid";

    /// <summary>
    /// The passive-authentication outcomes that are reasons of their own (the codes of <c>ChipAuthenticationFailure</c>):
    /// each says what was forged or altered, so they are not folded into <see cref="DocumentInvalid"/>.
    /// </summary>
    public static bool IsChipReason(string code) => code.StartsWith("chip_", StringComparison.Ordinal);

    /// <summary>The images expired or vanished before the pipeline ran.</summary>
    public const string ImagesUnavailable = "images_unavailable";

    /// <summary>The subject withdrew consent while the verification ran.</summary>
    public const string ConsentWithdrawn = "consent_withdrawn";

    /// <summary>The document (by fingerprint) is already verified for another subject of the same client.</summary>
    public const string DuplicateDocument = "duplicate_identity:document";

    /// <summary>The selfie matches another subject's stored template (1:N search within the same client).</summary>
    public const string DuplicateFace = "duplicate_identity:face";

    /// <summary>Processing failed on every attempt (a fault, not a finding about the person): a reviewer decides.</summary>
    public const string ProcessingFailed = "processing_failed";

    /// <summary>The selfie is not a live capture: liveness_failed:spoof, :static, :different_people, :challenge_not_met.</summary>
    public static string LivenessFailed(string failure) => $"liveness_failed:{failure}";

    /// <summary>The selfie's capture is too poor: low_quality:blur, :face_too_small, :overexposed, ... (the app can ask for a retake).</summary>
    public static string LowQuality(string failure) => $"low_quality:{failure}";
}
