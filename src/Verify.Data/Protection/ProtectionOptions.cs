using System.ComponentModel.DataAnnotations;

namespace Verify.Data.Protection;

/// <summary>
/// The keys that encrypt templates and stored images (AES-256-GCM), fingerprint document numbers and seal the audit
/// chain (HMAC-SHA256).
/// Keys come from configuration (a secret store in production). Old keys stay listed so older data can still be read;
/// new data is written under <see cref="ActiveKeyId"/>.
/// </summary>
public sealed class ProtectionOptions
{
    public const string SectionName = "Protection";

    /// <summary>Encryption keys by id: 32 bytes each, base64.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key new data is encrypted under.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>The document-fingerprint key (32 bytes, base64); separate from the encryption keys.</summary>
    public string? FingerprintKey { get; set; }

    /// <summary>The fingerprint key's id, stored with every fingerprint.</summary>
    [MaxLength(32)]
    public string FingerprintKeyId { get; set; } = "fp1";

    /// <summary>
    /// The key that seals the audit chain (32 bytes, base64). Optional: without it the audit key is derived from
    /// <see cref="FingerprintKey"/>. Someone who can write to the database but has neither cannot re-seal an edited chain.
    /// </summary>
    public string? AuditKey { get; set; }

    /// <summary>
    /// Embedded mode only: when no keys are configured, keys are generated once into this file (owner-only
    /// permissions) and reused. Empty in distributed mode, where every process must get the same keys from configuration.
    /// </summary>
    public string? GeneratedKeyFile { get; set; }
}
