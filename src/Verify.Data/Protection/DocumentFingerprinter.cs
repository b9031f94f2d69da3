using System.Security.Cryptography;
using System.Text;

namespace Verify.Data.Protection;

/// <summary>
/// HMAC-SHA256 of a document's issuing state and number under a secret key. The same document gives the same
/// fingerprint (duplicate detection across subjects); without the key the number cannot be recovered or tested.
/// </summary>
public sealed class DocumentFingerprinter(ProtectionKeyRing keys)
{
    public string KeyId => keys.FingerprintKeyId;

    /// <param name="issuingState">The ICAO code of the issuing state (DEU, GBR, ...), or AAMVA:{IIN} for a US or Canadian licence.</param>
    /// <param name="documentNumber">The document number as the MRZ gives it; fillers and case are normalised away.</param>
    public byte[] Fingerprint(string issuingState, string documentNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuingState);
        ArgumentException.ThrowIfNullOrWhiteSpace(documentNumber);
        string canonical = $"{Normalise(issuingState)}\n{Normalise(documentNumber)}";
        return HMACSHA256.HashData(keys.FingerprintKey, Encoding.UTF8.GetBytes(canonical));
    }

    private static string Normalise(string value) =>
        string.Concat(value.Where(c => c != '<' && !char.IsWhiteSpace(c))).ToUpperInvariant();
}
