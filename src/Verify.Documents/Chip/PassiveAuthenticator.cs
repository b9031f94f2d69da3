using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Documents.Chip;

/// <summary>
/// Passive authentication (ICAO Doc 9303 part 11): the SOD's CMS signature, the hashes of DG1 and DG2, and the
/// Document Signer's chain to a CSCA in the trust store, in that order; the first failure is the result.
/// </summary>
public sealed class PassiveAuthenticator(CscaTrustStore trust)
{
    private const int Dg1 = 1;
    private const int Dg2 = 2;

    /// <summary>Authenticates the chip files as of <paramref name="now"/> (used when the SOD has no signing time).</summary>
    /// <remarks>A SOD that parses but holds something .NET cannot decode (a name, an extension, a key) is a failure of the
    /// step that met it, never an exception: anyone can make such a SOD.</remarks>
    /// <exception cref="ChipDataException">The SOD is malformed or too large.</exception>
    public ChipAuthentication Authenticate(ReadOnlySpan<byte> sod, ReadOnlySpan<byte> dg1, ReadOnlySpan<byte> dg2, DateTimeOffset now)
    {
        var security = ChipSecurityObject.Read(sod);
        var signer = security.DocumentSigner;
        var result = new ChipAuthentication
        {
            HashAlgorithm = security.HashAlgorithm,
            SigningTime = security.SigningTime,
            SignerCountry = signer is null ? null : Country(signer.IssuerName),
        };
        ChipAuthenticationFailure? failure;
        try
        {
            failure = CheckSignature(security) ?? CheckHashes(security, dg1, dg2);
        }
        catch (Exception exception) when (ChipAlgorithms.IsUndecodable(exception))
        {
            failure = ChipAuthenticationFailure.SignatureInvalid;
        }

        return result with { Failure = failure ?? CheckSigner(signer!, security.SigningTime ?? now) };
    }

    private static ChipAuthenticationFailure? CheckSignature(ChipSecurityObject security)
    {
        var cms = security.Signer;
        if (ChipAlgorithms.Hash(cms.DigestAlgorithm.Value!) is null || !ChipAlgorithms.IsAcceptedCmsSignature(cms.SignatureAlgorithm.Value!))
        {
            return ChipAuthenticationFailure.UnsupportedAlgorithm;
        }

        if (security.DocumentSigner is null)
        {
            return ChipAuthenticationFailure.SignatureInvalid;
        }

        try
        {
            cms.CheckSignature(verifySignatureOnly: true);
            return null;
        }
        catch (Exception exception) when (ChipAlgorithms.IsUndecodable(exception))
        {
            return ChipAuthenticationFailure.SignatureInvalid;
        }
    }

    private static ChipAuthenticationFailure? CheckHashes(ChipSecurityObject security, ReadOnlySpan<byte> dg1, ReadOnlySpan<byte> dg2)
    {
        if (ChipAlgorithms.Hash(security.HashAlgorithmOid) is not { } hash)
        {
            return ChipAuthenticationFailure.UnsupportedAlgorithm;
        }

        if (!security.DataGroupHashes.TryGetValue(Dg1, out var signedDg1) || !security.DataGroupHashes.TryGetValue(Dg2, out var signedDg2))
        {
            return ChipAuthenticationFailure.DataGroupUnsigned;
        }

        if (!CryptographicOperations.HashData(hash, dg1).AsSpan().SequenceEqual(signedDg1))
        {
            return ChipAuthenticationFailure.Dg1Altered;
        }

        return CryptographicOperations.HashData(hash, dg2).AsSpan().SequenceEqual(signedDg2) ? null : ChipAuthenticationFailure.Dg2Altered;
    }

    private ChipAuthenticationFailure? CheckSigner(X509Certificate2 signer, DateTimeOffset signedAt)
    {
        List<X509Certificate2> candidates;
        try
        {
            candidates = trust.IssuersOf(signer).ToList();
        }
        catch (Exception exception) when (ChipAlgorithms.IsUndecodable(exception))
        {
            return ChipAuthenticationFailure.CscaUnknown;
        }

        if (candidates.Count == 0)
        {
            return ChipAuthenticationFailure.CscaUnknown;
        }

        try
        {
            return CheckChain(signer, candidates, signedAt);
        }
        catch (Exception exception) when (ChipAlgorithms.IsUndecodable(exception))
        {
            return ChipAuthenticationFailure.SignerUntrusted;
        }
    }

    private ChipAuthenticationFailure? CheckChain(X509Certificate2 signer, List<X509Certificate2> candidates, DateTimeOffset signedAt)
    {
        var signed = SignedStructure.Read(signer.RawDataMemory);
        var verdicts = candidates.Select(csca => (Csca: csca, Verdict: signed.VerifyWith(csca))).ToList();
        if (verdicts.FirstOrDefault(v => v.Verdict == SignatureVerdict.Valid).Csca is not { } issuer)
        {
            return verdicts.All(v => v.Verdict == SignatureVerdict.UnsupportedAlgorithm)
                ? ChipAuthenticationFailure.UnsupportedAlgorithm
                : ChipAuthenticationFailure.SignerUntrusted;
        }

        if (!ValidAt(signer, signedAt) || !ValidAt(issuer, signedAt))
        {
            return ChipAuthenticationFailure.SignerExpired;
        }

        return trust.IsRevoked(signer) ? ChipAuthenticationFailure.SignerRevoked : null;
    }

    private static bool ValidAt(X509Certificate2 certificate, DateTimeOffset time) =>
        new DateTimeOffset(certificate.NotBefore) <= time && time <= new DateTimeOffset(certificate.NotAfter);

    /// <summary>The C= of a name, X.520 country (OID 2.5.4.6); null when it has none or .NET cannot decode it.</summary>
    private static string? Country(X500DistinguishedName name)
    {
        try
        {
            return name.EnumerateRelativeDistinguishedNames()
                .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.6")
                .Select(rdn => rdn.GetSingleElementValue())
                .FirstOrDefault();
        }
        catch (Exception exception) when (ChipAlgorithms.IsUndecodable(exception))
        {
            return null;
        }
    }
}
