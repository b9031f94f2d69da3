using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Verify.Documents.Chip;
using Verify.Documents.Mrz;

namespace Verify.Synthetic.Chip;

/// <summary>
/// A test issuing state: a self-signed CSCA and the Document Signers it issues (made with .NET's CertificateRequest,
/// with the key usage and key identifier extensions of the ICAO Doc 9303 part 12 profiles), which issues chip files
/// (DG1, DG2, SOD) for synthetic identities, genuine or spoilt (<see cref="ChipTamper"/>).
/// </summary>
/// <remarks>Certificate subjects carry C= as the first two letters of the ICAO code (UTO: UT). Not thread-safe.</remarks>
public sealed class SyntheticChipIssuer : IDisposable
{
    private static readonly HashAlgorithmName Sha256 = HashAlgorithmName.SHA256;

    private readonly ChipSigningKey _keyType;
    private readonly DateTimeOffset _now;
    private readonly List<IDisposable> _owned = [];
    private readonly AsymmetricAlgorithm _cscaKey;
    private readonly Lazy<X509Certificate2> _forgedSigner;
    private readonly Lazy<X509Certificate2> _unknownSigner;
    private readonly Lazy<X509Certificate2> _expiredSigner;
    private readonly Lazy<X509Certificate2> _masterListSigner;

    private SyntheticChipIssuer(string country, DateTimeOffset now, ChipSigningKey keyType)
    {
        Country = country;
        _now = now;
        _keyType = keyType;
        _cscaKey = NewKey();
        Csca = Certify(Name("CSCA"), _cscaKey, issuer: null, _cscaKey, ca: true, now.AddYears(-3), now.AddYears(12));
        DocumentSigner = IssueSigner("Document Signer 1", now.AddDays(-30), now.AddYears(5));
        RevokedDocumentSigner = IssueSigner("Document Signer 2", now.AddDays(-30), now.AddYears(5));
        _expiredSigner = new(() => IssueSigner("Document Signer 0", now.AddDays(-400), SigningTime.AddDays(-1)));
        _forgedSigner = new(() =>
        {
            // The CSCA's name and key identifier, but signed by a stranger's key.
            var stranger = NewKey();
            return Certify(Name("Document Signer 1"), NewKey(), Csca, stranger, ca: false, now.AddDays(-30), now.AddYears(5));
        });
        _unknownSigner = new(() =>
        {
            var otherKey = NewKey();
            var other = Own(Certify(Name("CSCA (not in the trust store)"), otherKey, issuer: null, otherKey, ca: true, now.AddYears(-3), now.AddYears(12)));
            return Certify(Name("Document Signer 1"), NewKey(), other, otherKey, ca: false, now.AddDays(-30), now.AddYears(5));
        });
        _masterListSigner = new(() => IssueSigner("Master List Signer", now.AddDays(-30), now.AddYears(5)));
    }

    /// <summary>The ICAO code of the issuing state.</summary>
    public string Country { get; }

    /// <summary>The Country Signing CA certificate (self-signed, with its private key).</summary>
    public X509Certificate2 Csca { get; }

    /// <summary>The Document Signer that signs genuine chips (with its private key).</summary>
    public X509Certificate2 DocumentSigner { get; }

    /// <summary>A second Document Signer of the CSCA, listed on every CRL the issuer makes (<see cref="ChipTamper.RevokedSigner"/>).</summary>
    public X509Certificate2 RevokedDocumentSigner { get; }

    /// <summary>The SOD's signing time: a day before the issuer's "now".</summary>
    public DateTimeOffset SigningTime => _now.AddDays(-1);

    /// <summary>A new issuer, as of <paramref name="now"/> (the wall clock by default), with ECDSA (P-256 or brainpoolP256r1) or RSA 2048 keys.</summary>
    public static SyntheticChipIssuer Create(string country = "UTO", DateTimeOffset? now = null, ChipSigningKey key = ChipSigningKey.EcdsaP256)
    {
        ArgumentNullException.ThrowIfNull(country);
        if (country.Length != 3 || !country.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException("The issuing state is a three-letter ICAO code such as UTO.", nameof(country));
        }

        return new SyntheticChipIssuer(country, now ?? TimeProvider.System.GetUtcNow(), key);
    }

