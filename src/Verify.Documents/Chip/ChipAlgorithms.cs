using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Documents.Chip;

/// <summary>What checking a signature found.</summary>
internal enum SignatureVerdict
{
    Valid,
    Invalid,
    UnsupportedAlgorithm,
}

/// <summary>An X.509 signed structure (a certificate or a CRL): the signed bytes, the algorithm and the signature.</summary>
internal sealed record SignedStructure(ReadOnlyMemory<byte> ToBeSigned, string AlgorithmOid, ReadOnlyMemory<byte>? Parameters, byte[] Signature)
{
    /// <summary>Splits SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING } (RFC 5280 Certificate and CertificateList).</summary>
    /// <exception cref="AsnContentException">The structure is not of that shape.</exception>
    public static SignedStructure Read(ReadOnlyMemory<byte> der)
    {
        var root = new AsnReader(der, AsnEncodingRules.DER);
        var outer = root.ReadSequence();
        root.ThrowIfNotEmpty();
        var tbs = outer.ReadEncodedValue();
        var (oid, parameters) = ChipAlgorithms.ReadAlgorithmIdentifier(outer);
        var signature = outer.ReadBitString(out var unused);
        if (unused != 0)
        {
            throw new AsnContentException("A signature is a whole number of bytes.");
        }

        outer.ThrowIfNotEmpty();
        return new SignedStructure(tbs, oid, parameters, signature);
    }

    /// <summary>Checks the signature with <paramref name="signer"/>'s public key.</summary>
    public SignatureVerdict VerifyWith(X509Certificate2 signer) => ChipAlgorithms.Verify(ToBeSigned.Span, AlgorithmOid, Parameters, Signature, signer);
}

/// <summary>The hash and signature algorithms that passive authentication accepts (ICAO Doc 9303 part 12).</summary>
internal static class ChipAlgorithms
{
    private const string Sha1 = "1.3.14.3.2.26";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";
    private const string Sha384 = "2.16.840.1.101.3.4.2.2";
    private const string Sha512 = "2.16.840.1.101.3.4.2.3";
    private const string RsaPss = "1.2.840.113549.1.1.10";
    private const string Mgf1 = "1.2.840.113549.1.1.8";

    // SHA-224 (2.16.840.1.101.3.4.2.4), which Doc 9303 also allows, is missing from .NET's hash algorithms: it is
    // reported as unsupported rather than computed by hand.
    private static readonly Dictionary<string, HashAlgorithmName> Hashes = new(StringComparer.Ordinal)
    {
        [Sha1] = HashAlgorithmName.SHA1,
        [Sha256] = HashAlgorithmName.SHA256,
        [Sha384] = HashAlgorithmName.SHA384,
        [Sha512] = HashAlgorithmName.SHA512,
    };

