using System.Security.Cryptography;
using System.Text;

namespace Verify.Data.Protection;

/// <summary>The protected payload could not be opened: unknown key, wrong purpose, or altered bytes.</summary>
public sealed class PayloadUnprotectException(string message) : Exception(message);

/// <summary>
/// Encrypts templates and stored images with AES-256-GCM. A protected payload is self-describing: version, key id,
/// nonce, tag, ciphertext. The purpose (say "template:{id}") is authenticated but not stored, so a ciphertext moved to
/// another row or used for another purpose fails to open instead of yielding another subject's data.
/// </summary>
public sealed class PayloadProtector(ProtectionKeyRing keys)
{
    private const byte FormatVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    public byte[] Protect(ReadOnlySpan<byte> plaintext, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var keyId = Encoding.ASCII.GetBytes(keys.ActiveKeyId);
        int header = 2 + keyId.Length;
        var output = new byte[header + NonceLength + TagLength + plaintext.Length];
        output[0] = FormatVersion;
        output[1] = (byte)keyId.Length;
        keyId.CopyTo(output, 2);
        var nonce = output.AsSpan(header, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.ActiveKey, TagLength);
        aes.Encrypt(nonce, plaintext, output.AsSpan(header + NonceLength + TagLength), output.AsSpan(header + NonceLength, TagLength),
            AssociatedData(output.AsSpan(0, header), purpose));
        return output;
    }

    /// <exception cref="PayloadUnprotectException">The payload is malformed, its key is unknown, or it fails authentication.</exception>
    public byte[] Unprotect(ReadOnlySpan<byte> protectedPayload, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (protectedPayload.Length < 2 || protectedPayload[0] != FormatVersion)
        {
            throw new PayloadUnprotectException("Not a protected payload of a known format version.");
        }

        int header = 2 + protectedPayload[1];
        if (protectedPayload.Length < header + NonceLength + TagLength)
        {
            throw new PayloadUnprotectException("The protected payload is truncated.");
        }

        string keyId = Encoding.ASCII.GetString(protectedPayload[2..header]);
        if (!keys.TryGetKey(keyId, out var key))
        {
            // The id comes from stored bytes: echo it only when it is a well-formed id, never arbitrary bytes into a log.
            throw new PayloadUnprotectException(ProtectionKeyRing.IsKeyId(keyId)
                ? $"The payload was protected with key '{keyId}', which is not configured."
                : "The payload names a malformed key id.");
        }

        var plaintext = new byte[protectedPayload.Length - header - NonceLength - TagLength];
        using var aes = new AesGcm(key, TagLength);
        try
        {
            aes.Decrypt(protectedPayload.Slice(header, NonceLength), protectedPayload[(header + NonceLength + TagLength)..],
                protectedPayload.Slice(header + NonceLength, TagLength), plaintext, AssociatedData(protectedPayload[..header], purpose));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new PayloadUnprotectException("The protected payload failed authentication (altered, or opened for another purpose).");
        }

        return plaintext;
    }

    /// <summary>The key id a payload was protected with (for re-encryption after a key rotation).</summary>
    public static string? KeyIdOf(ReadOnlySpan<byte> protectedPayload) =>
        protectedPayload.Length >= 2 && protectedPayload[0] == FormatVersion && protectedPayload.Length >= 2 + protectedPayload[1]
            ? Encoding.ASCII.GetString(protectedPayload[2..(2 + protectedPayload[1])])
            : null;

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string purpose)
    {
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var data = new byte[header.Length + purposeBytes.Length];
        header.CopyTo(data);
        purposeBytes.CopyTo(data, header.Length);
        return data;
    }
}
