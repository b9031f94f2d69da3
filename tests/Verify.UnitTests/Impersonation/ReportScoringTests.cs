using Verify.Data.Entities;
using Verify.Inference.Faces;
using Verify.Pipeline.Impersonation;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Impersonation;

public sealed class ReportScoringTests
{
    private static readonly ReportThresholds Thresholds = new("a", "a@0", MatchThreshold: 0.335, LikelyNotBelow: 0.2428);

    [Theory]
    [InlineData(0.9, ImpersonationSuggestions.LikelySamePerson)]
    [InlineData(0.335, ImpersonationSuggestions.LikelySamePerson)]
    [InlineData(0.3349, ImpersonationSuggestions.CannotTell)]
    [InlineData(0.2428, ImpersonationSuggestions.CannotTell)]
    [InlineData(0.2427, ImpersonationSuggestions.LikelyNot)]
    [InlineData(-0.2, ImpersonationSuggestions.LikelyNot)]
    public void The_best_score_is_read_against_the_verification_threshold_and_the_lower_bound(double best, string suggestion)
    {
        Assert.Equal(suggestion, ReportScoring.Suggest(best, Thresholds));
    }

    [Fact]
    public void The_best_score_is_taken_over_every_face_and_every_template()
    {
        var matcher = new FaceMatcher("a", [new MatcherComponent(new FakeEmbedder("a"), 0, 1, 1)], null);
        IReadOnlyList<FaceEmbedding>[] faces = [[Embedding(1, 0)], [Embedding(0, 1)]];
        TemplateSet[] templates = [Set(0.6f, 0.8f), Set(0.96f, 0.28f)];

        Assert.Equal(0.96, ReportScoring.Best(matcher, faces, templates)!.Value, 5);
        Assert.Null(ReportScoring.Best(matcher, [], templates));
    }

    private static FaceEmbedding Embedding(float x, float y) => new("a@0", [x, y]);

    private static TemplateSet Set(float x, float y) => new(Guid.NewGuid(), [Guid.NewGuid()], [Embedding(x, y)]);
}
