using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verify.Data.Entities;
using Verify.Inference.Faces;
using Verify.Pipeline.Duplicates;
using Verify.Pipeline.Verification;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Duplicates;

/// <summary>
/// Duplicate identities, without any model: the same document or the same face behind two subjects of one client sends
/// the second to review naming the first; the subject itself, another client and a different face do not.
/// </summary>
public sealed class DuplicateSafeguardTests : IAsyncLifetime
{
    private static readonly float[] Face = [0.25f, -0.5f, 0.75f, 1f];
    private static readonly float[] OtherFace = [1f, 0.5f, 0f, 0f];
    private SqliteTestStore _store = null!;
    private DuplicateChecks _checks = null!;
    private byte[] _document = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTestStore.CreateAsync();
        _checks = await DuplicateChecks.CreateAsync(_store);
        _document = _store.Fingerprinter.Fingerprint("DEU", "C01X00T47");
    }

    public async Task DisposeAsync()
    {
        _checks.Dispose();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_document_verified_for_another_subject_of_the_client_goes_to_review_naming_that_subject()
    {
        await CommitAsync("subject-0", Run(_document, OtherFace));

        var recorded = await CommitAsync("subject-1", Run(_document, Face));

        Assert.Equal(VerificationState.NeedsReview, recorded.Decision.State);
        Assert.Equal([DecisionReasons.DuplicateDocument], recorded.Decision.Reasons);
        Assert.Equal(new DuplicateFinding("subject-0", null, null, null), recorded.Result.Duplicate);
        await using var db = _store.CreateDbContext();
        Assert.Equal(["subject-0"], await db.DocumentFingerprints.Select(f => f.SubjectId).ToListAsync());
        var stored = await db.Verifications.SingleAsync(v => v.SubjectId == "subject-1");
        Assert.Contains("\"duplicate\":{\"document_subject_id\":\"subject-0\"}", stored.ResultJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_subjects_document_again_stays_verified_and_is_kept_once()
    {
        await CommitAsync("subject-1", Run(_document, Face));

        var again = await CommitAsync("subject-1", Run(_document, Face));

        Assert.Equal(VerificationState.Verified, again.Decision.State);
        Assert.True(again.FingerprintOnFile);
        Assert.Null(again.Result.Duplicate);
        await using var db = _store.CreateDbContext();
        Assert.Equal(1, await db.DocumentFingerprints.CountAsync());
        Assert.Equal(2, await db.FaceTemplates.CountAsync());
    }

    [Fact]
    public async Task Another_clients_subject_with_the_same_document_and_face_is_verified_and_told_nothing()
    {
        await CommitAsync("subject-0", Run(_document, Face));

        var recorded = await CommitAsync("subject-b", Run(_document, Face), clientId: "client-b");

        Assert.Equal(VerificationState.Verified, recorded.Decision.State);
        Assert.Null(recorded.Result.Duplicate);
        await using var db = _store.CreateDbContext();
        Assert.Equal(["client-a", "client-b"], await db.DocumentFingerprints.OrderBy(f => f.ClientId).Select(f => f.ClientId).ToListAsync());
    }

    [Fact]
    public async Task A_selfie_matching_another_subjects_template_goes_to_review_with_that_subject_and_the_score()
    {
        await CommitAsync("subject-0", Run(document: null, Face));

        var recorded = await CommitAsync("subject-1", Run(document: null, [.. Face.Select(v => v * 2)]));

        Assert.Equal(VerificationState.NeedsReview, recorded.Decision.State);
        Assert.Equal([DecisionReasons.DuplicateFace], recorded.Decision.Reasons);
        var duplicate = Assert.IsType<DuplicateFinding>(recorded.Result.Duplicate);
        Assert.Equal(("subject-0", 1.0), (duplicate.FaceSubjectId, duplicate.FaceScore));
        Assert.Equal(Math.Round(_checks.Search.Threshold, 4), duplicate.FaceThreshold);
        // No badge: the second subject's template waits for the reviewer and never joins the search.
        await using var db = _store.CreateDbContext();
        Assert.True((await db.FaceTemplates.SingleAsync(t => t.SubjectId == "subject-1")).HeldForReview);
        await _checks.Sync.ReconcileAsync(CancellationToken.None);
        Assert.Equal(1, _checks.Index.Count);
    }

    [Fact]
    public async Task The_same_document_and_face_give_both_reasons()
    {
        await CommitAsync("subject-0", Run(_document, Face));

        var recorded = await CommitAsync("subject-1", Run(_document, Face));

        Assert.Equal([DecisionReasons.DuplicateDocument, DecisionReasons.DuplicateFace], recorded.Decision.Reasons);
        Assert.Equal(("subject-0", "subject-0"), (recorded.Result.Duplicate?.DocumentSubjectId, recorded.Result.Duplicate?.FaceSubjectId));
    }

    [Fact]
    public async Task A_different_face_stays_verified()
    {
        await CommitAsync("subject-0", Run(document: null, Face));

        var recorded = await CommitAsync("subject-1", Run(document: null, OtherFace));

        Assert.Equal(VerificationState.Verified, recorded.Decision.State);
        Assert.Equal(2, _checks.Index.Count);
    }

    [Fact]
    public async Task Templates_held_for_review_or_expired_are_never_matched()
    {
        await CommitAsync("held", Run(document: null, Face));
        await using (var db = _store.CreateDbContext())
        {
            await db.FaceTemplates.ExecuteUpdateAsync(set => set.SetProperty(t => t.HeldForReview, true));
        }

        await _checks.Sync.ReconcileAsync(CancellationToken.None);
        Assert.Equal(VerificationState.Verified, (await CommitAsync("subject-1", Run(document: null, Face))).Decision.State);

        // subject-1's template is now searchable; once past its expiry it no longer counts.
        _store.Time.Now += new VerificationOptions().TemplateRetention;
        Assert.Equal(VerificationState.Verified, (await CommitAsync("subject-2", Run(document: null, Face))).Decision.State);
    }

    [Fact]
    public async Task A_case_for_review_learns_of_the_duplicate_and_a_rejection_stays_a_rejection()
    {
        await CommitAsync("subject-0", Run(_document, Face));

        var review = await CommitAsync("subject-1", Run(_document, Face) with { Decision = new Decision(VerificationState.NeedsReview, ["document_screen_suspected"]) });
        var rejected = await CommitAsync("subject-2", Run(_document, Face) with { Decision = new Decision(VerificationState.Rejected, [DecisionReasons.FaceMismatch]) });

        Assert.Equal(["document_screen_suspected", DecisionReasons.DuplicateDocument, DecisionReasons.DuplicateFace], review.Decision.Reasons);
        Assert.Equal((VerificationState.Rejected, DecisionReasons.FaceMismatch), (rejected.Decision.State, Assert.Single(rejected.Decision.Reasons)));
        Assert.Null(rejected.Result.Duplicate);
    }

    [Fact]
    public async Task With_the_face_search_switched_off_only_the_document_counts()
    {
        using var checks = await DuplicateChecks.CreateAsync(_store, new DuplicateSearchOptions { FaceSearch = false });
        await CommitAsync("subject-0", Run(document: null, Face), committer: checks.Committer);

        var recorded = await CommitAsync("subject-1", Run(document: null, Face), committer: checks.Committer);

        Assert.Equal(VerificationState.Verified, recorded.Decision.State);
        await checks.Sync.ReconcileAsync(CancellationToken.None);
        Assert.Equal(0, checks.Index.Count);
    }

    [Fact]
    public async Task Only_the_searched_models_templates_are_held()
    {
        var both = Run(document: null, Face) with
        {
            SelfieEmbeddings = [new ModelEmbedding(ArcFaceEmbedder.Id, new FaceEmbedding("fr-feature@1", Face)),
                new ModelEmbedding(DlibResNetEmbedder.Id, new FaceEmbedding("dlib-resnet-v1@1", OtherFace))],
        };

        await CommitAsync("subject-0", both);
        await _checks.Sync.ReconcileAsync(CancellationToken.None);

        await using var db = _store.CreateDbContext();
        Assert.Equal(2, await db.FaceTemplates.CountAsync());
        Assert.Equal(1, _checks.Index.Count);
    }

    [Fact]
    public async Task Erasing_a_subject_takes_its_templates_out_of_the_search()
    {
        await CommitAsync("erased", Run(document: null, Face));
        await CommitAsync("erased", Run(document: null, Face), clientId: "client-b");
        await CommitAsync("kept", Run(document: null, OtherFace));
        await using (var db = _store.CreateDbContext())
        {
            // The client-a erasure: only what its verifications left.
            var clientA = await db.Verifications.Where(v => v.ClientId == "client-a").Select(v => v.Id).ToListAsync();
            await db.FaceTemplates.Where(t => t.SubjectId == "erased" && clientA.Contains(t.VerificationId)).ExecuteDeleteAsync();
        }

        await _checks.Sync.RefreshSubjectAsync("client-a", "erased", CancellationToken.None);

        Assert.Equal(2, _checks.Index.Count);
        Assert.Equal(VerificationState.Verified, (await CommitAsync("subject-1", Run(document: null, Face))).Decision.State);
        Assert.Equal(VerificationState.NeedsReview, (await CommitAsync("subject-b", Run(document: null, Face), clientId: "client-b")).Decision.State);
    }

    [Fact]
    public async Task The_catch_up_brings_in_what_another_process_stored_and_drops_what_went()
    {
        var elsewhere = await _store.AddVerificationAsync("elsewhere");
        await using (var db = _store.CreateDbContext())
        {
            // Recorded by another process: this index heard nothing of it.
            var verification = await db.Verifications.SingleAsync(v => v.Id == elsewhere.Id);
            _checks.Recorder.Record(db, verification, Run(null, Face).Decision, Run(null, Face), templateStorage: true, _store.Now);
            await db.SaveChangesAsync();
        }

        Assert.Equal((1, 0), await _checks.Sync.ReconcileAsync(CancellationToken.None));
        Assert.Equal(VerificationState.NeedsReview, (await CommitAsync("subject-1", Run(document: null, Face))).Decision.State);

        await using (var db = _store.CreateDbContext())
        {
            await db.FaceTemplates.ExecuteDeleteAsync();
        }

        Assert.Equal((0, 1), await _checks.Sync.ReconcileAsync(CancellationToken.None));
        Assert.Equal(0, _checks.Index.Count);
    }

    [Fact]
    public async Task The_result_json_names_ids_and_scores_only()
    {
        await CommitAsync("subject-0", Run(_document, Face));
        await CommitAsync("subject-1", Run(_document, Face));

        await using var db = _store.CreateDbContext();
        var result = JsonDocument.Parse((await db.Verifications.SingleAsync(v => v.SubjectId == "subject-1")).ResultJson!).RootElement;
        Assert.Equal(["document_subject_id", "face_subject_id", "face_score", "face_threshold"],
            result.GetProperty("duplicate").EnumerateObject().Select(p => p.Name));
    }

    private static StageRun Run(byte[]? document, float[] face) =>
        new(new Decision(VerificationState.Verified, []), new VerificationResult { FaceMatchScore = 0.91, FaceMatchThreshold = 0.335, FalseAcceptRate = 1e-3 },
            [new ModelEmbedding(ArcFaceEmbedder.Id, new FaceEmbedding("fr-feature@1", face))], document, null, AssuranceLevels.DocumentFaceAndLiveness);

    private async Task<StageRun> CommitAsync(string subjectId, StageRun run, string clientId = "client-a", DecisionCommitter? committer = null)
    {
        var added = await _store.AddVerificationAsync(subjectId, clientId: clientId);
        await using var db = _store.CreateDbContext();
        var verification = await db.Verifications.SingleAsync(v => v.Id == added.Id);
        var recorded = await (committer ?? _checks.Committer).CommitAsync(db, verification, run, templateStorage: true, CancellationToken.None);
        Assert.NotNull(recorded);
        Assert.Equal(recorded.Decision.State, (await db.Verifications.AsNoTracking().SingleAsync(v => v.Id == added.Id)).State);
        return recorded;
    }
}
