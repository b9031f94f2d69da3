using System.Runtime.InteropServices;
using Verify.Data.Entities;
using Verify.Inference.Faces;
using Verify.Pipeline.Impersonation;
using Verify.Pipeline.Verification;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Impersonation;

/// <summary>Which of a subject's templates a report may be compared with: the reporting client's, usable, of today's model versions.</summary>
public sealed class ClaimedSubjectTemplatesTests : IAsyncLifetime
{
    private static readonly FaceMatcher Single = new("a", [new MatcherComponent(new FakeEmbedder("a"), 0, 1, 1)], null);

    private SqliteTestStore _store = null!;
    private ClaimedSubjectTemplates _templates = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTestStore.CreateAsync();
        _templates = new ClaimedSubjectTemplates(_store.Protector, _store.Time);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Only_the_reporting_clients_live_templates_of_the_matchers_version_are_opened()
    {
        var usable = await AddVerificationAsync("client-a", "subject-1", [("a", "a@0", [0.6f, 0.8f])]);
        await AddVerificationAsync("client-b", "subject-1", [("a", "a@0", [1f, 0f])]);
        await AddVerificationAsync("client-a", "subject-1", [("a", "a@old", [1f, 0f])]);
        await AddVerificationAsync("client-a", "subject-2", [("a", "a@0", [1f, 0f])]);
        await AddVerificationAsync("client-a", "subject-1", [("a", "a@0", [1f, 0f])], held: true);
        await AddVerificationAsync("client-a", "subject-1", [("a", "a@0", [1f, 0f])], expired: true);

        await using var db = _store.CreateDbContext();
        var sets = await _templates.LoadAsync(db, "client-a", "subject-1", Single, CancellationToken.None);

        var set = Assert.Single(sets);
        Assert.Equal(usable, set.VerificationId);
        Assert.Equal([0.6f, 0.8f], set.Embeddings[0].Vector);
        Assert.Equal("a@0", set.Embeddings[0].ModelVersion);
        Assert.Empty(await _templates.LoadAsync(db, "client-c", "subject-1", Single, CancellationToken.None));
    }

    [Fact]
    public async Task A_fusion_compares_only_verifications_that_kept_a_template_of_each_of_its_models()
    {
        var fusion = new FaceMatcher("fusion", [new MatcherComponent(new FakeEmbedder("a"), 0, 1, 0.5), new MatcherComponent(new FakeEmbedder("b"), 0, 1, 0.5)], null);
        var complete = await AddVerificationAsync("client-a", "subject-1", [("b", "b@0", [0f, 1f]), ("a", "a@0", [1f, 0f])]);
        await AddVerificationAsync("client-a", "subject-1", [("a", "a@0", [1f, 0f])]);

        await using var db = _store.CreateDbContext();
        var set = Assert.Single(await _templates.LoadAsync(db, "client-a", "subject-1", fusion, CancellationToken.None));

        Assert.Equal(complete, set.VerificationId);
        Assert.Equal(["a@0", "b@0"], set.Embeddings.Select(e => e.ModelVersion));
    }

    /// <summary>A verification of the client and subject with the given templates (encrypted like the recorder does), saved.</summary>
    private async Task<Guid> AddVerificationAsync(string client, string subject, (string Model, string Version, float[] Vector)[] templates,
        bool held = false, bool expired = false)
    {
        await using var db = _store.CreateDbContext();
        var verification = new VerificationRecord
        {
            Id = Guid.NewGuid(), ClientId = client, SubjectId = subject, State = VerificationState.Verified, CreatedAt = _store.Now, UpdatedAt = _store.Now,
        };
        db.Verifications.Add(verification);
        foreach (var (model, version, vector) in templates)
        {
            var template = new FaceTemplate
            {
                Id = Guid.NewGuid(), SubjectId = subject, VerificationId = verification.Id, ModelId = model, ModelVersion = version, Ciphertext = [],
                CreatedAt = _store.Now, LastUsedAt = _store.Now, ExpiresAt = expired ? _store.Now : _store.Now.AddDays(30), HeldForReview = held,
            };
            template.Ciphertext = _store.Protector.Protect(MemoryMarshal.AsBytes(vector.AsSpan()), FaceTemplates.Purpose(template.Id));
            db.FaceTemplates.Add(template);
        }

        await db.SaveChangesAsync();
        return verification.Id;
    }
}
