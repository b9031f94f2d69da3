using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Data.Audit;
using Verify.Data.Blobs;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Audit;
using Verify.Pipeline.Reviews;
using Verify.Pipeline.Verification;
using Verify.Storage;

namespace Verify.IntegrationTests.Storage;

/// <summary>The verification store and the encrypted blob store against a real database, the same specification for every provider.</summary>
public abstract class StorageTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    // Bytes no encryption would leave in place: a JPEG start followed by a recognisable run.
    protected static readonly byte[] Image = [0xFF, 0xD8, 0xFF, 0xE0, .. "VERIFY-TEST-IMAGE-PLAINTEXT-MARKER"u8, .. new byte[2000]];

    protected ManualTime Time { get; } = new(Start);

    protected StorageHost Host { get; private set; } = null!;

    protected abstract IDictionary<string, string?> Settings { get; }

    public virtual async Task InitializeAsync() => Host = await StorageHost.StartAsync(Settings, Time);

    public virtual async Task DisposeAsync() => await Host.DisposeAsync();

    protected EncryptedBlobStore Blobs => Host.Services.GetRequiredService<EncryptedBlobStore>();

    [Fact]
    public async Task Verification_with_its_consent_round_trips_with_reasons_and_utc_times()
    {
        var consent = new ConsentRecord { Id = Guid.NewGuid(), SubjectId = "subject-1", ClientId = "platform", BiometricProcessing = true, PolicyVersion = "2026-11", GrantedAt = Start.UtcDateTime };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(),
            ClientId = "platform",
            SubjectId = "subject-1",
            ConsentId = consent.Id,
            State = VerificationState.Rejected,
            Reasons = ["face_mismatch", "mrz_checksum_failed"],
            CreatedAt = Start.UtcDateTime,
            UpdatedAt = Start.UtcDateTime,
            CompletedAt = Start.UtcDateTime.AddSeconds(3),
        };
        await using (var db = Host.CreateDb())
        {
            db.Consents.Add(consent);
            db.Verifications.Add(verification);
            await db.SaveChangesAsync();
        }

        await using (var db = Host.CreateDb())
        {
            var stored = await db.Verifications.SingleAsync(v => v.Id == verification.Id);
            Assert.Equal(VerificationState.Rejected, stored.State);
            Assert.Equal(["face_mismatch", "mrz_checksum_failed"], stored.Reasons);
            Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
            Assert.Equal(verification.CompletedAt, stored.CompletedAt);
            Assert.Equal(DateTimeKind.Utc, stored.CompletedAt!.Value.Kind);
            Assert.True((await db.Consents.SingleAsync(c => c.Id == consent.Id)).BiometricProcessing);
        }
    }

    [Fact]
    public async Task Idempotency_key_is_unique_per_client_only()
    {
        await using var db = Host.CreateDb();
        db.Verifications.Add(Verification("platform", "key-1"));
        db.Verifications.Add(Verification("other-platform", "key-1"));
        db.Verifications.Add(Verification("platform", null));
        db.Verifications.Add(Verification("platform", null));
        await db.SaveChangesAsync();

        await using var second = Host.CreateDb();
        second.Verifications.Add(Verification("platform", "key-1"));
        await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task Uploaded_image_is_encrypted_at_rest_and_reads_back()
    {
        var verificationId = Guid.NewGuid();
        BlobRecord record;
        await using (var db = Host.CreateDb())
        {
            record = await Blobs.AddAsync(db, "subject-1", verificationId, BlobKind.Selfie, Image);
            await db.SaveChangesAsync();
        }

        var stored = await StoredContent(record.Id);
        Assert.NotNull(stored);
        Assert.True(stored.Length > Image.Length, "the stored form carries a header, nonce and tag");
        Assert.Equal(-1, stored.AsSpan().IndexOf("VERIFY-TEST-IMAGE"u8));

        await using (var db = Host.CreateDb())
        {
            Assert.Equal(Image, await Blobs.ReadAsync(db, record.Id));
        }
    }

    [Fact]
    public async Task Deleting_a_verifications_images_leaves_neither_content_nor_index_and_spares_others()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var ids = new List<Guid>();
        await using (var db = Host.CreateDb())
        {
            ids.Add((await Blobs.AddAsync(db, "subject-1", first, BlobKind.DocumentFront, Image)).Id);
            ids.Add((await Blobs.AddAsync(db, "subject-1", first, BlobKind.Selfie, Image)).Id);
            ids.Add((await Blobs.AddAsync(db, "subject-2", second, BlobKind.Selfie, Image)).Id);
            await db.SaveChangesAsync();
        }

        await using (var db = Host.CreateDb())
        {
            Assert.Equal(2, await Blobs.DeleteForVerificationAsync(db, first));
            Assert.Equal(0, await db.Blobs.CountAsync(b => b.VerificationId == first));
            Assert.Equal(Image, await Blobs.ReadAsync(db, ids[2]));
        }

        Assert.Null(await StoredContent(ids[0]));
        Assert.Null(await StoredContent(ids[1]));
        Assert.NotNull(await StoredContent(ids[2]));
    }

    [Fact]
    public async Task Images_past_their_time_to_live_are_unreadable_then_purged()
    {
        var ttl = Host.Services.GetRequiredService<IOptions<BlobStoreOptions>>().Value.TimeToLive;
        Guid id;
        await using (var db = Host.CreateDb())
        {
            id = (await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image)).Id;
            await db.SaveChangesAsync();
            Assert.Equal(0, await Blobs.PurgeExpiredAsync(db));
        }

        Time.Advance(ttl + TimeSpan.FromSeconds(1));
        await using (var db = Host.CreateDb())
        {
            Assert.Null(await Blobs.ReadAsync(db, id));
            Assert.Equal(1, await Blobs.PurgeExpiredAsync(db));
            Assert.Equal(0, await db.Blobs.CountAsync());
        }

        Assert.Null(await StoredContent(id));
    }

    [Fact]
    public async Task Review_window_extends_a_cases_images_beyond_their_time_to_live()
    {
        var options = Host.Services.GetRequiredService<IOptions<BlobStoreOptions>>().Value;
        var verificationId = Guid.NewGuid();
        Guid id;
        await using (var db = Host.CreateDb())
        {
            id = (await Blobs.AddAsync(db, "subject-1", verificationId, BlobKind.Selfie, Image)).Id;
            await db.SaveChangesAsync();
            Assert.Equal(1, await Blobs.KeepForReviewAsync(db, verificationId));
        }

        Time.Advance(options.TimeToLive + TimeSpan.FromHours(1));
        await using (var db = Host.CreateDb())
        {
            Assert.Equal(0, await Blobs.PurgeExpiredAsync(db));
            Assert.Equal(Image, await Blobs.ReadAsync(db, id));
        }

        Time.Advance(options.ReviewWindow);
        await using (var db = Host.CreateDb())
        {
            Assert.Equal(1, await Blobs.PurgeExpiredAsync(db));
        }
    }

    [Fact]
    public async Task Review_never_revives_an_expired_image()
    {
        var ttl = Host.Services.GetRequiredService<IOptions<BlobStoreOptions>>().Value.TimeToLive;
        var verificationId = Guid.NewGuid();
        Guid id;
        await using (var db = Host.CreateDb())
        {
            id = (await Blobs.AddAsync(db, "subject-1", verificationId, BlobKind.Selfie, Image)).Id;
            await db.SaveChangesAsync();
        }

        Time.Advance(ttl + TimeSpan.FromSeconds(1));
        await using (var db = Host.CreateDb())
        {
            Assert.Equal(0, await Blobs.KeepForReviewAsync(db, verificationId));
            Assert.Null(await Blobs.ReadAsync(db, id));
        }
    }

    [Fact]
    public async Task Times_of_no_kind_are_stored_as_the_utc_times_they_are()
    {
        var unspecified = new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Unspecified);
        var record = Verification("platform", null);
        record.CreatedAt = unspecified;
        await using (var db = Host.CreateDb())
        {
            db.Verifications.Add(record);
            await db.SaveChangesAsync();
        }

        await using (var db = Host.CreateDb())
        {
            var stored = await db.Verifications.SingleAsync(v => v.Id == record.Id);
            Assert.Equal(new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc), stored.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
        }
    }

    [Fact]
    public async Task Deleting_several_verifications_images_removes_theirs_only()
    {
        await using var db = Host.CreateDb();
        var first = await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image);
        var second = await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.DocumentFront, Image);
        var kept = await Blobs.AddAsync(db, "subject-2", Guid.NewGuid(), BlobKind.Selfie, Image);
        await db.SaveChangesAsync();

        Assert.Equal(2, await Blobs.DeleteForVerificationsAsync(db, [first.VerificationId, second.VerificationId]));
        Assert.Equal([kept.Id], await db.Blobs.Select(b => b.Id).ToListAsync());
        Assert.Null(await StoredContent(first.Id));
        Assert.NotNull(await StoredContent(kept.Id));
    }

    [Fact]
    public async Task Of_many_reviewers_claiming_a_case_at_once_one_holds_it_and_its_decision_lands_once()
    {
        var consent = new ConsentRecord { Id = Guid.NewGuid(), SubjectId = "subject-1", ClientId = "platform", BiometricProcessing = true, PolicyVersion = "2026-11", GrantedAt = Start.UtcDateTime };
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = "platform", SubjectId = "subject-1", ConsentId = consent.Id, State = VerificationState.NeedsReview,
            Reasons = ["face_match_uncertain"], CreatedAt = Start.UtcDateTime, UpdatedAt = Start.UtcDateTime, CompletedAt = Start.UtcDateTime,
        };
        await using (var db = Host.CreateDb())
        {
            db.Consents.Add(consent);
            db.Verifications.Add(verification);
            db.ReviewCases.Add(new ReviewCase
            {
                Id = verification.Id, Kind = ReviewCaseKind.Verification, ClientId = "platform", SubjectId = "subject-1",
                Reasons = ["face_match_uncertain", "document_screen_suspected"], OpenedAt = Start.UtcDateTime,
            });
            await db.SaveChangesAsync();
        }

        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var desk = new ReviewDesk(Blobs, new EvidenceDisposal(Blobs, Time), new ReviewTelemetry(meters.GetRequiredService<IMeterFactory>(), Host.Services.GetRequiredService<IDbContextFactory<Verify.Data.VerifyDbContext>>(), Time),
            Options.Create(new ReviewOptions()), Options.Create(new VerificationOptions()), Time);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var db = Host.CreateDb();
            return await desk.ClaimAsync(db, verification.Id, $"reviewer-{i}");
        }));

        Assert.Single(claims, c => c.Access == CaseAccess.Held);
        Assert.Equal(7, claims.Count(c => c.Access == CaseAccess.HeldByOther));
        string holder = claims.Single(c => c.Access == CaseAccess.Held).Case!.ClaimedBy!;
        await using (var db = Host.CreateDb())
        {
            // The queue's reason filter on the provider's list column.
            Assert.Equal(verification.Id, (await db.ReviewCases.SingleAsync(c => c.DecidedAt == null && c.Reasons.Contains("document_screen_suspected"))).Id);
            var decided = await desk.DecideAsync(db, verification.Id, holder, new ReviewVerdict(false, "other", null));
            Assert.Equal(VerdictStatus.Decided, decided.Status);
        }

        await using (var db = Host.CreateDb())
        {
            Assert.Equal(VerdictStatus.AlreadyDecided, (await desk.DecideAsync(db, verification.Id, holder, new ReviewVerdict(true, "identity_confirmed", null))).Status);
            Assert.Equal(VerificationState.Rejected, (await db.Verifications.SingleAsync(v => v.Id == verification.Id)).State);
        }
    }

    [Fact]
    public async Task Face_template_ciphertext_round_trips_through_the_database_and_opens_only_for_its_own_row()
    {
        var protector = Host.Services.GetRequiredService<PayloadProtector>();
        float[] embedding = [.. Enumerable.Range(0, 512).Select(i => MathF.Sin(i))];
        var template = new FaceTemplate
        {
            Id = Guid.NewGuid(),
            SubjectId = "subject-1",
            ModelId = "fr-feature",
            ModelVersion = "87aacdfe5751",
            Ciphertext = [],
            CreatedAt = Start.UtcDateTime,
            LastUsedAt = Start.UtcDateTime,
            ExpiresAt = Start.UtcDateTime.AddYears(3),
        };
        template.Ciphertext = protector.Protect(MemoryMarshal.AsBytes(embedding.AsSpan()), $"template:{template.Id:N}");
        await using (var db = Host.CreateDb())
        {
            db.FaceTemplates.Add(template);
            await db.SaveChangesAsync();
        }

        await using (var db = Host.CreateDb())
        {
            var stored = await db.FaceTemplates.SingleAsync();
            var opened = MemoryMarshal.Cast<byte, float>(protector.Unprotect(stored.Ciphertext, $"template:{stored.Id:N}")).ToArray();
            Assert.Equal(embedding, opened);
            Assert.Throws<PayloadUnprotectException>(() => protector.Unprotect(stored.Ciphertext, $"template:{Guid.NewGuid():N}"));
        }
    }

    [Fact]
    public async Task Retention_purge_deletes_expired_templates_and_images_and_keeps_the_rest()
    {
        var purger = new Verify.Pipeline.Retention.RetentionPurger(Blobs,
            Microsoft.Extensions.Options.Options.Create(new Verify.Pipeline.Retention.RetentionOptions()), Time);
        await using (var db = Host.CreateDb())
        {
            db.FaceTemplates.Add(Template("expiring", Start.UtcDateTime.AddDays(1)));
            db.FaceTemplates.Add(Template("kept", Start.UtcDateTime.AddYears(3)));
            await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image);
            await db.SaveChangesAsync();
            Assert.Equal(new Verify.Pipeline.Retention.PurgeReport(0, 0, 0, 0, 0, 0, 0, 0), await purger.PurgeAsync(db));
        }

        Time.Advance(TimeSpan.FromDays(2));
        await using (var db = Host.CreateDb())
        {
            var report = await purger.PurgeAsync(db);
            Assert.Equal(1, report.Images);
            Assert.Equal(1, report.Templates);
            Assert.Equal(["kept"], await db.FaceTemplates.Select(t => t.SubjectId).ToListAsync());
        }
    }

    private static FaceTemplate Template(string subject, DateTime expires) => new()
    {
        Id = Guid.NewGuid(), SubjectId = subject, ModelId = "m", ModelVersion = "v", Ciphertext = [1, 2, 3],
        CreatedAt = Start.UtcDateTime, LastUsedAt = Start.UtcDateTime, ExpiresAt = expires,
    };

    [Fact]
    public async Task Orphan_sweep_deletes_content_without_an_index_row_once_the_grace_is_over_and_keeps_the_rest()
    {
        var grace = TimeSpan.FromHours(1);
        BlobRecord orphan, kept;
        await using (var db = Host.CreateDb())
        {
            // Content written, then the transaction that would have added its index row never commits.
            orphan = await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image);
        }

        await using (var db = Host.CreateDb())
        {
            kept = await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image);
            await db.SaveChangesAsync();
            Assert.Equal(0, await Blobs.SweepOrphanContentAsync(db, grace));
        }

        Assert.Equal(ContentOutsideDatabase, await StoredContent(orphan.Id) is not null);

        // The stores date content by the real clock: move the test clock past it and the grace.
        var later = (DateTimeOffset.UtcNow > Time.GetUtcNow() ? DateTimeOffset.UtcNow : Time.GetUtcNow()) + grace + TimeSpan.FromMinutes(1);
        Time.Advance(later - Time.GetUtcNow());
        await using (var db = Host.CreateDb())
        {
            Assert.Equal(ContentOutsideDatabase ? 1 : 0, await Blobs.SweepOrphanContentAsync(db, grace));
        }

        Assert.Null(await StoredContent(orphan.Id));
        Assert.NotNull(await StoredContent(kept.Id));
    }

    /// <summary>Whether content lives outside the blobs table (a directory or a bucket), where an orphan can exist.</summary>
    [Fact]
    public async Task Audit_rows_written_and_sealed_over_many_connections_at_once_form_one_intact_chain()
    {
        const int Writers = 4, RowsEach = 25, Sealers = 3;
        var mac = Host.Services.GetRequiredService<AuditRowMac>();
        var sealer = new AuditSealer(mac);
        // Writers save rows as API instances and workers do while several sealers run at once, as every API instance's
        // does; only the lock keeps two sealers from giving two rows one position.
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; i < RowsEach; i++)
            {
                await using var db = Host.CreateDb();
                db.AuditEvents.Add(new AuditEvent
                {
                    At = Time.GetUtcNow().UtcDateTime, Actor = $"key-{writer}", ClientId = "platform", Action = "verification.submitted", SubjectId = $"subject-{writer}-{i}",
                });
                await db.SaveChangesAsync();
            }
        })).ToList();
        var writing = Task.WhenAll(writers);
        var sealers = Enumerable.Range(0, Sealers).Select(_ => Task.Run(async () =>
        {
            while (!writing.IsCompleted)
            {
                await using var db = Host.CreateDb();
                await sealer.SealAsync(db);
            }
        }));
        await Task.WhenAll([writing, .. sealers]);

        await using var check = Host.CreateDb();
        await sealer.SealAsync(check);
        var report = await new AuditChain(mac, Time).VerifyAsync(check, TimeSpan.FromMinutes(10));
        Assert.True(report.Intact, report.FirstBreak?.Description);
        Assert.Equal((Writers * RowsEach, 0), (report.Rows, report.Unsealed));
    }

    protected virtual bool ContentOutsideDatabase => true;

    /// <summary>The encrypted content as stored (file, column or object); null when there is none.</summary>
    protected abstract Task<byte[]?> StoredContent(Guid blobId);

    private VerificationRecord Verification(string client, string? idempotencyKey) => new()
    {
        Id = Guid.NewGuid(),
        ClientId = client,
        SubjectId = "subject-1",
        IdempotencyKey = idempotencyKey,
        CreatedAt = Time.GetUtcNow().UtcDateTime,
        UpdatedAt = Time.GetUtcNow().UtcDateTime,
    };
}

