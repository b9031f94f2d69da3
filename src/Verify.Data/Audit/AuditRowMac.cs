using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Verify.Data.Entities;
using Verify.Data.Protection;

namespace Verify.Data.Audit;

/// <summary>
/// The MAC that seals an audit row into the chain: HMAC-SHA256 under the audit key over a canonical, length-prefixed
/// encoding of the row's position, time, actor, action, client, verification, subject digest, detail, sealing key and
/// the previous row's hash. The subject id and its salt are left out, so erasing a subject never breaks the chain.
/// </summary>
public sealed class AuditRowMac(ProtectionKeyRing keys)
{
    private static readonly byte[] Domain = "verify-audit-row-v1"u8.ToArray();

    /// <summary>
    /// Names the audit key without revealing it (the first 8 bytes of its MAC of a fixed label, as hex): rows sealed
    /// under another key say so instead of reading as altered.
    /// </summary>
    public string KeyId { get; } = Convert.ToHexStringLower(HMACSHA256.HashData(keys.AuditKey, "verify audit key id"u8)[..8]);

    /// <summary>The row's MAC; <see cref="AuditEvent.Sequence"/> and <see cref="AuditEvent.SealKeyId"/> must be set.</summary>
    public byte[] Compute(AuditEvent row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long sequence = row.Sequence ?? throw new ArgumentException("An audit row is sealed at a position in the chain.", nameof(row));
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keys.AuditKey);
        AppendBytes(mac, Domain);
        AppendInt64(mac, sequence);
        // Microseconds, the precision every provider keeps: the chain survives a move between databases. A time of no
        // kind is UTC already, as the store reads it.
        var at = row.At.Kind == DateTimeKind.Local ? row.At.ToUniversalTime() : row.At;
        AppendInt64(mac, (at.Ticks - DateTime.UnixEpoch.Ticks) / 10);
        AppendText(mac, row.Actor);
        AppendText(mac, row.Action);
        AppendText(mac, row.ClientId);
        AppendBytes(mac, row.VerificationId is { } id ? id.ToByteArray(bigEndian: true) : null);
        AppendBytes(mac, row.SubjectDigest);
        AppendText(mac, row.Detail);
        AppendText(mac, row.SealKeyId ?? throw new ArgumentException("An audit row names the key that sealed it.", nameof(row)));
        AppendBytes(mac, row.PreviousHash);
        return mac.GetHashAndReset();
    }

    /// <summary>Whether the row's stored <see cref="AuditEvent.Hash"/> is its MAC under this key (compared in constant time).</summary>
    public bool Matches(AuditEvent row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Hash is { } hash && row.Sequence is not null && row.SealKeyId is not null && CryptographicOperations.FixedTimeEquals(hash, Compute(row));
    }

    private static void AppendInt64(IncrementalHash mac, long value)
    {
        Span<byte> buffer = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        mac.AppendData(buffer);
    }

    private static void AppendText(IncrementalHash mac, string? value) => AppendBytes(mac, value is null ? null : Encoding.UTF8.GetBytes(value));

    /// <summary>A length (-1 for null) then the bytes: no two different rows encode alike.</summary>
    private static void AppendBytes(IncrementalHash mac, byte[]? value)
    {
        Span<byte> length = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(length, value?.Length ?? -1);
        mac.AppendData(length);
        if (value is not null)
        {
            mac.AppendData(value);
        }
    }
}
