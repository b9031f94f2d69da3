using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Verify.Data.Entities;

namespace Verify.Data.Access;

/// <summary>A caller the API let in: whose key it was and what it may do.</summary>
public sealed record ApiCaller(string KeyId, string ClientId, ApiRole Role);

/// <summary>What `keys list` shows of a key: never its secret or hash.</summary>
public sealed record ApiKeySummary(string KeyId, string ClientId, ApiRole Role, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

/// <summary>
/// Issues and checks API keys of the form <c>vk_{key id}_{secret}</c>. Only a SHA-256 hash of the secret is stored
/// (the secret is 256 random bits, so a plain hash is enough: there is nothing to brute-force), compared in constant time.
/// </summary>
public sealed class ApiKeyIssuer(TimeProvider time)
{
    private const string Prefix = "vk_";

    /// <summary>The audit actor of keys issued from the command line: an operator at the service's own machine.</summary>
    public const string OperatorActor = "operator";

    /// <summary>Creates a key for <paramref name="clientId"/>, audited as key.created, and returns the key text, shown this once.</summary>
    /// <param name="db">The verification store.</param>
    /// <param name="clientId">The client the key acts for.</param>
    /// <param name="role">What the key may do.</param>
    /// <param name="actor">Who issued it, for the audit trail.</param>
    /// <param name="expiresAt">When it stops working on its own; null: never.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<(ApiKey Key, string Text)> CreateAsync(VerifyDbContext db, string clientId, ApiRole role, string actor = OperatorActor,
        DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (key, text) = Add(db, clientId, role, actor, expiresAt);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (key, text);
    }

    /// <summary>Every key, oldest first: ids, clients, roles and dates; never a secret or its hash.</summary>
    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(VerifyDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId)
            .Select(k => new ApiKeySummary(k.KeyId, k.ClientId, k.Role, k.CreatedAt, k.ExpiresAt, k.RevokedAt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Revokes the key <paramref name="keyId"/> at once (audited as key.revoked); the next request with it gets 401.
    /// Null when there is no such key; a key revoked before keeps its first revocation time.
    /// </summary>
    public async Task<ApiKeySummary?> RevokeAsync(VerifyDbContext db, string keyId, string actor = OperatorActor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken).ConfigureAwait(false) is not { } key)
        {
            return null;
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow().UtcDateTime;
            db.AuditEvents.Add(KeyAudit(key.RevokedAt.Value, actor, "key.revoked", key.ClientId, $"{RoleWord(key.Role)}:{key.KeyId}"));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return Summary(key);
    }

    /// <summary>
    /// Rotates the key <paramref name="keyId"/>: a new key for the same client and role (its text returned, shown this once), and
    /// the old one expires after <paramref name="grace"/> (sooner if it already expired sooner), so callers can switch
    /// without a gap. Audited as key.created and key.rotated (both ids, never a secret). Null when there is no such key, or
    /// it is revoked or expired (nothing to rotate: create a new key instead).
    /// </summary>
    public async Task<(ApiKeySummary Old, ApiKey Key, string Text)?> RotateAsync(VerifyDbContext db, string keyId, TimeSpan grace,
        string actor = OperatorActor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        var now = time.GetUtcNow().UtcDateTime;
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken).ConfigureAwait(false) is not { } old
            || old.RevokedAt is not null || old.ExpiresAt <= now)
        {
            return null;
        }

        var ends = now + grace;
        old.ExpiresAt = old.ExpiresAt is { } expires && expires < ends ? expires : ends;
        var (key, text) = Add(db, old.ClientId, old.Role, actor, expiresAt: null);
        db.AuditEvents.Add(KeyAudit(now, actor, "key.rotated", old.ClientId, $"{RoleWord(old.Role)}:{old.KeyId}->{key.KeyId}"));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (Summary(old), key, text);
    }

    private (ApiKey Key, string Text) Add(VerifyDbContext db, string clientId, ApiRole role, string actor, DateTimeOffset? expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        string keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        string secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            KeyId = keyId,
            SecretHash = SHA256.HashData(Encoding.ASCII.GetBytes(secret)),
            ClientId = clientId,
            Role = role,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ExpiresAt = expiresAt?.UtcDateTime,
        };
        db.ApiKeys.Add(key);
        // The new key's id and role, never its secret or hash.
        db.AuditEvents.Add(KeyAudit(key.CreatedAt, actor, "key.created", clientId, $"{RoleWord(role)}:{keyId}"));
        return (key, $"{Prefix}{keyId}_{secret}");
    }

    private static AuditEvent KeyAudit(DateTime at, string actor, string action, string clientId, string detail) =>
        new() { At = at, Actor = actor, Action = action, ClientId = clientId, Detail = detail };

    private static string RoleWord(ApiRole role) => role.ToString().ToLowerInvariant();

    private static ApiKeySummary Summary(ApiKey key) => new(key.KeyId, key.ClientId, key.Role, key.CreatedAt, key.ExpiresAt, key.RevokedAt);

    /// <summary>The caller behind <paramref name="text"/>, or null for a malformed, unknown, wrong, revoked or expired key.</summary>
    public async Task<ApiCaller?> AuthenticateAsync(VerifyDbContext db, string? text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Parse(text) is not var (keyId, hash))
        {
            return null;
        }

        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken).ConfigureAwait(false);
        if (key is null || key.RevokedAt is not null || key.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(hash, key.SecretHash) ? new ApiCaller(key.KeyId, key.ClientId, key.Role) : null;
    }

    /// <summary>The key id and the SHA-256 of the secret of a well-formed key text; null for a malformed one.</summary>
    public static (string KeyId, byte[] SecretHash)? Parse(string? text)
    {
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length > 128)
        {
            return null;
        }

        int separator = text.IndexOf('_', Prefix.Length);
        return separator < 0 ? null : (text[Prefix.Length..separator], SHA256.HashData(Encoding.ASCII.GetBytes(text[(separator + 1)..])));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
