using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Verify.Data.Protection;

/// <summary>The validated keys of <see cref="ProtectionOptions"/>: every encryption key by id, the active one, the fingerprint key and the audit key.</summary>
public sealed partial class ProtectionKeyRing
{
    public const int KeyLength = 32;

    private readonly Dictionary<string, byte[]> _keys;

    private ProtectionKeyRing(Dictionary<string, byte[]> keys, string activeKeyId, byte[] fingerprintKey, string fingerprintKeyId, byte[] auditKey)
    {
        _keys = keys;
        ActiveKeyId = activeKeyId;
        FingerprintKey = fingerprintKey;
        FingerprintKeyId = fingerprintKeyId;
        AuditKey = auditKey;
    }

    public string ActiveKeyId { get; }

    internal byte[] FingerprintKey { get; }

    public string FingerprintKeyId { get; }

    /// <summary>The key that seals the audit chain: <see cref="ProtectionOptions.AuditKey"/>, else derived from the fingerprint key.</summary>
    internal byte[] AuditKey { get; }

    internal byte[] ActiveKey => _keys[ActiveKeyId];

    /// <summary>
    /// A service key of its own for <paramref name="label"/> (HKDF over the fingerprint key, which the API and every
    /// worker already share), so a new use needs no new secret and learns nothing of the others' keys.
    /// </summary>
    public byte[] DeriveKey(string label) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, FingerprintKey, KeyLength, info: System.Text.Encoding.UTF8.GetBytes(label));

    internal bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>Builds the ring from configuration, generating and persisting keys for embedded mode when none are configured.</summary>
    /// <exception cref="InvalidOperationException">A key is malformed, the active key is missing, or there are no keys and no file to keep generated ones in.</exception>
    public static ProtectionKeyRing Create(ProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Generated keys only replace a configuration that has none at all: half a configuration is an error below.
        if (options.Keys.Count == 0 && string.IsNullOrEmpty(options.FingerprintKey) && !string.IsNullOrEmpty(options.GeneratedKeyFile))
        {
            options = LoadOrGenerate(options);
        }

        if (options.Keys.Count == 0)
        {
            throw new InvalidOperationException(
                $"No encryption keys: set {ProtectionOptions.SectionName}:Keys:<id> (32 bytes, base64) and {ProtectionOptions.SectionName}:ActiveKeyId.");
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in options.Keys)
        {
            if (!KeyIdPattern().IsMatch(id))
            {
                throw new InvalidOperationException($"Key id '{id}' must be 1-32 characters of A-Z, a-z, 0-9, '-' or '_'.");
            }

            keys[id] = Decode(value, $"{ProtectionOptions.SectionName}:Keys:{id}");
        }

        string active = options.ActiveKeyId ?? (keys.Count == 1 ? keys.Keys.Single() : "");
        if (!keys.ContainsKey(active))
        {
            throw new InvalidOperationException(
                $"{ProtectionOptions.SectionName}:ActiveKeyId '{active}' is not one of the configured keys ({string.Join(", ", keys.Keys)}).");
        }

        if (string.IsNullOrEmpty(options.FingerprintKey))
        {
            throw new InvalidOperationException($"No document fingerprint key: set {ProtectionOptions.SectionName}:FingerprintKey (32 bytes, base64).");
        }

        if (!KeyIdPattern().IsMatch(options.FingerprintKeyId))
        {
            throw new InvalidOperationException($"Fingerprint key id '{options.FingerprintKeyId}' must be 1-32 characters of A-Z, a-z, 0-9, '-' or '_'.");
        }

        var fingerprintKey = Decode(options.FingerprintKey, $"{ProtectionOptions.SectionName}:FingerprintKey");
        // A key of its own for the audit chain without a new secret to configure: HKDF gives one independent of the
        // fingerprint key's own use. An operator who wants the audit key kept apart configures it.
        var auditKey = string.IsNullOrEmpty(options.AuditKey)
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, fingerprintKey, KeyLength, info: "verify audit chain v1"u8.ToArray())
            : Decode(options.AuditKey, $"{ProtectionOptions.SectionName}:AuditKey");
        return new ProtectionKeyRing(keys, active, fingerprintKey, options.FingerprintKeyId, auditKey);
    }

    private static byte[] Decode(string value, string name)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{name} is not base64.");
        }

        return key.Length == KeyLength ? key : throw new InvalidOperationException($"{name} must be {KeyLength} bytes, not {key.Length}.");
    }

    private static ProtectionOptions LoadOrGenerate(ProtectionOptions options)
    {
        string path = options.GeneratedKeyFile!;
        // One generator at a time per key file, across threads and processes (a named mutex: .NET shares it between
        // processes of the user): the rename below is not exclusive on every file system, and two processes that both
        // renamed would each keep the keys it generated.
        using var generating = new Mutex(false, $"Global\\verify-keys-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(path))))[..32]}");
        try
        {
            generating.WaitOne();
        }
        catch (AbandonedMutexException)
        {
            // A process died holding it: the file is whole or absent (it is renamed into place), so go on.
        }

        try
        {
            return LoadOrGenerateHeld(options, path);
        }
        finally
        {
            generating.ReleaseMutex();
        }
    }

    private static ProtectionOptions LoadOrGenerateHeld(ProtectionOptions options, string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var generated = new GeneratedKeys("k1", Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyLength)),
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyLength)));
            // Written owner-only to a file of our own, on disk before it gets its name: a reader never sees half a key
            // file, and a crash cannot lose keys that data was already encrypted with.
            string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                using (var stream = OwnerOnlyFile.CreateNew(temporary))
                {
                    JsonSerializer.Serialize(stream, generated);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process named its keys first: use theirs.
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        var keys = JsonSerializer.Deserialize<GeneratedKeys>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"The key file {path} is empty.");
        return new ProtectionOptions
        {
            Keys = new Dictionary<string, string>(StringComparer.Ordinal) { [keys.KeyId] = keys.Key },
            ActiveKeyId = keys.KeyId,
            FingerprintKey = keys.FingerprintKey,
            FingerprintKeyId = options.FingerprintKeyId,
            AuditKey = options.AuditKey,
        };
    }

    /// <summary>Whether <paramref name="keyId"/> is a well-formed key id: 1-32 characters of A-Z, a-z, 0-9, '-' or '_'.</summary>
    internal static bool IsKeyId(string keyId) => KeyIdPattern().IsMatch(keyId);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex KeyIdPattern();

    private sealed record GeneratedKeys(string KeyId, string Key, string FingerprintKey);
}
