using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Documents.Chip;

/// <summary>An X.509 CRL (RFC 5280 CertificateList), read for its issuer, signature and revoked serial numbers.</summary>
internal sealed class RevocationList
{
    private RevocationList(SignedStructure signed, X500DistinguishedName issuer, HashSet<string> revoked)
    {
        Signed = signed;
        Issuer = issuer;
        RevokedSerials = revoked;
    }

    public SignedStructure Signed { get; }

    public X500DistinguishedName Issuer { get; }

    /// <summary>The revoked serial numbers, as hex of their big-endian encoding.</summary>
    public IReadOnlySet<string> RevokedSerials { get; }

    /// <summary>Parses a DER CRL.</summary>
    /// <exception cref="AsnContentException">It is not one.</exception>
    public static RevocationList Read(ReadOnlyMemory<byte> der)
    {
        var signed = SignedStructure.Read(der);
        var tbs = new AsnReader(signed.ToBeSigned, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        ChipAlgorithms.ReadAlgorithmIdentifier(tbs);
        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        SkipTime(tbs);
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            SkipTime(tbs);
        }

        var revoked = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                revoked.Add(Convert.ToHexString(entry.ReadIntegerBytes().Span));
            }
        }

        return new RevocationList(signed, issuer, revoked);
    }

    private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static void SkipTime(AsnReader reader)
    {
        if (!IsTime(reader.PeekTag()))
        {
            throw new AsnContentException("A CRL's update time is missing.");
        }

        reader.ReadEncodedValue();
    }
}