    private static readonly Dictionary<string, HashAlgorithmName> RsaPkcs1Signatures = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.5"] = HashAlgorithmName.SHA1,
        ["1.2.840.113549.1.1.11"] = HashAlgorithmName.SHA256,
        ["1.2.840.113549.1.1.12"] = HashAlgorithmName.SHA384,
        ["1.2.840.113549.1.1.13"] = HashAlgorithmName.SHA512,
    };

    private static readonly Dictionary<string, HashAlgorithmName> EcdsaSignatures = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.4.1"] = HashAlgorithmName.SHA1,
        ["1.2.840.10045.4.3.2"] = HashAlgorithmName.SHA256,
        ["1.2.840.10045.4.3.3"] = HashAlgorithmName.SHA384,
        ["1.2.840.10045.4.3.4"] = HashAlgorithmName.SHA512,
    };

    /// <summary>The CMS signature algorithms a SOD may name besides the ones above: the bare key algorithms and RSA-PSS.</summary>
    private static readonly HashSet<string> CmsKeyAlgorithms = new(StringComparer.Ordinal)
    {
        "1.2.840.113549.1.1.1", // rsaEncryption
        RsaPss,
        "1.2.840.10045.2.1", // id-ecPublicKey
    };

    /// <summary>Whether <paramref name="exception"/> is what .NET raises on bytes it cannot decode (a name, an extension, a
    /// key, a CMS structure), as opposed to a fault of ours.</summary>
    public static bool IsUndecodable(Exception exception) =>
        exception is CryptographicException or AsnContentException or FormatException or ArgumentException or OverflowException;

    /// <summary>The hash algorithm of an OID, or null when it is not one we accept (MD5, SHA-224, unknown).</summary>
    public static HashAlgorithmName? Hash(string oid) => Hashes.TryGetValue(oid, out var name) ? name : null;

    /// <summary>The name used in results: "SHA-256"; the OID itself for an algorithm we do not accept.</summary>
    public static string DisplayName(string oid) => Hash(oid) is { } name ? name.Name!.Replace("SHA", "SHA-", StringComparison.Ordinal) : oid;

    /// <summary>Whether a CMS signer's signature algorithm is one we accept.</summary>
    public static bool IsAcceptedCmsSignature(string oid) =>
        CmsKeyAlgorithms.Contains(oid) || RsaPkcs1Signatures.ContainsKey(oid) || EcdsaSignatures.ContainsKey(oid);

    /// <summary>Reads AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }.</summary>
    public static (string Oid, ReadOnlyMemory<byte>? Parameters) ReadAlgorithmIdentifier(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var oid = sequence.ReadObjectIdentifier();
        ReadOnlyMemory<byte>? parameters = sequence.HasData ? sequence.ReadEncodedValue() : null;
        sequence.ThrowIfNotEmpty();
        return (oid, parameters);
    }

    /// <summary>Checks an X.509 signature (RSA PKCS#1 v1.5, RSA-PSS or ECDSA) over <paramref name="data"/>.</summary>
    public static SignatureVerdict Verify(ReadOnlySpan<byte> data, string oid, ReadOnlyMemory<byte>? parameters, ReadOnlySpan<byte> signature,
        X509Certificate2 signer)
    {
        try
        {
            if (RsaPkcs1Signatures.TryGetValue(oid, out var hash))
            {
                return VerifyRsa(data, signature, signer, hash, RSASignaturePadding.Pkcs1);
            }

            if (oid == RsaPss)
            {
                return PssHash(parameters) is { } pssHash
                    ? VerifyRsa(data, signature, signer, pssHash, RSASignaturePadding.Pss)
                    : SignatureVerdict.UnsupportedAlgorithm;
            }

            if (EcdsaSignatures.TryGetValue(oid, out hash))
            {
                using var key = signer.GetECDsaPublicKey();
                return key is null ? SignatureVerdict.Invalid
                    : Verdict(key.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence));
            }
        }
        catch (CryptographicException)
        {
            // A key .NET cannot load (an unknown curve, explicit parameters it rejects): we cannot check it.
            return SignatureVerdict.UnsupportedAlgorithm;
        }

        return SignatureVerdict.UnsupportedAlgorithm;
    }

    private static SignatureVerdict VerifyRsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, X509Certificate2 signer,
        HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var key = signer.GetRSAPublicKey();
        return key is null ? SignatureVerdict.Invalid : Verdict(key.VerifyData(data, signature, hash, padding));
    }

    private static SignatureVerdict Verdict(bool valid) => valid ? SignatureVerdict.Valid : SignatureVerdict.Invalid;

    /// <summary>
    /// The hash of RSASSA-PSS-params (RFC 4055) when .NET can check it: MGF1 with the same hash and a salt as long as
    /// the hash, which is what Doc 9303 issuers use; null otherwise.
    /// </summary>
    private static HashAlgorithmName? PssHash(ReadOnlyMemory<byte>? parameters)
    {
        if (parameters is null)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(parameters.Value, AsnEncodingRules.DER).ReadSequence();
            var hashOid = Sha1;
            var mgfHashOid = Sha1;
            var salt = 20;
            if (reader.HasData && reader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                hashOid = ReadAlgorithmIdentifier(reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0))).Oid;
            }

            if (reader.HasData && reader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
            {
                var mgf = reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1)).ReadSequence();
                if (mgf.ReadObjectIdentifier() != Mgf1)
                {
                    return null;
                }

                mgfHashOid = ReadAlgorithmIdentifier(mgf).Oid;
            }

            if (reader.HasData && reader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2)))
            {
                if (!reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).TryReadInt32(out salt))
                {
                    return null;
                }
            }

            return Hash(hashOid) is { } hash && hashOid == mgfHashOid && salt == HashLength(hash) ? hash : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? 20 : hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
}
