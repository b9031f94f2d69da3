namespace Verify.Synthetic.Chip;

/// <summary>
/// How <see cref="SyntheticChipIssuer.Issue"/> spoils a chip set. Each tamper, checked against the issuer's own trust
/// store (<see cref="SyntheticChipIssuer.WriteTrustStore"/> with its defaults, or <see cref="SyntheticChipIssuer.Csca"/>
/// with <see cref="SyntheticChipIssuer.Crl"/>), gives exactly its own passive authentication failure.
/// </summary>
public enum ChipTamper
{
    /// <summary>A genuine set: it authenticates (unless the store's CRL revokes <see cref="SyntheticChipIssuer.DocumentSigner"/>).</summary>
    None,

    /// <summary>One MRZ character in DG1 changed after signing (the surname's first letter): <c>chip_dg1_altered</c>.</summary>
    Dg1ByteChanged,

    /// <summary>One byte in the middle of DG2's image changed after signing: <c>chip_dg2_altered</c>.</summary>
    Dg2ByteChanged,

    /// <summary>The last byte of the SOD's CMS signature changed: <c>chip_signature_invalid</c>.</summary>
    SignatureBroken,

    /// <summary>Signed by a Document Signer whose certificate has the CSCA's issuer name and key identifier but was
    /// signed by another key: <c>chip_signer_untrusted</c>.</summary>
    ForgedSigner,

    /// <summary>Signed by a Document Signer of another CSCA (with another name) that the trust store does not hold:
    /// <c>chip_csca_unknown</c>.</summary>
    UnknownCsca,

    /// <summary>Signed by a Document Signer of the CSCA whose validity ended before the SOD's signing time:
    /// <c>chip_signer_expired</c>.</summary>
    ExpiredSigner,

    /// <summary>Signed by a second Document Signer of the CSCA (<see cref="SyntheticChipIssuer.RevokedDocumentSigner"/>)
    /// that every <see cref="SyntheticChipIssuer.Crl"/> lists, so any trust store the issuer writes (or the CSCA with
    /// that CRL) gives <c>chip_signer_revoked</c>; a store without the CRL authenticates it.</summary>
    RevokedSigner,
}

/// <summary>The three files a phone reads from a chip, as the API receives them.</summary>
public sealed record ChipFiles(byte[] Dg1, byte[] Dg2, byte[] Sod)
{
    // DG1 is the MRZ and DG2 the face: print sizes only.
    public override string ToString() => $"ChipFiles {{ Dg1 = {Dg1.Length} bytes, Dg2 = {Dg2.Length} bytes, Sod = {Sod.Length} bytes }}";
}

/// <summary>The key type of a synthetic issuer's CSCA and Document Signers.</summary>
public enum ChipSigningKey
{
    /// <summary>ECDSA on P-256 (fast; the default).</summary>
    EcdsaP256,

    /// <summary>ECDSA on brainpoolP256r1, the curve many European issuers use.</summary>
    EcdsaBrainpoolP256,

    /// <summary>RSA 2048: PKCS#1 v1.5 for the CSCA's own certificate and CRLs, RSA-PSS for Document Signer certificates and SODs.</summary>
    Rsa2048,
}
