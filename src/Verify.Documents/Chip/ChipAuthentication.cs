namespace Verify.Documents.Chip;

/// <summary>Why passive authentication of a chip failed; each has a stable snake_case code (<see cref="ChipAuthentication.Reason"/>).</summary>
public enum ChipAuthenticationFailure
{
    /// <summary><c>chip_signature_invalid</c> (reject): the SOD's signature does not verify with its own Document Signer
    /// certificate, or the SOD carries none.</summary>
    SignatureInvalid,

    /// <summary><c>chip_dg1_altered</c> (reject): DG1's hash differs from the one the SOD signs.</summary>
    Dg1Altered,

    /// <summary><c>chip_dg2_altered</c> (reject): DG2's hash differs from the one the SOD signs.</summary>
    Dg2Altered,

    /// <summary><c>chip_data_group_unsigned</c> (reject): the SOD has no hash for DG1 or for DG2.</summary>
    DataGroupUnsigned,

    /// <summary><c>chip_csca_unknown</c> (review): no CSCA in the trust store issued the Document Signer (a country
    /// the operator has not loaded, or an empty store); a person looks.</summary>
    CscaUnknown,

    /// <summary><c>chip_signer_untrusted</c> (reject): a CSCA in the store has the Document Signer's issuer name and key
    /// identifier, but the Document Signer certificate's signature does not verify with it (a forged Document Signer).</summary>
    SignerUntrusted,

    /// <summary><c>chip_signer_expired</c> (reject): the Document Signer or its CSCA was not valid at the signing time
    /// (at the time of the check when the SOD has no signing time).</summary>
    SignerExpired,

    /// <summary><c>chip_signer_revoked</c> (reject): the Document Signer's serial number is on a CRL its CSCA signed.</summary>
    SignerRevoked,

    /// <summary><c>chip_algorithm_unsupported</c> (reject): a hash or signature algorithm we do not accept (MD5, SHA-224,
    /// an unknown one, or a key .NET cannot load).</summary>
    UnsupportedAlgorithm,
}

/// <summary>The stable codes of <see cref="ChipAuthenticationFailure"/>, as the API reports them.</summary>
public static class ChipAuthenticationFailureCodes
{
    /// <summary>The snake_case code of <paramref name="failure"/>.</summary>
    public static string Code(this ChipAuthenticationFailure failure) => failure switch
    {
        ChipAuthenticationFailure.SignatureInvalid => "chip_signature_invalid",
        ChipAuthenticationFailure.Dg1Altered => "chip_dg1_altered",
        ChipAuthenticationFailure.Dg2Altered => "chip_dg2_altered",
        ChipAuthenticationFailure.DataGroupUnsigned => "chip_data_group_unsigned",
        ChipAuthenticationFailure.CscaUnknown => "chip_csca_unknown",
        ChipAuthenticationFailure.SignerUntrusted => "chip_signer_untrusted",
        ChipAuthenticationFailure.SignerExpired => "chip_signer_expired",
        ChipAuthenticationFailure.SignerRevoked => "chip_signer_revoked",
        ChipAuthenticationFailure.UnsupportedAlgorithm => "chip_algorithm_unsupported",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}

/// <summary>The outcome of passive authentication (ICAO Doc 9303 part 11) of a chip's DG1, DG2 and SOD.</summary>
public sealed record ChipAuthentication
{
    /// <summary>The SOD's signature, the data group hashes and the signer chain all hold.</summary>
    public bool Authenticated => Failure is null;

    /// <summary>The first check that failed; null when authenticated.</summary>
    public ChipAuthenticationFailure? Failure { get; init; }

    /// <summary>The failure's snake_case code; null when authenticated.</summary>
    public string? Reason => Failure?.Code();

    /// <summary>True only for <see cref="ChipAuthenticationFailure.CscaUnknown"/>, which a person reviews rather than a rejection.</summary>
    public bool IsReviewOnly => Failure == ChipAuthenticationFailure.CscaUnknown;

    /// <summary>The SOD's signing time; null when it has none.</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>The country (C=) of the Document Signer certificate's issuer; null when unknown.</summary>
    public string? SignerCountry { get; init; }

    /// <summary>The SOD's hash algorithm ("SHA-256"), or its OID when we do not accept it.</summary>
    public required string HashAlgorithm { get; init; }

    // The signing time dates the document's issue and the country hints at the holder's nationality: keep both out.
    public override string ToString() => $"ChipAuthentication {{ Authenticated = {Authenticated}, Reason = {Reason}, HashAlgorithm = {HashAlgorithm} }}";
}
