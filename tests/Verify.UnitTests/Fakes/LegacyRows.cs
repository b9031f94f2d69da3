using System.Globalization;
using Verify.Data;
using Microsoft.EntityFrameworkCore;

namespace Verify.UnitTests.Fakes;

/// <summary>
/// Rows written by SQL into a database migrated only part of the way, for migration tests: the current model has
/// columns (leases, ...) that the tables do not have yet, so it cannot write them itself.
/// </summary>
internal static class LegacyRows
{
    /// <summary>A consent and a verification in the given state's stored word, with the columns every migration has.</summary>
    public static async Task<Guid> AddVerificationAsync(VerifyDbContext db, string client, string subject, string stateWord, DateTime at)
    {
        Guid consent = Guid.NewGuid(), id = Guid.NewGuid();
        // EF Core's SQLite forms: upper-case GUID text, and times as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
        string consentText = consent.ToString().ToUpperInvariant(), idText = id.ToString().ToUpperInvariant();
        string time = at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO consents ("Id", "SubjectId", "ClientId", "BiometricProcessing", "TemplateStorage", "PolicyVersion", "GrantedAt")
            VALUES ({consentText}, {subject}, {client}, 1, 0, '2026-11', {time})
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO verifications ("Id", "ClientId", "SubjectId", "ConsentId", "State", "Reasons", "CreatedAt", "UpdatedAt")
            VALUES ({idText}, {client}, {subject}, {consentText}, {stateWord}, '[]', {time}, {time})
            """);
        return id;
    }
}
