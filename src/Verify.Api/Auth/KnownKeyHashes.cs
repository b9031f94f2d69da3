using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Access;

namespace Verify.Api.Auth;

/// <summary>
/// The hashes of the keys not revoked, held in memory and read again at most once a minute: lets a throttled address
/// still use a good key (its hash matches, so the full check runs as usual) while a guess from there costs no database
/// query. Without it one caller sending junk keys from behind a shared address (a NAT, a load balancer that forwards no
/// client address) would lock every platform there out. Revocation and expiry are still checked by the full check; a
/// key created within the last minute is not known here yet, and waits out its address's window like a guess.
/// </summary>
internal sealed class KnownKeyHashes(IDbContextFactory<VerifyDbContext> databases, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private FrozenDictionary<string, byte[]> _hashes = FrozenDictionary<string, byte[]>.Empty;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>Whether <paramref name="text"/> is a key whose secret matches a key not revoked (as of the last read).</summary>
    public async Task<bool> MatchesAsync(string text, CancellationToken cancellationToken)
    {
        if (ApiKeyIssuer.Parse(text) is not var (keyId, hash))
        {
            return false;
        }

        var hashes = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return hashes.TryGetValue(keyId, out var stored) && CryptographicOperations.FixedTimeEquals(hash, stored);
    }

    private async Task<FrozenDictionary<string, byte[]>> CurrentAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _readAt < Freshness)
        {
            return _hashes;
        }

        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (time.GetUtcNow() - _readAt >= Freshness)
            {
                await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                var keys = await db.ApiKeys.AsNoTracking().Where(k => k.RevokedAt == null)
                    .Select(k => new { k.KeyId, k.SecretHash }).ToListAsync(cancellationToken).ConfigureAwait(false);
                _hashes = keys.ToFrozenDictionary(k => k.KeyId, k => k.SecretHash, StringComparer.Ordinal);
                _readAt = time.GetUtcNow();
            }

            return _hashes;
        }
        finally
        {
            _reading.Release();
        }
    }
}
