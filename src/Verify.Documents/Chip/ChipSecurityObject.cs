using System.Formats.Asn1;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Documents.Chip;

/// <summary>
/// The chip's Document Security Object (SOD, ICAO Doc 9303 part 10): a CMS SignedData, signed by the issuing state's
/// Document Signer, over an LDSSecurityObject that holds the hash of each data group.
/// </summary>
public sealed class ChipSecurityObject
{
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    private ChipSecurityObject(SignedCms cms, SignerInfo signer, string hashAlgorithmOid, IReadOnlyDictionary<int, byte[]> hashes,
        DateTimeOffset? signingTime)
    {
        Cms = cms;
        Signer = signer;
        // Read the certificates now: SignedCms decodes them on first use, and a corrupt one must be a malformed SOD.
        Certificates = cms.Certificates;
        DocumentSigner = signer.Certificate;
        HashAlgorithmOid = hashAlgorithmOid;
        DataGroupHashes = hashes;
        SigningTime = signingTime;
    }

    /// <summary>The OID of the hash algorithm the data group hashes were made with.</summary>
    public string HashAlgorithmOid { get; }

    /// <summary>The hash algorithm's name ("SHA-256"), or its OID when we do not accept it.</summary>
    public string HashAlgorithm => ChipAlgorithms.DisplayName(HashAlgorithmOid);

    /// <summary>The signed hash of each data group, by data group number.</summary>
    public IReadOnlyDictionary<int, byte[]> DataGroupHashes { get; }

    /// <summary>The Document Signer certificate that the SOD carries for its signer; null when it carries none.</summary>
    public X509Certificate2? DocumentSigner { get; }

    /// <summary>Every certificate the SOD carries (normally the Document Signer alone).</summary>
    public X509Certificate2Collection Certificates { get; }

    /// <summary>The CMS signingTime signed attribute; null when the SOD has none.</summary>
    public DateTimeOffset? SigningTime { get; }

    internal SignedCms Cms { get; }

    internal SignerInfo Signer { get; }

    /// <summary>Parses a SOD as the chip stores it: 0x77 around the CMS ContentInfo.</summary>
    /// <exception cref="ChipDataException">The SOD is malformed or too large.</exception>
    public static ChipSecurityObject Read(ReadOnlySpan<byte> sod)
    {
        ChipLimits.Check(sod, ChipLimits.SodBytes, "SOD");
        try
        {
            var root = new AsnReader(sod.ToArray(), AsnEncodingRules.BER);
            var template = root.ReadSequence(LdsTags.Sod);
            root.ThrowIfNotEmpty();
            var contentInfo = template.ReadEncodedValue();
            template.ThrowIfNotEmpty();

            var cms = new SignedCms();
            cms.Decode(contentInfo.Span);
            if (cms.ContentInfo.ContentType.Value != LdsTags.LdsSecurityObjectOid)
            {
                throw Malformed("The SOD's signed content is not an LDS security object.");
            }

            if (cms.SignerInfos.Count != 1)
            {
                throw Malformed("The SOD does not have exactly one signer.");
            }

            var (hashAlgorithm, hashes) = ReadLdsSecurityObject(cms.ContentInfo.Content);
            var signer = cms.SignerInfos[0];
            return new ChipSecurityObject(cms, signer, hashAlgorithm, hashes, ReadSigningTime(signer));
        }
        catch (Exception exception) when (ChipAlgorithms.IsUndecodable(exception))
        {
            throw Malformed("The SOD is not a 0x77 template holding a CMS SignedData.");
        }
    }

    /// <summary>LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues, ldsVersionInfo OPTIONAL }.</summary>
    private static (string HashAlgorithm, IReadOnlyDictionary<int, byte[]> Hashes) ReadLdsSecurityObject(byte[] content)
    {
        var root = new AsnReader(content, AsnEncodingRules.BER);
        var lds = root.ReadSequence();
        root.ThrowIfNotEmpty();
        if (!lds.TryReadInt32(out var version) || version is < 0 or > 1)
        {
            throw Malformed("The SOD's LDS security object has an unknown version.");
        }

        var (hashAlgorithm, _) = ChipAlgorithms.ReadAlgorithmIdentifier(lds);
        var values = lds.ReadSequence();
        var hashes = new Dictionary<int, byte[]>();
        while (values.HasData)
        {
            var entry = values.ReadSequence();
            if (!entry.TryReadInt32(out var group) || group is < 1 or > 16 || hashes.ContainsKey(group))
            {
                throw Malformed("The SOD's LDS security object names a data group twice or out of range.");
            }

            hashes[group] = entry.ReadOctetString();
            entry.ThrowIfNotEmpty();
        }

        return (hashAlgorithm, hashes);
    }

    private static DateTimeOffset? ReadSigningTime(SignerInfo signer)
    {
        foreach (var attribute in signer.SignedAttributes)
        {
            if (attribute.Oid.Value == SigningTimeOid && attribute.Values.Count > 0)
            {
                var reader = new AsnReader(attribute.Values[0].RawData, AsnEncodingRules.DER);
                return reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
            }
        }

        return null;
    }

    private static ChipDataException Malformed(string message) => new(ChipDataError.SodMalformed, message);

    public override string ToString() => $"ChipSecurityObject {{ HashAlgorithm = {HashAlgorithm}, DataGroups = [{string.Join(", ", DataGroupHashes.Keys.Order())}], SigningTime = {SigningTime is not null} }}";
}
