using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Verify.Documents.Chip;

/// <summary>
/// The Country Signing CA certificates the operator trusts, with the CRLs they signed. Loaded from a folder of
/// certificates (.cer, .crt, .der, .pem), ICAO master lists (.ml) and CRLs (.crl); none is shipped with Verify.
/// </summary>
public sealed class CscaTrustStore
{
    private readonly List<X509Certificate2> _cscas;
    private readonly List<RevocationList> _crls = [];

    /// <summary>A store of <paramref name="certificates"/> and the DER <paramref name="crls"/> that one of them signed;
    /// certificates that are not CA certificates and CRLs that no CSCA in the store signed are left out.</summary>
    public CscaTrustStore(IEnumerable<X509Certificate2> certificates, IEnumerable<byte[]> crls)
        : this(certificates, crls.Select(crl => ("CRL", crl)), [])
    {
    }

    private CscaTrustStore(IEnumerable<X509Certificate2> certificates, IEnumerable<(string Source, byte[] Der)> crls, List<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        _cscas = [];
        foreach (var certificate in certificates)
        {
            if (IsCa(certificate))
            {
                _cscas.Add(certificate);
            }
            else
            {
                skipped.Add("a certificate that is not a CA certificate");
            }
        }

        foreach (var (source, der) in crls)
        {
            if (ReadCrl(der) is { } crl && IssuersOf(crl.Issuer, null).Any(csca => crl.Signed.VerifyWith(csca) == SignatureVerdict.Valid))
            {
                _crls.Add(crl);
            }
            else
            {
                skipped.Add($"{source}: not a CRL signed by a CSCA in the store");
            }
        }

        Skipped = skipped;
    }

    /// <summary>A store that trusts no one: every Document Signer is then unknown (a review, not a rejection).</summary>
    public static CscaTrustStore Empty { get; } = new([], []);

    /// <summary>The CSCA certificates in the store.</summary>
    public int CertificateCount => _cscas.Count;

    /// <summary>The CRLs that a CSCA in the store signed.</summary>
    public int CrlCount => _crls.Count;

