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

    /// <summary>As <see cref="DocumentAndFace"/>, with the document read from its chip and passively authenticated: the data and the portrait are the issuer's, unaltered.</summary>
    public const string ChipAndFace = "chip_and_face";

    /// <summary>As <see cref="DocumentFaceAndLiveness"/>, from an authenticated chip.</summary>
    public const string ChipFaceAndLiveness = "chip_face_liveness";

    /// <summary>As <see cref="DocumentFaceAndChallenge"/>, from an authenticated chip.</summary>
    public const string ChipFaceAndChallenge = "chip_face_liveness_challenge";

    /// <summary>The level of a verification: an authenticated chip or not, then how far liveness went.</summary>
    public static string Of(bool chipAuthenticated, bool live, bool challenged) => (chipAuthenticated, live, challenged) switch
    {
        (true, true, true) => ChipFaceAndChallenge,
        (true, true, false) => ChipFaceAndLiveness,
        (true, false, _) => ChipAndFace,
        (false, true, true) => DocumentFaceAndChallenge,
        (false, true, false) => DocumentFaceAndLiveness,
        _ => DocumentAndFace,
    };
}
