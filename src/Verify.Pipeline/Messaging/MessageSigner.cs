using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Verify.Data.Protection;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// Signs and checks bus messages: an HMAC-SHA256 under a service key over the message type, the message id and the
/// payload's canonical JSON, carried in the <see cref="Header"/> header. Whoever can reach the broker but holds no key
/// (a leaked broker password, a compromised neighbour on the broker) cannot publish a badge or a command that a
/// Verify process acts on. The key is <see cref="MessagingOptions.SigningKey"/>, else derived from the protection keys.
/// </summary>
public sealed class MessageSigner
{
    /// <summary>The header that carries the signature (base64).</summary>
    public const string Header = "Verify-Message-Signature";

    /// <summary>The HKDF label of the derived key: its own, so the key signs messages and nothing else.</summary>
    internal const string KeyLabel = "verify bus messages v1";

    /// <summary>The shortest signing key accepted, in bytes.</summary>
    public const int MinKeyLength = 32;

    /// <summary>The payload's canonical form: the contract's own property names in declaration order, no indentation.</summary>
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.General);

    private readonly byte[] _key;

    public MessageSigner(IOptions<MessagingOptions> options, ProtectionKeyRing keys, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(meters);
        _key = options.Value.SigningKey is { Length: > 0 } configured ? DecodeKey(configured) : keys.DeriveKey(KeyLabel);
        Refused = meters.Create(Observability.PipelineTelemetry.Name)
            .CreateCounter<long>("verify.bus.messages_refused", "{message}", "Bus messages refused for a missing or wrong signature.");
    }

    /// <summary>Messages refused, tagged with the message type and why (missing, invalid).</summary>
    public Counter<long> Refused { get; }

    /// <summary>The signature of <paramref name="message"/> as <paramref name="type"/> under <paramref name="messageId"/>.</summary>
    public string Sign(Type type, Guid messageId, object message) => Convert.ToBase64String(Mac(type, messageId, message));

    /// <summary>Whether <paramref name="signature"/> is this message's (compared in constant time); false when any part is missing.</summary>
    public bool IsValid(Type type, Guid? messageId, object message, string? signature)
    {
        if (messageId is not { } id || string.IsNullOrEmpty(signature))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return Convert.TryFromBase64String(signature, given, out int written) && written == HMACSHA256.HashSizeInBytes
            && CryptographicOperations.FixedTimeEquals(given, Mac(type, id, message));
    }

    /// <summary>Whether <paramref name="value"/> is a usable <see cref="MessagingOptions.SigningKey"/> (base64, 32 bytes or more).</summary>
    public static bool IsValidKey(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        try
        {
            return Convert.FromBase64String(value).Length >= MinKeyLength;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] DecodeKey(string value) => IsValidKey(value)
        ? Convert.FromBase64String(value)
        : throw new InvalidOperationException($"{MessagingOptions.SectionName}:{nameof(MessagingOptions.SigningKey)} must be base64 of {MinKeyLength} bytes or more.");

    /// <summary>HMAC over type name, NUL, message id, NUL, canonical JSON: no part can be moved into another.</summary>
    private byte[] Mac(Type type, Guid messageId, object message)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        mac.AppendData(Encoding.UTF8.GetBytes(type.FullName!));
        mac.AppendData([0]);
        mac.AppendData(Encoding.ASCII.GetBytes(messageId.ToString("N")));
        mac.AppendData([0]);
        mac.AppendData(JsonSerializer.SerializeToUtf8Bytes(message, type, Canonical));
        return mac.GetHashAndReset();
    }
}
