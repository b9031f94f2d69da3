using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Verify.Data.Entities;

namespace Verify.Data.Access;

/// <summary>A caller the API let in: whose key it was and what it may do.</summary>
public sealed record ApiCaller(string KeyId, string ClientId, ApiRole Role);

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
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<(ApiKey Key, string Text)> CreateAsync(VerifyDbContext db, string clientId, ApiRole role, string actor = OperatorActor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
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
        };
        db.ApiKeys.Add(key);
        // The new key's id and role, never its secret or hash.
        db.AuditEvents.Add(new AuditEvent
        {
            At = key.CreatedAt, Actor = actor, Action = "key.created", ClientId = clientId,
            Detail = $"{role.ToString().ToLowerInvariant()}:{keyId}",
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (key, $"{Prefix}{keyId}_{secret}");
    }

    /// <summary>The caller behind <paramref name="text"/>, or null for a malformed, unknown, wrong or revoked key.</summary>
    public async Task<ApiCaller?> AuthenticateAsync(VerifyDbContext db, string? text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length > 128)
        {
            return null;
        }

        int separator = text.IndexOf('_', Prefix.Length);
        if (separator < 0)
        {
            return null;
        }

        string keyId = text[Prefix.Length..separator], secret = text[(separator + 1)..];
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken).ConfigureAwait(false);
        if (key is null || key.RevokedAt is not null)
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(secret));
        return CryptographicOperations.FixedTimeEquals(hash, key.SecretHash) ? new ApiCaller(key.KeyId, key.ClientId, key.Role) : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
