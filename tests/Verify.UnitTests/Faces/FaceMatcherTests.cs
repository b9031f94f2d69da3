using Verify.Inference.Faces;
using Verify.Inference.Models;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Faces;

public sealed class FaceMatcherTests
{
    private static readonly MatchingCalibration Calibration = new()
    {
        AccuracyThreshold = 0.3,
        OperatingPoints = [new OperatingPoint(1e-2, 0.25, 0.99), new OperatingPoint(1e-3, 0.33, 0.98)],
    };

    [Fact]
    public void Picks_the_threshold_calibrated_for_the_false_accept_rate()
    {
        var matcher = new FaceMatcher("m", [new MatcherComponent(new FakeEmbedder("a"), 0, 1, 1)], Calibration);

        Assert.Equal(0.33, matcher.ThresholdAt(0.001));
        Assert.Equal(0.25, matcher.ThresholdAt(1e-2));
        var error = Assert.Throws<ModelUnavailableException>(() => matcher.ThresholdAt(1e-4));
        Assert.Contains("0.01, 0.001", error.Message);
    }

    [Fact]
    public void An_uncalibrated_matcher_cannot_decide()
    {
        var matcher = new FaceMatcher("m", [new MatcherComponent(new FakeEmbedder("a"), 0, 1, 1)], null);
        Assert.Contains("verify calibrate", Assert.Throws<ModelUnavailableException>(() => matcher.ThresholdAt(1e-3)).Message);
    }

    [Fact]
    public void A_single_embedder_scores_with_cosine_similarity()
    {
        var embedder = new FakeEmbedder("a");
        var matcher = new FaceMatcher("m", [new MatcherComponent(embedder, 0, 1, 1)], Calibration);

        double score = matcher.Score([Embedding("a", 1, 0)], [Embedding("a", 0.6f, 0.8f)]);

        Assert.Equal(0.6, score, 6);
    }

    [Fact]
    public void A_fusion_sums_weighted_z_scores()
    {
        var matcher = new FaceMatcher("fusion",
        [
            new MatcherComponent(new FakeEmbedder("a"), Mean: 0.1, Deviation: 0.1, Weight: 0.75),
            new MatcherComponent(new FakeEmbedder("b"), Mean: 0.8, Deviation: 0.05, Weight: 0.25),
        ], Calibration);

        double score = matcher.Score([Embedding("a", 1, 0), Embedding("b", 1, 0)], [Embedding("a", 0.6f, 0.8f), Embedding("b", 0.9f, MathF.Sqrt(1 - 0.81f))]);

        Assert.Equal((0.75 * (0.6 - 0.1) / 0.1) + (0.25 * (0.9 - 0.8) / 0.05), score, 4);
        Assert.Equal("fusion(a@0+b@0)", matcher.Version);
    }

    [Fact]
    public void Embeddings_of_different_model_versions_are_never_compared()
    {
        Assert.Throws<InvalidOperationException>(() => Embedding("a", 1, 0).CosineSimilarity(Embedding("b", 1, 0)));
    }

    [Fact]
    public void Normalisation_gives_unit_vectors_and_refuses_zero()
    {
        Assert.Equal([0.6f, 0.8f], FaceEmbedding.Normalise([3f, 4f]));
        Assert.Throws<InvalidOperationException>(() => FaceEmbedding.Normalise([0f, 0f]));
    }

    private static FaceEmbedding Embedding(string model, float x, float y) => new($"{model}@0", [x, y]);
}
