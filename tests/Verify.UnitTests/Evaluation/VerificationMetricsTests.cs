using Verify.Evaluation;

namespace Verify.UnitTests.Evaluation;

public sealed class VerificationMetricsTests
{
    [Fact]
    public void Separable_scores_reach_full_accuracy_with_the_threshold_in_the_gap()
    {
        ScoredPair[] pairs = [new(0.9, true), new(0.7, true), new(0.3, false), new(0.1, false)];

        var (threshold, accuracy) = VerificationMetrics.BestAccuracyThreshold(pairs);

        Assert.Equal(1.0, accuracy);
        Assert.Equal(0.5, threshold, 9);
    }

    [Fact]
    public void Overlapping_scores_get_the_best_achievable_accuracy()
    {
        ScoredPair[] pairs = [new(0.9, true), new(0.4, true), new(0.6, false), new(0.1, false), new(0.8, true)];

        var (threshold, accuracy) = VerificationMetrics.BestAccuracyThreshold(pairs);

        Assert.Equal(0.8, accuracy, 9);
        Assert.Equal(accuracy, VerificationMetrics.Accuracy(pairs, threshold), 9);
    }

    [Fact]
    public void Equal_error_rate_where_false_accepts_meet_false_rejects()
    {
        double[] genuine = [0.2, 0.6, 0.7, 0.8, 0.9];
        double[] impostor = [0.1, 0.2, 0.3, 0.4, 0.65];

        var (rate, threshold) = VerificationMetrics.EqualErrorRate(genuine, impostor);

        // At 0.6: one genuine of five rejected (0.2), one impostor of five accepted (0.65).
        Assert.Equal(0.2, rate, 9);
        Assert.Equal(0.6, threshold, 9);
    }

    [Fact]
    public void Threshold_at_a_false_accept_rate_admits_at_most_that_share_of_impostors()
    {
        var impostor = Enumerable.Range(0, 1000).Select(i => i / 1000.0).ToArray();

        double threshold = VerificationMetrics.ThresholdAtFalseAcceptRate(impostor, 0.01)!.Value;

        Assert.Equal(0.01, VerificationMetrics.AcceptRate(impostor, threshold), 9);
        Assert.Equal((0.990 + 0.989) / 2, threshold, 9);
        Assert.Null(VerificationMetrics.ThresholdAtFalseAcceptRate(impostor, 1e-4));
    }

    [Fact]
    public void Tied_impostor_scores_never_push_the_false_accept_rate_over_the_target()
    {
        double[] impostor = [.. Enumerable.Repeat(0.5, 50), .. Enumerable.Range(0, 50).Select(i => i / 100.0)];

        double threshold = VerificationMetrics.ThresholdAtFalseAcceptRate(impostor, 0.1)!.Value;

        Assert.True(VerificationMetrics.AcceptRate(impostor, threshold) <= 0.1);
    }

    [Fact]
    public void K_fold_accuracy_judges_each_fold_by_the_others()
    {
        ScoredPair[] clean = [new(0.9, true), new(0.1, false)];
        ScoredPair[] shifted = [new(0.35, true), new(0.3, false)];

        var folded = VerificationMetrics.KFoldAccuracy([clean, clean, shifted]);

        Assert.Equal([1.0, 1.0, 0.5], folded.FoldAccuracies);
        Assert.Equal(2.5 / 3, folded.Mean, 9);
    }

    [Fact]
    public void Percentiles_interpolate_between_ranks()
    {
        var statistics = LatencyStatistics.From([10, 20, 30, 40, 50]);
        Assert.Equal((30, 48, 50), (statistics.P50, statistics.P95, statistics.Max));
    }
}
