using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Verify.Data.Entities;

namespace Verify.Data;

/// <summary>
/// The verification store, the same model on every provider. SQLite (embedded) and PostgreSQL (distributed) keep
/// their own migrations in their own assemblies; the host's storage set-up picks one.
/// </summary>
public class VerifyDbContext(DbContextOptions<VerifyDbContext> options) : DbContext(options)
{
    /// <summary>Longest subject id the API accepts (platform ids are opaque strings).</summary>
    public const int SubjectIdLength = 128;

    /// <summary>Longest Idempotency-Key the API accepts.</summary>
    public const int IdempotencyKeyLength = 128;

    public DbSet<VerificationRecord> Verifications => Set<VerificationRecord>();

    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();

    public DbSet<FaceTemplate> FaceTemplates => Set<FaceTemplate>();

    public DbSet<DocumentFingerprint> DocumentFingerprints => Set<DocumentFingerprint>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<BlobRecord> Blobs => Set<BlobRecord>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<LivenessChallenge> LivenessChallenges => Set<LivenessChallenge>();

    public DbSet<ReviewCase> ReviewCases => Set<ReviewCase>();

    public DbSet<ImpersonationReport> ImpersonationReports => Set<ImpersonationReport>();

    public DbSet<SubjectRecord> Subjects => Set<SubjectRecord>();

