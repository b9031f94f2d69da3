using Verify.Evaluation;

namespace Verify.UnitTests.Evaluation;

public sealed class PresentationAttackMetricsTests
{
    private static readonly double[] BonaFide = [0.1, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.95, 0.99];

    [Fact]
    public void Bpcer_counts_bona_fide_scores_below_the_threshold()
    {
        Assert.Equal(0.2, PresentationAttackMetrics.Bpcer(BonaFide, 0.6), 10);
        Assert.Equal(0.0, PresentationAttackMetrics.Bpcer(BonaFide, 0.1), 10);
    }

    [Fact]
    public void Apcer_counts_attack_scores_at_or_above_the_threshold()
    {
        Assert.Equal(0.5, PresentationAttackMetrics.Apcer([0.2, 0.4, 0.6, 0.8], 0.6), 10);
        Assert.True(double.IsNaN(PresentationAttackMetrics.Apcer([], 0.5)));
    }

    [Theory]
    [InlineData(0.0, 0.1)]
    [InlineData(0.05, 0.1)]
    [InlineData(0.1, 0.5)]
    [InlineData(0.25, 0.6)]
    public void The_threshold_at_a_bpcer_is_the_strictest_that_keeps_within_it(double maxBpcer, double expected)
    {
        double threshold = PresentationAttackMetrics.ThresholdAtBpcer(BonaFide, maxBpcer);

        Assert.Equal(expected, threshold);
        Assert.True(PresentationAttackMetrics.Bpcer(BonaFide, threshold) <= maxBpcer);
        // The next bona fide score up would exceed the budget.
        double stricter = BonaFide.Order().First(score => score > threshold);
        Assert.True(PresentationAttackMetrics.Bpcer(BonaFide, stricter) > maxBpcer);
    }
}
