using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.Pipeline.Impersonation;
using Verify.Pipeline.Retention;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Impersonation;

/// <summary>
/// The report use case without HTTP or models: the report, its encrypted images and command, idempotency, what an
/// assessment records, and what the claimed subject's erasure takes with it.
/// </summary>
public sealed class ReportIntakeTests : IAsyncLifetime
{
    private static readonly byte[] Image = [0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7, 6, 5, 4, 3, 2];

    private SqliteTestStore _store = null!;
    private ReportIntake _intake = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTestStore.CreateAsync();
        _intake = new ReportIntake(_store, _store.Blobs, _store.Time);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_report_is_recorded_queued_with_its_encrypted_images_under_its_id_the_command_and_the_audit()
    {
        var accepted = Assert.IsType<ReportAccepted>(await _intake.SubmitAsync(Caller("client-a"), null, Report(images: 3), CancellationToken.None));

        Assert.Equal((ImpersonationReportState.Queued, false), (accepted.State, accepted.Replayed));
        await using var db = _store.CreateDbContext();
        var report = await db.ImpersonationReports.SingleAsync();
        Assert.Equal((accepted.ReportId, "client-a", "account-9", "subject-7", 3),
            (report.Id, report.ClientId, report.ReportedAccountId, report.ClaimedSubjectId, report.ImageCount));
        var blobs = await db.Blobs.OrderBy(b => b.Sequence).ToListAsync();
        Assert.Equal([0, 1, 2], blobs.Select(b => b.Sequence));
        Assert.All(blobs, blob => Assert.Equal((BlobKind.ReportedImage, report.Id, "subject-7"), (blob.Kind, blob.VerificationId, blob.SubjectId)));
        // Same time to live as a verification's images, and encrypted.
        Assert.All(blobs, blob => Assert.Equal(_store.Now + _store.BlobOptions.TimeToLive, blob.ExpiresAt));
        Assert.DoesNotContain(blobs, b => b.Content is null || b.Content.AsSpan().IndexOf(Image) >= 0);
        Assert.Equal(Image, await _store.Blobs.ReadAsync(db, blobs[2].Id));
        var command = await db.Outbox.SingleAsync();
        Assert.Equal(typeof(AssessImpersonationReport).FullName, command.MessageType);
        Assert.Equal(report.Id, JsonSerializer.Deserialize<AssessImpersonationReport>(command.Payload, JsonSerializerOptions.Web)!.ReportId);
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal(("key-client-a", "client-a", "impersonation_report.submitted", "subject-7", report.Id),
            (audit.Actor, audit.ClientId, audit.Action, audit.SubjectId, audit.VerificationId));
    }

    [Fact]
    public async Task A_retry_under_the_same_key_answers_as_the_first_time_and_other_content_under_it_is_refused()
    {
        var first = Assert.IsType<ReportAccepted>(await _intake.SubmitAsync(Caller("client-a"), "key-1", Report(), CancellationToken.None));

        var again = Assert.IsType<ReportAccepted>(await _intake.SubmitAsync(Caller("client-a"), "key-1", Report(), CancellationToken.None));
        var other = await _intake.SubmitAsync(Caller("client-a"), "key-1", Report(images: 2), CancellationToken.None);
        var otherClient = Assert.IsType<ReportAccepted>(await _intake.SubmitAsync(Caller("client-b"), "key-1", Report(), CancellationToken.None));

        Assert.Equal((first.ReportId, true), (again.ReportId, again.Replayed));
        Assert.IsType<ReportKeyReused>(other);
        Assert.NotEqual(first.ReportId, otherClient.ReportId);
        await using var db = _store.CreateDbContext();
        Assert.Equal(2, await db.ImpersonationReports.CountAsync());
    }

    [Fact]
    public async Task An_assessment_completes_the_report_and_opens_its_review_case_whatever_it_suggests()
    {
        var accepted = Assert.IsType<ReportAccepted>(await _intake.SubmitAsync(Caller("client-a"), null, Report(), CancellationToken.None));
        await using (var db = _store.CreateDbContext())
        {
            var report = await db.ImpersonationReports.SingleAsync();
            var thresholds = new ReportThresholds("fr-feature", "fr-feature@0", 0.335, 0.2428);
            ReportRecorder.Record(db, report, new ReportAssessment(ImpersonationSuggestions.NoTemplate, thresholds, null, null, []), _store.Now);
            await db.SaveChangesAsync();
        }

        await using var check = _store.CreateDbContext();
        var completed = await check.ImpersonationReports.SingleAsync();
        Assert.Equal((ImpersonationReportState.Completed, ImpersonationSuggestions.NoTemplate, _store.Now, 0.335, 0.2428),
            (completed.State, completed.Suggestion, completed.CompletedAt, completed.MatchThreshold, completed.LikelyNotBelow));
        Assert.Null(completed.BestSimilarity);
        var reviewCase = await check.ReviewCases.SingleAsync();
        Assert.Equal((accepted.ReportId, ReviewCaseKind.ImpersonationReport, "client-a", "subject-7", _store.Now),
            (reviewCase.Id, reviewCase.Kind, reviewCase.ClientId, reviewCase.SubjectId, reviewCase.OpenedAt));
        Assert.Equal(["impersonation_reported:no_template"], reviewCase.Reasons);
        Assert.Single(await check.AuditEvents.Where(a => a.Action == "impersonation_report.assessed" && a.VerificationId == accepted.ReportId).ToListAsync());
    }

    [Fact]
    public async Task Erasing_the_claimed_subject_deletes_the_images_of_the_erasing_clients_reports_only()
    {
        var own = Assert.IsType<ReportAccepted>(await _intake.SubmitAsync(Caller("client-a"), null, Report(images: 2), CancellationToken.None));
        var others = Assert.IsType<ReportAccepted>(await _intake.SubmitAsync(Caller("client-b"), null, Report(), CancellationToken.None));
        var eraser = new SubjectEraser(_store.Blobs, _store.Time);

        await using (var db = _store.CreateDbContext())
        {
            Assert.Equal(2, (await eraser.EraseAsync(db, "subject-7", Caller("client-a"), "client-a")).Images);
        }

        await using (var check = _store.CreateDbContext())
        {
            Assert.False(await check.Blobs.AnyAsync(b => b.VerificationId == own.ReportId));
            Assert.Equal(_store.Now, (await check.ImpersonationReports.SingleAsync(r => r.Id == own.ReportId)).ImagesDeletedAt);
            Assert.True(await check.Blobs.AnyAsync(b => b.VerificationId == others.ReportId));
            Assert.Null((await check.ImpersonationReports.SingleAsync(r => r.Id == others.ReportId)).ImagesDeletedAt);
        }

        await using (var db = _store.CreateDbContext())
        {
            Assert.Equal(1, (await eraser.EraseAsync(db, "subject-7", new ApiCaller("key-admin", "operator", ApiRole.Admin), clientId: null)).Images);
            Assert.False(await db.Blobs.AnyAsync());
        }
    }

    private static ReportSubmission Report(int images = 1) => new("account-9", "subject-7", [.. Enumerable.Repeat(Image, images)]);

    private static ApiCaller Caller(string clientId) => new($"key-{clientId}", clientId, ApiRole.Client);
}