    /// <summary>
    /// The chip files for <paramref name="identity"/>: DG1 with its MRZ, DG2 with <paramref name="face"/>'s bytes in a
    /// 19794-5 record, and a SOD (SHA-256 hashes of both, signed in CMS with a signing time unless
    /// <paramref name="withSigningTime"/> is false), spoilt as <paramref name="tamper"/> says.
    /// </summary>
    public ChipFiles Issue(MrzIdentity identity, ChipFaceImage face, ChipTamper tamper = ChipTamper.None, bool withSigningTime = true)
    {
        ArgumentNullException.ThrowIfNull(face);
        var mrz = MrzComposer.Compose(identity);
        var dg1 = ChipDataGroupEncoder.Dg1(mrz);
        var dg2 = ChipDataGroupEncoder.Dg2(face);
        var signer = tamper switch
        {
            ChipTamper.ForgedSigner => _forgedSigner.Value,
            ChipTamper.UnknownCsca => _unknownSigner.Value,
            ChipTamper.ExpiredSigner => _expiredSigner.Value,
            ChipTamper.RevokedSigner => RevokedDocumentSigner,
            _ => DocumentSigner,
        };
        var sod = Sod(ChipDataGroupEncoder.Sha256Hashes(dg1, dg2), ChipDataGroupEncoder.Sha256Oid, signer,
            withSigningTime ? SigningTime : null, breakSignature: tamper == ChipTamper.SignatureBroken);
        switch (tamper)
        {
            case ChipTamper.Dg1ByteChanged:
                // The MRZ is DG1's last bytes; position 5 is the first letter of the surname on TD2/TD3.
                var at = dg1.Length - mrz.Sum(line => line.Length) + 5;
                dg1[at] = dg1[at] == (byte)'X' ? (byte)'Y' : (byte)'X';
                break;
            case ChipTamper.Dg2ByteChanged:
                dg2[dg2.Length - (face.Image.Length / 2) - 1] ^= 0x01;
                break;
        }

        return new ChipFiles(dg1, dg2, sod);
    }

    /// <summary>A SOD over any hashes with any hash algorithm OID, signed by one of this issuer's signers.</summary>
    internal byte[] Sod(IReadOnlyDictionary<int, byte[]> hashes, string hashAlgorithmOid, X509Certificate2 signer,
        DateTimeOffset? signingTime, bool breakSignature = false)
    {
        var content = ChipDataGroupEncoder.LdsSecurityObject(hashAlgorithmOid, hashes);
        var cms = Sign(LdsTags.LdsSecurityObjectOid, content, signer, signingTime);
        if (breakSignature)
        {
            var signature = cms.SignerInfos[0].GetSignature();
            var encoded = cms.Encode();
            var at = encoded.AsSpan().IndexOf(signature) + signature.Length - 1;
            encoded[at] ^= 0x01;
            return ChipDataGroupEncoder.SodTemplate(encoded);
        }

        return ChipDataGroupEncoder.SodTemplate(cms.Encode());
    }

    /// <summary>A DER CRL signed by the CSCA, listing <see cref="RevokedDocumentSigner"/> and, when
    /// <paramref name="revokeSigner"/>, <see cref="DocumentSigner"/> too.</summary>
    public byte[] Crl(bool revokeSigner)
    {
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(RevokedDocumentSigner, _now.AddDays(-2), X509RevocationReason.KeyCompromise);
        if (revokeSigner)
        {
            builder.AddEntry(DocumentSigner, _now.AddDays(-2), X509RevocationReason.KeyCompromise);
        }

        return builder.Build(Csca, BigInteger.One, _now.AddDays(90), Sha256,
            _keyType == ChipSigningKey.Rsa2048 ? RSASignaturePadding.Pkcs1 : null, _now.AddHours(-1));
    }