    public DbSet<ClientUsage> ClientUsage => Set<ClientUsage>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Every time is UTC; SQLite hands DateTime back without a kind, PostgreSQL's timestamptz insists on UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<VerificationRecord>(entity =>
        {
            entity.ToTable("verifications");
            entity.Property(v => v.ClientId).HasMaxLength(64);
            entity.Property(v => v.SubjectId).HasMaxLength(SubjectIdLength);
            entity.Property(v => v.IdempotencyKey).HasMaxLength(IdempotencyKeyLength);
            // Two workers given the same message (a redelivery after a crash) race to decide: the state is checked on
            // every update, so the second writer fails instead of deciding twice.
            // Stored as the API's word for it (needs_review), so a query, a dump and the API read alike.
            entity.Property(v => v.State)
                .HasConversion(state => VerificationStateWords.Of(state), word => VerificationStateWords.Parse(word))
                .HasMaxLength(16).IsConcurrencyToken();
            // Unique per client; both providers let any number of rows have no key (NULLs are distinct).
            entity.HasIndex(v => new { v.ClientId, v.IdempotencyKey }).IsUnique();
            entity.HasIndex(v => v.SubjectId);
            entity.HasIndex(v => v.State);
            entity.Property(v => v.LivenessChallenge).HasMaxLength(16);
            // Taking over or re-driving a verification whose lease lapsed is conditional on the lease it saw, so two
            // API instances or a re-driver and a late worker cannot both act on it.
            entity.Property(v => v.LeaseExpiresAt).IsConcurrencyToken();
            entity.HasIndex(v => v.LeaseExpiresAt);
        });

        modelBuilder.Entity<ConsentRecord>(entity =>
        {
            entity.ToTable("consents");
            entity.Property(c => c.SubjectId).HasMaxLength(SubjectIdLength);
            entity.Property(c => c.ClientId).HasMaxLength(64);
            entity.Property(c => c.PolicyVersion).HasMaxLength(32);
            entity.HasIndex(c => c.SubjectId);
        });

        modelBuilder.Entity<FaceTemplate>(entity =>
        {
            entity.ToTable("face_templates");
            entity.Property(t => t.SubjectId).HasMaxLength(SubjectIdLength);
            entity.Property(t => t.ModelId).HasMaxLength(64);
            entity.Property(t => t.ModelVersion).HasMaxLength(64);
            entity.HasIndex(t => t.SubjectId);
            entity.HasIndex(t => t.ExpiresAt);
            entity.HasIndex(t => t.VerificationId);
        });

        modelBuilder.Entity<DocumentFingerprint>(entity =>
        {
            entity.ToTable("document_fingerprints");
            entity.Property(f => f.SubjectId).HasMaxLength(SubjectIdLength);
            entity.Property(f => f.KeyId).HasMaxLength(32);
            entity.Property(f => f.ClientId).HasMaxLength(64);
            // One subject per document and client: of two verifications racing to record one document, one commits.
            entity.HasIndex(f => new { f.KeyId, f.ClientId, f.Value }).IsUnique();
            entity.HasIndex(f => f.SubjectId);
        });

        modelBuilder.Entity<AuditEvent>(entity =>
        {
            entity.ToTable("audit_events");
            entity.Property(a => a.Actor).HasMaxLength(64);
            entity.Property(a => a.Action).HasMaxLength(64);
            entity.Property(a => a.SubjectId).HasMaxLength(SubjectIdLength);
            entity.Property(a => a.ClientId).HasMaxLength(64);
            entity.Property(a => a.Detail).HasMaxLength(64);
            entity.Property(a => a.SubjectDigest).HasMaxLength(32);
            entity.Property(a => a.SubjectSalt).HasMaxLength(16);
            entity.Property(a => a.PreviousHash).HasMaxLength(32);
            entity.Property(a => a.Hash).HasMaxLength(32);
            entity.Property(a => a.SealKeyId).HasMaxLength(16);
            entity.HasIndex(a => a.At);
            entity.HasIndex(a => a.VerificationId);
            entity.HasIndex(a => a.SubjectId);
            // One row per position: two sealers that somehow both ran cannot both commit (NULLs, the unsealed rows, are distinct).
            entity.HasIndex(a => a.Sequence).IsUnique();
        });

        modelBuilder.Entity<OutboxMessage>(entity =>
        {
            entity.ToTable("outbox_messages");
            entity.Property(m => m.MessageType).HasMaxLength(256);
            entity.HasIndex(m => m.SentAt);
        });

        modelBuilder.Entity<BlobRecord>(entity =>
        {
            entity.ToTable("blobs");
            entity.Property(b => b.SubjectId).HasMaxLength(SubjectIdLength);
            entity.Property(b => b.Kind).HasConversion<string>().HasMaxLength(16);
            entity.HasIndex(b => b.SubjectId);
            entity.HasIndex(b => b.VerificationId);
            entity.HasIndex(b => b.ExpiresAt);
        });

        modelBuilder.Entity<WebhookDelivery>(entity =>
        {
            entity.ToTable("webhook_deliveries");
            entity.Property(d => d.Endpoint).HasMaxLength(64);
            entity.Property(d => d.EventType).HasMaxLength(64);
            entity.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
            entity.Property(d => d.LastError).HasMaxLength(64);
            entity.HasIndex(d => new { d.State, d.NextAttemptAt });
            entity.HasIndex(d => new { d.EventId, d.Endpoint }).IsUnique();
        });

        modelBuilder.Entity<LivenessChallenge>(entity =>
        {
            entity.ToTable("liveness_challenges");
            entity.Property(c => c.ClientId).HasMaxLength(64);
            entity.Property(c => c.NonceHash).HasMaxLength(32);
            entity.Property(c => c.Instruction).HasMaxLength(16);
            // Two submissions racing for one nonce: the claim is checked on update, so only one commits.
            entity.Property(c => c.UsedAt).IsConcurrencyToken();
            entity.HasIndex(c => c.NonceHash).IsUnique();
            entity.HasIndex(c => c.ExpiresAt);
        });

        modelBuilder.Entity<ApiKey>(entity =>
        {
            entity.ToTable("api_keys");
            entity.HasKey(k => k.KeyId);
            entity.Property(k => k.KeyId).HasMaxLength(32);
            entity.Property(k => k.ClientId).HasMaxLength(64);
            entity.Property(k => k.Role).HasConversion<string>().HasMaxLength(16);
        });

        modelBuilder.Entity<ClientUsage>(entity =>
        {
            entity.ToTable("client_usage");
            entity.HasKey(u => new { u.ClientId, u.Day });
            entity.Property(u => u.ClientId).HasMaxLength(64);
        });

        modelBuilder.Entity<ReviewCase>(entity =>
        {
            entity.ToTable("review_cases");
            entity.Property(c => c.Kind)
                .HasConversion(kind => kind == ReviewCaseKind.Verification ? "verification" : "impersonation_report",
                    word => word == "verification" ? ReviewCaseKind.Verification : ReviewCaseKind.ImpersonationReport)
                .HasMaxLength(32);
            entity.Property(c => c.ClientId).HasMaxLength(64);
            entity.Property(c => c.SubjectId).HasMaxLength(SubjectIdLength);
            // A decision saves only while the decider's claim stands and nobody decided first; an erasure that deleted
            // the case makes it fail too.
            entity.Property(c => c.ClaimedBy).HasMaxLength(32).IsConcurrencyToken();
            entity.Property(c => c.DecidedAt).IsConcurrencyToken();
            entity.Property(c => c.AssuranceLevel).HasMaxLength(64);
            entity.Property(c => c.FingerprintKeyId).HasMaxLength(32);
            entity.Property(c => c.DecidedBy).HasMaxLength(32);
            entity.Property(c => c.Outcome).HasMaxLength(16);
            entity.Property(c => c.DecisionReason).HasMaxLength(64);
            entity.Property(c => c.Note).HasMaxLength(1000);
            // The open queue, oldest first.
            entity.HasIndex(c => new { c.DecidedAt, c.OpenedAt });
            entity.HasIndex(c => c.SubjectId);
        });

        modelBuilder.Entity<ImpersonationReport>(entity =>
        {
            entity.ToTable("impersonation_reports");
            entity.Property(r => r.ClientId).HasMaxLength(64);
            entity.Property(r => r.ReportedAccountId).HasMaxLength(SubjectIdLength);
            entity.Property(r => r.ClaimedSubjectId).HasMaxLength(SubjectIdLength);
            entity.Property(r => r.IdempotencyKey).HasMaxLength(IdempotencyKeyLength);
            // A redelivered command races the first one: the state is checked on update, so a report is assessed once.
            entity.Property(r => r.State)
                .HasConversion(state => ImpersonationReportStateWords.Of(state), word => ImpersonationReportStateWords.Parse(word))
                .HasMaxLength(16).IsConcurrencyToken();
            entity.Property(r => r.ModelId).HasMaxLength(64);
            entity.Property(r => r.ModelVersion).HasMaxLength(128);
            entity.Property(r => r.Suggestion).HasMaxLength(32);
            entity.Property(r => r.LeaseExpiresAt).IsConcurrencyToken();
            entity.HasIndex(r => r.LeaseExpiresAt);
            entity.HasIndex(r => new { r.ClientId, r.IdempotencyKey }).IsUnique();
            entity.HasIndex(r => r.ClaimedSubjectId);
        });

        modelBuilder.Entity<SubjectRecord>(entity =>
        {
            // The lock row of SubjectLock: its SQL names this table and these columns.
            entity.ToTable(SubjectLock.Table);
            entity.HasKey(s => new { s.ClientId, s.SubjectId });
            entity.Property(s => s.ClientId).HasMaxLength(64);
            entity.Property(s => s.SubjectId).HasMaxLength(SubjectIdLength);
        });
    }

    /// <summary>Reads every stored time back as UTC; a local time is converted, a time of no kind is taken as UTC already.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
