using Microsoft.EntityFrameworkCore;

namespace Verify.Data;

/// <summary>Who takes a <see cref="SubjectLock"/>: named in the statement's SQL comment, so a trace (or a test) tells them apart.</summary>
public enum SubjectLockHolder
{
    /// <summary>The pipeline committing a decision.</summary>
    Decision,

    /// <summary>A reviewer's decision on a case.</summary>
    Review,

    /// <summary>The subject's erasure (DELETE /v1/subjects/{id}/biometrics).</summary>
    Erasure,
}

/// <summary>
/// Serialises an erasure with every commit that stores something biometric for the subject (a template, a fingerprint,
/// a badge, a portrait for review). Each takes the subject's row in <see cref="Entities.SubjectRecord"/> as the FIRST
/// statement of its transaction, an upsert that bumps the version: PostgreSQL holds that row lock until commit; SQLite
/// has one writer at a time and the statement is a write, so the transaction holds the database's write lock from
/// there on (Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE anyway). Whatever the holder checks afterwards (the
/// consent) cannot change before it commits, and a commit that comes second sees everything the first did.
/// </summary>
public static class SubjectLock
{
    /// <summary>The lock rows' table.</summary>
    public const string Table = "subjects";

    /// <summary>Takes the lock on (<paramref name="clientId"/>, <paramref name="subjectId"/>) inside the caller's open transaction.</summary>
    public static Task TakeAsync(VerifyDbContext db, string clientId, string subjectId, SubjectLockHolder holder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(subjectId);
        if (db.Database.CurrentTransaction is null)
        {
            // Outside a transaction the row would be unlocked again as soon as the statement ends.
            throw new InvalidOperationException("The subject lock is taken inside a transaction, as its first statement.");
        }

        // The comment is one of three fixed words; the values are parameters. Both providers know this upsert.
        string sql = $$"""
            /* subject_lock:{{Name(holder)}} */
            INSERT INTO {{Table}} ("ClientId", "SubjectId", "Version") VALUES ({0}, {1}, 1)
            ON CONFLICT ("ClientId", "SubjectId") DO UPDATE SET "Version" = {{Table}}."Version" + 1
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [clientId, subjectId], cancellationToken);
    }

    /// <summary>The holder's word in the statement's comment: <c>subject_lock:decision</c>, <c>:review</c> or <c>:erasure</c>.</summary>
    public static string Name(SubjectLockHolder holder) => holder switch
    {
        SubjectLockHolder.Decision => "decision",
        SubjectLockHolder.Review => "review",
        SubjectLockHolder.Erasure => "erasure",
        _ => throw new ArgumentOutOfRangeException(nameof(holder)),
    };
}
