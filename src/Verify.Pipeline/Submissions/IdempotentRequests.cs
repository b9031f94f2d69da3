using Microsoft.EntityFrameworkCore;
using Verify.Data;

namespace Verify.Pipeline.Submissions;

/// <summary>An earlier request under a client's Idempotency-Key: what it created, that one's state, and its content hash.</summary>
public sealed record EarlierRequest<TState>(Guid Id, TState State, byte[]? RequestHash);

/// <summary>
/// How an upload (a verification, an impersonation report) answers a retry under the same Idempotency-Key: as the first
/// request was answered when the content is the same, with a conflict when it is not; and when two requests with one
/// key race to commit, the one that lost answers as the winner did.
/// </summary>
internal static class IdempotentRequests
{
    /// <summary>The replayed answer, or <paramref name="conflict"/> when the content differs, for the earlier request <paramref name="earlier"/> finds; null when there is none.</summary>
    public static async Task<TOutcome?> ReplayAsync<TState, TOutcome>(IQueryable<EarlierRequest<TState>> earlier, byte[] requestHash,
        Func<Guid, TState, TOutcome> replayed, TOutcome conflict, CancellationToken cancellationToken)
        where TOutcome : class
    {
        ArgumentNullException.ThrowIfNull(replayed);
        var existing = await earlier.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return null;
        }

        return existing.RequestHash is { } hash && hash.AsSpan().SequenceEqual(requestHash) ? replayed(existing.Id, existing.State) : conflict;
    }

    /// <summary>
    /// Saves a new request; null once it committed. When a request with the same key committed first (the unique index
    /// refuses this one), the answer <paramref name="replay"/> gives on a fresh context (this one's content files are
    /// swept as orphans). A concurrency failure is left to the caller.
    /// </summary>
    public static async Task<TOutcome?> SaveAsync<TOutcome>(VerifyDbContext db, IDbContextFactory<VerifyDbContext> databases, string? idempotencyKey,
        Func<VerifyDbContext, Task<TOutcome?>> replay, CancellationToken cancellationToken)
        where TOutcome : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(replay);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (DbUpdateException exception) when (idempotencyKey is not null && exception is not DbUpdateConcurrencyException)
        {
            await using var again = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (await replay(again).ConfigureAwait(false) is { } raced)
            {
                return raced;
            }

            throw;
        }
    }
}
