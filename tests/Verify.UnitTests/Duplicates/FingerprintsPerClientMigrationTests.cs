using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Verify.Data;
using Verify.Data.Entities;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Duplicates;

/// <summary>The FingerprintsPerClient migration: fingerprints take their verification's client, and duplicates stored before it go, oldest kept.</summary>
public sealed class FingerprintsPerClientMigrationTests
{
    private static readonly byte[] Document = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] OtherDocument = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    [Fact]
    public async Task Fingerprints_take_their_verifications_client_and_only_the_oldest_of_one_document_per_client_stays()
    {
        await using var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<VerifyDbContext>()
            .UseSqlite(connection, sqlite => sqlite.MigrationsAssembly("Verify.Data.Sqlite")).Options;
        var start = SqliteTestStore.Start.UtcDateTime;
        await using var db = new VerifyDbContext(options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261205000001_ReviewDecisionGuard");
        var first = await AddVerificationAsync(db, "client-a", "subject-1", start);
        var again = await AddVerificationAsync(db, "client-a", "subject-1", start.AddDays(1));
        var raced = await AddVerificationAsync(db, "client-a", "subject-2", start.AddDays(1));
        var elsewhere = await AddVerificationAsync(db, "client-b", "subject-9", start.AddDays(2));
        var other = await AddVerificationAsync(db, "client-a", "subject-3", start.AddDays(3));
        // As the model before this change wrote them: no client, and the same document more than once.
        var kept = await AddFingerprintAsync(db, first, Document, start);
        await AddFingerprintAsync(db, again, Document, start.AddDays(1));
        await AddFingerprintAsync(db, raced, Document, start.AddDays(1));
        var otherClient = await AddFingerprintAsync(db, elsewhere, Document, start.AddDays(2));
        var otherDocument = await AddFingerprintAsync(db, other, OtherDocument, start.AddDays(3));

        await migrator.MigrateAsync();

        var rows = await db.DocumentFingerprints.AsNoTracking().OrderBy(f => f.CreatedAt).ToListAsync();
        Assert.Equal([kept, otherClient, otherDocument], rows.Select(f => f.Id));
        Assert.Equal(["client-a", "client-b", "client-a"], rows.Select(f => f.ClientId));
        Assert.Equal(["subject-1", "subject-9", "subject-3"], rows.Select(f => f.SubjectId));
    }

    private static async Task<(Guid Id, string SubjectId)> AddVerificationAsync(VerifyDbContext db, string client, string subject, DateTime at) =>
        (await LegacyRows.AddVerificationAsync(db, client, subject, VerificationStateWords.Verified, at), subject);

    private static async Task<Guid> AddFingerprintAsync(VerifyDbContext db, (Guid Id, string SubjectId) verification, byte[] value, DateTime at)
    {
        var id = Guid.NewGuid();
        // EF Core's SQLite forms: upper-case GUID text, and times as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
        string idText = id.ToString().ToUpperInvariant(), verificationText = verification.Id.ToString().ToUpperInvariant();
        string created = at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO document_fingerprints ("Id", "SubjectId", "VerificationId", "KeyId", "Value", "CreatedAt")
            VALUES ({idText}, {verification.SubjectId}, {verificationText}, 'fp1', {value}, {created})
            """);
        return id;
    }
}
