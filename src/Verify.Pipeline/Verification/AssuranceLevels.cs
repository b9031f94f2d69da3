namespace Verify.Pipeline.Verification;

/// <summary>What a granted badge rests on (the <c>assurance_level</c> of <c>IdentityVerified</c>, docs/api.md).</summary>
public static class AssuranceLevels
{
    /// <summary>A valid machine-readable document whose portrait matches the selfie; liveness not evaluated.</summary>
    public const string DocumentAndFace = "document_and_face";

    /// <summary>As <see cref="DocumentAndFace"/>, and the selfie passed passive liveness (and the frame checks, when frames were sent).</summary>
    public const string DocumentFaceAndLiveness = "document_face_liveness";

    /// <summary>As <see cref="DocumentFaceAndLiveness"/>, and the frames showed a single-use challenge's instruction.</summary>
    public const string DocumentFaceAndChallenge = "document_face_liveness_challenge";
}
