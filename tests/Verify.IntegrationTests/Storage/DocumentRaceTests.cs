using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Inference.Models;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Duplicates;
using Verify.Pipeline.Verification;

namespace Verify.IntegrationTests.Storage;

/// <summary>
/// The check-then-insert race on a document, forced on a real database: two verifications of one document for two
/// subjects both pass the duplicate check before either saves. The unique fingerprint index lets one commit; the other
/// looks again and goes to review. The same specification for every provider.
/// </summary>
public abstract class DocumentRaceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    protected StorageHost Host { get; private set; } = null!;

    protected abstract IDictionary<string, string?> Settings { get; }

    /// <summary>
    /// Whether two commits can both check before either saves. Not on SQLite: a commit takes the subject lock, a write,
    /// first, and SQLite has one writer at a time, so the second checks after the first committed.
    /// </summary>
    protected virtual bool ChecksInterleave => true;

    public virtual async Task InitializeAsync() => Host = await StorageHost.StartAsync(Settings, new ManualTime(Start));

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task Two_subjects_checked_before_either_saves_one_document_only_one_is_verified()
    {
        var fingerprint = Host.Services.GetRequiredService<DocumentFingerprinter>().Fingerprint("DEU", "C01X00T47");
        var first = await AddVerificationAsync("racer-1");
        var second = await AddVerificationAsync("racer-2");

        var recorded = await CommitTogetherAsync([first, second], fingerprint);

        Assert.Single(recorded, r => r!.Decision.State == VerificationState.Verified);
        var loser = Assert.Single(recorded, r => r!.Decision.State == VerificationState.NeedsReview)!;
        Assert.Equal([DecisionReasons.DuplicateDocument], loser.Decision.Reasons);
        await using var check = Host.CreateDb();
        var stored = await check.Verifications.Where(v => v.Id == first || v.Id == second).ToListAsync();
        Assert.Single(stored, v => v.State == VerificationState.Verified);
        var review = Assert.Single(stored, v => v.State == VerificationState.NeedsReview);
        Assert.Equal([DecisionReasons.DuplicateDocument], review.Reasons);
        var kept = Assert.Single(await check.DocumentFingerprints.ToListAsync());
        Assert.Equal(stored.Single(v => v.State == VerificationState.Verified).SubjectId, kept.SubjectId);
        Assert.Contains($"\"document_subject_id\":\"{kept.SubjectId}\"", review.ResultJson, StringComparison.Ordinal);
        // One badge, one review: the loser's events are of review only.
        Assert.Equal(1, await check.Outbox.CountAsync(m => m.MessageType == typeof(Contracts.IdentityVerified).FullName));
    }

    [Fact]
    public async Task One_subject_verified_twice_at_once_with_one_document_is_verified_twice_and_the_document_kept_once()
    {
        var fingerprint = Host.Services.GetRequiredService<DocumentFingerprinter>().Fingerprint("DEU", "C01X00T47");
        Guid[] ids = [await AddVerificationAsync("same-subject"), await AddVerificationAsync("same-subject")];

        // One subject's commits take one subject lock: the second checks after the first committed, on every provider.
        var recorded = await CommitTogetherAsync(ids, fingerprint, interleave: false);

        Assert.All(recorded, r => Assert.Equal(VerificationState.Verified, r!.Decision.State));
        await using var check = Host.CreateDb();
        Assert.Equal(1, await check.DocumentFingerprints.CountAsync());
    }

    /// <summary>
    /// Commits a verified decision with the document for each verification at once, each on its own connection, both
    /// checked before either saves where the checks can <paramref name="interleave"/> (<see cref="ChecksInterleave"/>).
    /// </summary>
    private async Task<StageRun?[]> CommitTogetherAsync(Guid[] ids, byte[] fingerprint, bool interleave = true)
    {
        interleave &= ChecksInterleave;
        var gate = new BothCheckedGate(interleave);
        var options = new DbContextOptionsBuilder<VerifyDbContext>(Host.Services.GetRequiredService<DbContextOptions<VerifyDbContext>>())
            .AddInterceptors(gate).Options;
        using var index = new TemplateIndex(searchThreads: 1);
        var committer = Committer(index);
        var recorded = await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            await using var db = new VerifyDbContext(options);
            var verification = await db.Verifications.SingleAsync(v => v.Id == id);
            return await committer.CommitAsync(db, verification, Run(fingerprint), templateStorage: false, CancellationToken.None);
        })));
        Assert.True(gate.BothArrived || !interleave, "both verifications were checked before either saved");
        return recorded;
    }

    private DecisionCommitter Committer(TemplateIndex index)
    {
        var services = Host.Services;
        var time = services.GetRequiredService<TimeProvider>();
        var options = Options.Create(new DuplicateSearchOptions());
        var sync = new TemplateIndexSync(index, services.GetRequiredService<PayloadProtector>(), services.GetRequiredService<IDbContextFactory<VerifyDbContext>>(),
            options, time, NullLogger<TemplateIndexSync>.Instance);
        var catalog = new ModelCatalog(Path.Combine(TestPaths.RepoRoot, "models"), Path.Combine(TestPaths.RepoRoot, ".deps", "models"));
        var search = new DuplicateFaceSearch(index, sync, catalog, options, time);
        var fingerprinter = services.GetRequiredService<DocumentFingerprinter>();
        var blobs = services.GetRequiredService<EncryptedBlobStore>();
        return new DecisionCommitter(new DecisionSafeguards(fingerprinter, search),
            new DecisionRecorder(services.GetRequiredService<PayloadProtector>(), fingerprinter, Options.Create(new VerificationOptions()),
                services.GetRequiredService<IOptions<BlobStoreOptions>>()),
            new EvidenceDisposal(blobs, time), sync, time, NullLogger<DecisionCommitter>.Instance);
    }

    private static StageRun Run(byte[] fingerprint) =>
        new(new Decision(VerificationState.Verified, []), new VerificationResult { FaceMatchScore = 0.9, FaceMatchThreshold = 0.335, FalseAcceptRate = 1e-3 },
            [], fingerprint, null, AssuranceLevels.DocumentFaceAndLiveness);

    private async Task<Guid> AddVerificationAsync(string subjectId)
    {
        await using var db = Host.CreateDb();
        var now = Start.UtcDateTime;
        var consent = new ConsentRecord { Id = Guid.NewGuid(), SubjectId = subjectId, ClientId = "platform", BiometricProcessing = true, PolicyVersion = "2026-11", GrantedAt = now };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = "platform", SubjectId = subjectId, ConsentId = consent.Id, State = VerificationState.Processing, CreatedAt = now, UpdatedAt = now,
        };
        db.Consents.Add(consent);
        db.Verifications.Add(verification);
        await db.SaveChangesAsync();
        return verification.Id;
    }

    /// <summary>Holds each of the first two saves until both have arrived, so that both checks ran before either write; later saves pass.</summary>
    private sealed class BothCheckedGate(bool hold) : SaveChangesInterceptor
    {
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public bool BothArrived => _both.Task.IsCompletedSuccessfully;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            int arrived = Interlocked.Increment(ref _arrived);
            if (arrived == 2)
            {
                _both.TrySetResult();
            }

            if (hold && arrived <= 2)
            {
                await _both.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return result;
        }
    }
}

/// <summary>Embedded mode: the SQLite file, two connections.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class SqliteDocumentRaceTests : DocumentRaceTests
{
    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    protected override bool ChecksInterleave => false;
}

/// <summary>Distributed mode: a real PostgreSQL server.</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
public sealed class PostgreSqlDocumentRaceTests(PostgresServer server) : DocumentRaceTests, IClassFixture<PostgresServer>
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "PostgreSql",
        ["Storage:ConnectionString"] = server.ConnectionString,
        ["Protection:Keys:k1"] = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]),
        ["Protection:ActiveKeyId"] = "k1",
        ["Protection:FingerprintKey"] = Convert.ToBase64String([.. Enumerable.Range(101, 32).Select(i => (byte)i)]),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Host.CreateDb();
        await db.Database.ExecuteSqlRawAsync("TRUNCATE verifications, consents, document_fingerprints, outbox_messages, audit_events, subjects");
    }
}
