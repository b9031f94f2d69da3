using Verify.Data;
using Verify.Data.Entities;

namespace Verify.IntegrationTests.Service;

/// <summary>A consented verification left queued with no images, written straight to the database: only a command that a consumer accepts moves it on.</summary>
internal static class QueuedVerification
{
    public static async Task<Guid> AddAsync(VerifyDbContext db, string clientId, string subjectId)
    {
        var now = DateTime.UtcNow;
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = subjectId, ClientId = clientId, BiometricProcessing = true, PolicyVersion = "2026-11", GrantedAt = now,
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = clientId, SubjectId = subjectId, ConsentId = consent.Id, State = VerificationState.Queued,
            CreatedAt = now, UpdatedAt = now,
        };
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        await db.SaveChangesAsync();
        return verification.Id;
    }
}