    /// <summary>An ICAO master list (CMS SignedData over CscaMasterList) holding the CSCA, signed by a Master List Signer the CSCA issued.</summary>
    public byte[] MasterList()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSetOf())
            {
                writer.WriteEncodedValue(Csca.RawData);
            }
        }

        return Sign(LdsTags.CscaMasterListOid, writer.Encode(), _masterListSigner.Value, signingTime: null).Encode();
    }

    /// <summary>Writes the CSCA (as a DER .cer, or in an ICAO master list .ml) and its CRL (.crl) into <paramref name="folder"/>.</summary>
    public void WriteTrustStore(string folder, bool revokeSigner = false, bool asMasterList = false)
    {
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"csca-{Country.ToLowerInvariant()}-{Csca.Thumbprint[..8].ToLowerInvariant()}");
        if (asMasterList)
        {
            File.WriteAllBytes(stem + ".ml", MasterList());
        }
        else
        {
            File.WriteAllBytes(stem + ".cer", Csca.RawData);
        }

        File.WriteAllBytes(stem + ".crl", Crl(revokeSigner));
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
    }

    private SignedCms Sign(string contentType, byte[] content, X509Certificate2 signer, DateTimeOffset? signingTime)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(contentType), content), detached: false);
        var cmsSigner = _keyType == ChipSigningKey.Rsa2048
            ? new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer, signer.GetRSAPrivateKey(), RSASignaturePadding.Pss)
            : new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer);
        cmsSigner.DigestAlgorithm = new Oid(ChipDataGroupEncoder.Sha256Oid);
        cmsSigner.IncludeOption = X509IncludeOption.EndCertOnly;
        if (signingTime is { } time)
        {
            cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(time.UtcDateTime));
        }

        cms.ComputeSignature(cmsSigner, silent: true);
        return cms;
    }

    private X509Certificate2 IssueSigner(string role, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        Certify(Name(role), NewKey(), Csca, _cscaKey, ca: false, notBefore, notAfter);

    /// <summary>A certificate for <paramref name="subjectKey"/>, signed with <paramref name="signingKey"/> in the name of
    /// <paramref name="issuer"/> (self-signed when null), with its private key.</summary>
    private X509Certificate2 Certify(X500DistinguishedName subject, AsymmetricAlgorithm subjectKey, X509Certificate2? issuer,
        AsymmetricAlgorithm signingKey, bool ca, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = subjectKey switch
        {
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, Sha256),
            RSA rsa => new CertificateRequest(subject, rsa, Sha256, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException(),
        };
        var subjectKeyId = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        if (ca)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        }
        else
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        }

        request.CertificateExtensions.Add(subjectKeyId);
        var authorityKeyId = issuer is null
            ? subjectKeyId.SubjectKeyIdentifierBytes.ToArray()
            : issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(authorityKeyId));

        // Document Signer certificates from an RSA CSCA are signed with RSA-PSS; the CSCA's own with PKCS#1 v1.5.
        var generator = signingKey switch
        {
            ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, ca ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss),
            _ => throw new NotSupportedException(),
        };
        using var certificate = request.Create(issuer?.SubjectName ?? subject, generator, notBefore, notAfter, Serial());
        return Own(subjectKey switch
        {
            ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            _ => throw new NotSupportedException(),
        });
    }

    private X500DistinguishedName Name(string role)
    {
        // The builder encodes in reverse order of adding: this gives C, O, CN, the usual order.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName($"{role} {Country}");
        builder.AddOrganizationName("Verify synthetic issuer");
        builder.AddCountryOrRegion(Country[..2]);
        return builder.Build();
    }

    private AsymmetricAlgorithm NewKey() => _keyType switch
    {
        ChipSigningKey.Rsa2048 => Own(RSA.Create(2048)),
        ChipSigningKey.EcdsaBrainpoolP256 => Own(ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1)),
        _ => Own(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
    };

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        return serial;
    }
}
