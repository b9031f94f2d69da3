using Microsoft.EntityFrameworkCore;
using Verify.Data;

namespace Verify.Pipeline.Storage;

/// <summary>Saving rows that another process may have changed first (the verification's state is a concurrency token).</summary>
internal static class OptimisticSaves
{
    /// <summary>Saves, or returns false when another process changed a row first (nothing of this unit of work is saved then).</summary>
    public static async Task<bool> TrySaveChangesAsync(this VerifyDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}
