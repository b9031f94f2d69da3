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

    /// <summary>Creates a key for <paramref name="clientId"/> and returns the key text, shown this once.</summary>
    public async Task<(ApiKey Key, string Text)> CreateAsync(VerifyDbContext db, string clientId, ApiRole role, CancellationToken cancellationToken = default)
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
