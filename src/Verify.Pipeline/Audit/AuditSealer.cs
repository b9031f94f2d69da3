using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Audit;

namespace Verify.Pipeline.Audit;

/// <summary>
/// Chains the audit rows that actions inserted unsealed: in Id order, each gets the next position, the previous row's
/// hash and its own MAC. Many processes (API instances, a CLI) may run it; one transaction at a time holds the chain's
/// end: a PostgreSQL advisory lock, SQLite's single writer (its transactions start immediate). A row that commits late
/// (a lower Id than rows already sealed) simply takes the next position.
/// </summary>
public sealed class AuditSealer(AuditRowMac mac)
{
    private const int BatchSize = 500;

    /// <summary>The advisory lock every Verify process takes to seal ("VERIFYAU" as a number; any constant would do).</summary>
    private const long ChainLock = 0x5645_5249_4659_4155;

    private const string PostgreSqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Seals every unsealed row and returns how many it sealed.</summary>
    public async Task<int> SealAsync(VerifyDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        int sealedRows = 0;
        int batch;
        do
        {
            batch = await SealBatchAsync(db, cancellationToken).ConfigureAwait(false);
            sealedRows += batch;
        }
        while (batch == BatchSize);

        return sealedRows;
    }

    private async Task<int> SealBatchAsync(VerifyDbContext db, CancellationToken cancellationToken)
    {
        // Most runs find nothing to do: look before taking the lock.
        if (!await db.AuditEvents.AnyAsync(a => a.Sequence == null, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.ProviderName == PostgreSqlProvider)
        {
            // Held until the transaction ends; the reads below then see every seal committed before.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLock})", cancellationToken).ConfigureAwait(false);
        }

        var end = await db.AuditEvents.AsNoTracking().Where(a => a.Sequence != null).OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.AuditEvents.Where(a => a.Sequence == null).OrderBy(a => a.Id).Take(BatchSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        long sequence = end?.Sequence ?? 0;
        byte[]? previous = end?.Hash;
        foreach (var row in rows)
        {
            // Rows written before the chain existed, or through a context without the interceptor, get their digest now.
            AuditSubjects.Link(row);
            row.Sequence = ++sequence;
            row.PreviousHash = previous;
            row.SealKeyId = mac.KeyId;
            row.Hash = mac.Compute(row);
            previous = row.Hash;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }
}