/// <summary>Embedded mode: SQLite and encrypted files in a local directory.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class SqliteStorageTests : StorageTests
{
    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    protected override async Task<byte[]?> StoredContent(Guid blobId)
    {
        string path = Path.Combine(Host.DataDirectory, "blobs", blobId.ToString("N") + ".blob");
        return File.Exists(path) ? await File.ReadAllBytesAsync(path) : null;
    }

    [Fact]
    public async Task Database_file_holds_the_template_ciphertext_but_no_plaintext_embedding_bytes()
    {
        var protector = Host.Services.GetRequiredService<PayloadProtector>();
        float[] embedding = [.. Enumerable.Range(0, 512).Select(i => MathF.Cos(i * 0.37f))];
        var ciphertext = protector.Protect(MemoryMarshal.AsBytes(embedding.AsSpan()), "template:x");
        await using (var db = Host.CreateDb())
        {
            db.FaceTemplates.Add(new FaceTemplate
            {
                Id = Guid.NewGuid(), SubjectId = "s", ModelId = "m", ModelVersion = "v", Ciphertext = ciphertext,
                CreatedAt = Start.UtcDateTime, LastUsedAt = Start.UtcDateTime, ExpiresAt = Start.UtcDateTime.AddYears(3),
            });
            await db.SaveChangesAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(Host.DataDirectory, "verify.db*");
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();
        var plaintext = MemoryMarshal.AsBytes(embedding.AsSpan());
        Assert.True(bytes.AsSpan().IndexOf(ciphertext.AsSpan(20, 64)) >= 0, "the test must look where the template is stored");
        for (int offset = 0; offset + 16 <= plaintext.Length; offset += 64)
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(plaintext.Slice(offset, 16)));
        }
    }

    [Fact]
    public void Unknown_database_provider_stops_start_up_with_the_valid_ones()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = "Oracle" })
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddVerifyStorage().BuildServiceProvider();
        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("'Oracle' is not supported; use one of: Sqlite, PostgreSql", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S3_store_without_a_bucket_stops_start_up_with_what_is_missing()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Blobs:Store"] = "S3", ["Blobs:S3:ServiceUrl"] = "http://127.0.0.1:1" })
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddVerifyStorage().BuildServiceProvider();
        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BlobStoreOptions>>().Value);
        Assert.Contains("Blobs:S3:Bucket is required when Blobs:Store is S3.", exception.Message, StringComparison.Ordinal);
    }
}

