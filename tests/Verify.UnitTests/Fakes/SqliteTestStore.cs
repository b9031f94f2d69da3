using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Verify.Data;
using Verify.Data.Audit;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Data.Protection;

namespace Verify.UnitTests.Fakes;

/// <summary>A clock that says what the test tells it.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The service's database and encrypted blob store without a server: SQLite in memory with the real migrations, blob
/// content in the rows, fresh keys. One per test.
/// </summary>
public sealed class SqliteTestStore : IDbContextFactory<VerifyDbContext>, IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _connection = new("DataSource=:memory:");
    private readonly DbContextOptions<VerifyDbContext> _options;

    private SqliteTestStore()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<VerifyDbContext>()
            .UseSqlite(_connection, sqlite => sqlite.MigrationsAssembly("Verify.Data.Sqlite"))
            .AddInterceptors(AuditSubjectInterceptor.Instance).Options;
        Keys = ProtectionKeyRing.Create(new ProtectionOptions
        {
            Keys = { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        Protector = new PayloadProtector(Keys);
        Fingerprinter = new DocumentFingerprinter(Keys);
        Blobs = new EncryptedBlobStore(BlobOptions, Protector, Time, target: null, stores: []);
    }

    public FixedTime Time { get; } = new(Start);

    public DateTime Now => Time.Now.UtcDateTime;

    public BlobStoreOptions BlobOptions { get; } = new() { Store = BlobContentStore.Database };

    public ProtectionKeyRing Keys { get; }

    public PayloadProtector Protector { get; }

    public DocumentFingerprinter Fingerprinter { get; }

    public EncryptedBlobStore Blobs { get; }

    public static async Task<SqliteTestStore> CreateAsync()
    {
        var store = new SqliteTestStore();
        await using var db = store.CreateDbContext();
        await db.Database.MigrateAsync();
        return store;
    }

    public VerifyDbContext CreateDbContext() => new(_options);

    /// <summary>A context on the same database with <paramref name="interceptors"/> added (to force an interleaving).</summary>
    public VerifyDbContext CreateDbContext(params IInterceptor[] interceptors) =>
        new(new DbContextOptionsBuilder<VerifyDbContext>(_options).AddInterceptors(interceptors).Options);

    /// <summary>A consent and a verification of <paramref name="subjectId"/> (of <paramref name="clientId"/>) in <paramref name="state"/>, saved.</summary>
    public async Task<VerificationRecord> AddVerificationAsync(string subjectId = "subject-1", bool templateStorage = true,
        VerificationState state = VerificationState.Processing, string clientId = "client-a")
    {
        await using var db = CreateDbContext();
        var consent = new ConsentRecord
        {
            Id = Guid.NewGuid(), SubjectId = subjectId, ClientId = clientId, BiometricProcessing = true, TemplateStorage = templateStorage,
            PolicyVersion = "2026-11", GrantedAt = Now,
        };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = clientId, SubjectId = subjectId, ConsentId = consent.Id, State = state, CreatedAt = Now, UpdatedAt = Now,
        };
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        await db.SaveChangesAsync();
        return verification;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
