using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Audit;
using Verify.Data.Entities;

namespace Verify.Pipeline.Audit;

/// <summary>What is wrong at the first row where the audit check fails.</summary>
public enum AuditBreakKind
{
    /// <summary>The row's content does not match its seal: altered since it was sealed (or forged with a made-up seal).</summary>
    Modified,

    /// <summary>The row is sealed at a later position than the row before it allows: the rows between were deleted.</summary>
    MissingBefore,

    /// <summary>The row was not sealed where it stands: the rows around it link past it, or it repeats a position.</summary>
    Inserted,

    /// <summary>The row is sealed but not after the row before it: that row was swapped for another sealed row.</summary>
    Unlinked,

    /// <summary>The row's subject id is not the one whose digest it was sealed with.</summary>
    SubjectChanged,

    /// <summary>The row was sealed under another audit key than the configured one (a key change, not tampering).</summary>
    OtherKey,

    /// <summary>The row has waited unsealed for longer than the grace period.</summary>
    Unsealed,
}

/// <summary>The first row where the audit check fails: its id, its position in the chain (none when unsealed), and what is wrong.</summary>
public sealed record AuditBreak(long Id, long? Sequence, AuditBreakKind Kind, string Description);

/// <summary>
/// What the audit check found: how many sealed rows it verified (all of them, or those before the break), the chain's
/// head (worth recording elsewhere: cutting rows off the end is the one change the chain cannot show by itself), how
/// many rows wait unsealed, and the first break, if any.
/// </summary>
public sealed record AuditChainReport(long Rows, long? HeadSequence, byte[]? HeadHash, int Unsealed, AuditBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>
/// Checks the audit chain: walks the sealed rows by position, recomputes each row's MAC, checks that positions run on
/// without a gap and that each row holds the hash of the one before, checks subject ids still present against their
/// digests, and reports rows left unsealed for longer than a grace period. Stops at the first broken row and names it.
/// </summary>
public sealed class AuditChain(AuditRowMac mac, TimeProvider time)
{
    /// <param name="db">The verification store.</param>
    /// <param name="unsealedGrace">How long a row may wait for the sealer before it counts as a break.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<AuditChainReport> VerifyAsync(VerifyDbContext db, TimeSpan unsealedGrace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        long rows = 0;
        AuditEvent? head = null, current = null;
        AuditBreak? found = null;
        // One row of look-ahead: whether the next row links past a bad one tells an inserted row from a modified one.
        var sealedRows = db.AuditEvents.AsNoTracking().Where(a => a.Sequence != null).OrderBy(a => a.Sequence).ThenBy(a => a.Id).AsAsyncEnumerable();
        await foreach (var next in sealedRows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (current is not null)
            {
                if ((found = Check(current, next, head)) is not null)
                {
                    break;
                }

                head = current;
                rows++;
            }

            current = next;
        }

        if (found is null && current is not null)
        {
            found = Check(current, next: null, head);
            if (found is null)
            {
                head = current;
                rows++;
            }
        }

        int unsealed = await db.AuditEvents.CountAsync(a => a.Sequence == null, cancellationToken).ConfigureAwait(false);
        if (found is null && unsealed > 0)
        {
            found = await StaleUnsealedAsync(db, unsealedGrace, cancellationToken).ConfigureAwait(false);
        }

        return new AuditChainReport(rows, head?.Sequence, head?.Hash, unsealed, found);
    }

    /// <summary>What is wrong with <paramref name="row"/>, coming after <paramref name="before"/> (the last good row) and before <paramref name="next"/>; null when nothing is.</summary>
    private AuditBreak? Check(AuditEvent row, AuditEvent? next, AuditEvent? before)
    {
        long expected = (before?.Sequence ?? 0) + 1, sequence = row.Sequence!.Value;
        byte[]? previous = before?.Hash;
        if (!mac.Matches(row))
        {
            if (row.Hash is not null && row.SealKeyId is { } keyId && keyId != mac.KeyId)
            {
                string named = keyId.Length == mac.KeyId.Length && keyId.All(char.IsAsciiHexDigitLower) ? $"audit key {keyId}" : "an unknown audit key";
                return Break(row, AuditBreakKind.OtherKey, $"sealed under {named}, not the configured audit key {mac.KeyId}");
            }

            if (next is not null && Same(next.PreviousHash, previous))
            {
                return Break(row, AuditBreakKind.Inserted, "not sealed where it stands: the row after it follows the row before it");
            }

            return Break(row, AuditBreakKind.Modified, Same(row.PreviousHash, previous)
                ? "its content does not match its seal: altered since it was sealed, or forged"
                : "it matches neither its seal nor the row before it: rewritten, or rows before it were removed");
        }

        if (sequence > expected)
        {
            return Break(row, AuditBreakKind.MissingBefore, sequence == expected + 1
                ? Invariant($"the row at position {expected} is missing before it")
                : Invariant($"the rows at positions {expected} to {sequence - 1} are missing before it"));
        }

        if (sequence < expected)
        {
            return Break(row, AuditBreakKind.Inserted, Invariant($"a second row at position {sequence}"));
        }

        if (!Same(row.PreviousHash, previous))
        {
            return Break(row, AuditBreakKind.Unlinked, "sealed, but not after the row before it: that row was replaced");
        }

        return AuditSubjects.Matches(row) ? null : Break(row, AuditBreakKind.SubjectChanged, "its subject id is not the one it was sealed with");
    }

    private async Task<AuditBreak?> StaleUnsealedAsync(VerifyDbContext db, TimeSpan grace, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - grace;
        var stale = await db.AuditEvents.AsNoTracking().Where(a => a.Sequence == null && a.At < cutoff).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.At }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return stale is null
            ? null
            : new AuditBreak(stale.Id, null, AuditBreakKind.Unsealed,
                Invariant($"unsealed since {stale.At:u}, longer than {grace}: the sealer is not running, or the row was added behind its back"));
    }

    private static AuditBreak Break(AuditEvent row, AuditBreakKind kind, string description) => new(row.Id, row.Sequence, kind, description);

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