/// <summary>The storage specification on a real PostgreSQL server: each test starts from empty tables in the class's own database.</summary>
public abstract class PostgreSqlBackedStorageTests(PostgresServer server) : StorageTests
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = server.StorageSettings();
            foreach (var (key, value) in BlobSettings)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    /// <summary>Where the class keeps image content.</summary>
    protected abstract IEnumerable<KeyValuePair<string, string?>> BlobSettings { get; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Host.CreateDb();
        await db.Database.ExecuteSqlRawAsync("TRUNCATE verifications, consents, face_templates, blobs, document_fingerprints, audit_events, outbox_messages, api_keys");
    }
}

/// <summary>Distributed mode: a real PostgreSQL server, with the blob content in the database.</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
public sealed class PostgreSqlStorageTests(PostgresServer server) : PostgreSqlBackedStorageTests(server), IClassFixture<PostgresServer>
{
    protected override IEnumerable<KeyValuePair<string, string?>> BlobSettings => [new("Blobs:Store", "Database")];

    protected override bool ContentOutsideDatabase => false;

    protected override async Task<byte[]?> StoredContent(Guid blobId)
    {
        await using var db = Host.CreateDb();
        return await db.Blobs.Where(b => b.Id == blobId).Select(b => b.Content).SingleOrDefaultAsync();
    }
}