    /// <summary>What loading left out and why (file names, never contents).</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Reads every certificate, master list and CRL in <paramref name="folder"/> and its subfolders.</summary>
    /// <remarks>A master list counts only when its CMS signature verifies with the certificate it carries; a file that
    /// cannot be read or parsed (a dangling link, no permission, garbage) is left out and named in <see cref="Skipped"/>.</remarks>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IOException">The folder or a subfolder cannot be listed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or a subfolder cannot be listed.</exception>
    public static CscaTrustStore Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The CSCA trust store folder {folder} does not exist.");
        }

        var certificates = new List<X509Certificate2>();
        var crls = new List<(string, byte[])>();
        var skipped = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is not (".cer" or ".crt" or ".der" or ".pem" or ".ml" or ".crl"))
            {
                continue;
            }

            try
            {
                var bytes = File.ReadAllBytes(path);
                if (extension == ".ml")
                {
                    certificates.AddRange(ReadMasterList(bytes));
                }
                else if (IsPem(bytes))
                {
                    ReadPem(Encoding.ASCII.GetString(bytes), name, certificates, crls);
                }
                else if (extension == ".crl")
                {
                    crls.Add((name, bytes));
                }
                else
                {
                    certificates.Add(X509CertificateLoader.LoadCertificate(bytes));
                }
            }
            catch (Exception exception) when (exception is CryptographicException or AsnContentException or InvalidDataException)
            {
                skipped.Add($"{name}: {exception.Message}");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Their messages carry the full path: the reason alone is enough next to the file's name.
                skipped.Add($"{name}: {Unreadable(exception)}");
            }
        }

        return new CscaTrustStore(certificates, crls, skipped);
    }

    /// <summary>The CSCAs whose subject is the certificate's issuer and, where both carry key identifiers, whose subject key
    /// identifier is its authority key identifier.</summary>
    internal IEnumerable<X509Certificate2> IssuersOf(X509Certificate2 certificate) =>
        IssuersOf(certificate.IssuerName, AuthorityKeyIdentifier(certificate));

    /// <summary>Whether a CRL in the store, issued under the CSCA's name, lists <paramref name="certificate"/>.</summary>
    internal bool IsRevoked(X509Certificate2 certificate)
    {
        var serial = Convert.ToHexString(certificate.SerialNumberBytes.Span);
        return _crls.Any(crl => SameName(crl.Issuer, certificate.IssuerName) && crl.RevokedSerials.Contains(serial));
    }

    private IEnumerable<X509Certificate2> IssuersOf(X500DistinguishedName issuer, byte[]? keyIdentifier) =>
        _cscas.Where(csca => SameName(csca.SubjectName, issuer)
            && (keyIdentifier is null || SubjectKeyIdentifier(csca) is not { } ski || ski.AsSpan().SequenceEqual(keyIdentifier)));

    // A name .NET cannot decode (a Document Signer's, from a SOD anyone can make) matches only byte for byte.
    private static bool SameName(X500DistinguishedName a, X500DistinguishedName b) =>
        a.RawData.AsSpan().SequenceEqual(b.RawData)
        || (Decode(() => a.Name) is { } nameA && Decode(() => b.Name) is { } nameB && string.Equals(nameA, nameB, StringComparison.OrdinalIgnoreCase));

    // Doc 9303 part 12 makes basic constraints mandatory in a CSCA certificate.
    private static bool IsCa(X509Certificate2 certificate) =>
        Decode(() => certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority) == true;

    // An extension that does not decode counts as absent: matching then rests on the name, and the signature check
    // rejects a Document Signer whose bytes were changed.
    private static byte[]? AuthorityKeyIdentifier(X509Certificate2 certificate) =>
        Decode(() => certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier?.ToArray());

    private static byte[]? SubjectKeyIdentifier(X509Certificate2 certificate) =>
        Decode(() => certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray());

    /// <summary>A name's or an extension's value, or null when it does not decode (both decode lazily).</summary>
    private static T? Decode<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (Exception exception) when (ChipAlgorithms.IsUndecodable(exception))
        {
            return default;
        }
    }

    private static RevocationList? ReadCrl(byte[] der)
    {
        try
        {
            return RevocationList.Read(der);
        }
        catch (AsnContentException)
        {
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>An ICAO master list: CMS SignedData over CscaMasterList ::= SEQUENCE { version, certList SET OF Certificate }.</summary>
    private static IEnumerable<X509Certificate2> ReadMasterList(byte[] bytes)
    {
        var cms = new SignedCms();
        cms.Decode(bytes);
        if (cms.ContentInfo.ContentType.Value != LdsTags.CscaMasterListOid)
        {
            throw new InvalidDataException("not an ICAO CSCA master list");
        }

        // The operator vouches for the file; the signature shows it is whole, as its Master List Signer made it.
        cms.CheckSignature(verifySignatureOnly: true);
        var root = new AsnReader(cms.ContentInfo.Content, AsnEncodingRules.BER);
        var list = root.ReadSequence();
        list.ReadInteger();
        var set = list.ReadSetOf();
        var certificates = new List<X509Certificate2>();
        while (set.HasData)
        {
            certificates.Add(X509CertificateLoader.LoadCertificate(set.ReadEncodedValue().Span));
        }

        return certificates;
    }

    private static string Unreadable(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "cannot be read: not found (a dangling link?)",
        UnauthorizedAccessException => "cannot be read: permission denied",
        _ => "cannot be read: I/O error",
    };

    private static bool IsPem(byte[] bytes) => bytes.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("-----BEGIN"u8);

    private static void ReadPem(string text, string name, List<X509Certificate2> certificates, List<(string, byte[])> crls)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            if (label.SequenceEqual("CERTIFICATE"))
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            else if (label.SequenceEqual("X509 CRL"))
            {
                crls.Add((name, der));
            }

            rest = rest[fields.Location.End..];
        }
    }

    public override string ToString() => $"CscaTrustStore {{ Certificates = {CertificateCount}, Crls = {CrlCount} }}";
}