/// <summary>Distributed mode with a bucket: a real PostgreSQL server and a real S3-compatible server (scripts/s3.sh).</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
public sealed class S3StorageTests(PostgresServer server, S3Server s3) : PostgreSqlBackedStorageTests(server), IClassFixture<PostgresServer>, IClassFixture<S3Server>
{
    private readonly string _prefix = S3Server.Prefix("storage");

    protected override IEnumerable<KeyValuePair<string, string?>> BlobSettings => s3.Settings(_prefix);

    [Fact]
    public async Task Content_is_an_object_under_the_prefix_and_the_row_holds_none()
    {
        await using var db = Host.CreateDb();
        var record = await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image);
        await db.SaveChangesAsync();

        using var client = s3.Client();
        var listing = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = s3.Bucket, Prefix = _prefix });
        Assert.Equal([$"{_prefix}{record.Id:N}.blob"], listing.S3Objects.Select(o => o.Key));
        Assert.Null(await db.Blobs.Where(b => b.Id == record.Id).Select(b => b.Content).SingleAsync());
    }

    [Fact]
    public async Task An_unknown_access_key_is_refused_by_the_server_and_nothing_is_indexed()
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in s3.Settings(_prefix, accessKeyId: "NOT-A-KEY"))
        {
            settings[key] = value;
        }

        await using var host = await StorageHost.StartAsync(settings, Time);
        await using var db = host.CreateDb();
        var store = host.Services.GetRequiredService<EncryptedBlobStore>();
        var refused = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => store.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(db.ChangeTracker.Entries<BlobRecord>());
    }

    [Fact]
    public async Task A_missing_bucket_is_an_error_not_a_missing_image()
    {
        await using (var db = Host.CreateDb())
        {
            await Blobs.AddAsync(db, "subject-1", Guid.NewGuid(), BlobKind.Selfie, Image);
            await db.SaveChangesAsync();
        }

        // A worker whose bucket is misconfigured must fail (and be retried), never reject as images_unavailable.
        var settings = new Dictionary<string, string?>(Settings) { ["Blobs:S3:Bucket"] = "no-such-bucket" };
        await using var host = await StorageHost.StartAsync(settings, Time);
        await using var other = host.CreateDb();
        var id = await other.Blobs.Select(b => b.Id).SingleAsync();
        var error = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => host.Services.GetRequiredService<EncryptedBlobStore>().ReadAsync(other, id));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    protected override async Task<byte[]?> StoredContent(Guid blobId)
    {
        using var client = s3.Client();
        try
        {
            using var response = await client.GetObjectAsync(s3.Bucket, $"{_prefix}{blobId:N}.blob");
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content);
            return content.ToArray();
        }
        catch (Amazon.S3.AmazonS3Exception exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
