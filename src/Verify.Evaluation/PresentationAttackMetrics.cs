namespace Verify.Evaluation;

/// <summary>
/// Error rates of a presentation-attack detector in ISO/IEC 30107-3 terms, for scores where higher means more
/// likely bona fide and a score at or above the threshold is accepted as bona fide.
/// </summary>
public static class PresentationAttackMetrics
{
    /// <summary>BPCER: the share of bona fide presentations classified as attacks (score below the threshold).</summary>
    public static double Bpcer(IReadOnlyCollection<double> bonaFide, double threshold) =>
        bonaFide.Count == 0 ? double.NaN : (double)bonaFide.Count(score => score < threshold) / bonaFide.Count;

    /// <summary>APCER of one attack type: the share of its attack presentations classified as bona fide (score at or above the threshold).</summary>
    public static double Apcer(IReadOnlyCollection<double> attacks, double threshold) =>
        attacks.Count == 0 ? double.NaN : (double)attacks.Count(score => score >= threshold) / attacks.Count;

    /// <summary>
    /// The highest threshold whose BPCER on <paramref name="bonaFide"/> is at most <paramref name="maxBpcer"/>: the
    /// bona fide score with ⌊maxBpcer·n⌋ scores below it. Higher thresholds reject more attacks, so this is the
    /// strictest threshold the bona fide error budget allows.
    /// </summary>
    public static double ThresholdAtBpcer(IReadOnlyCollection<double> bonaFide, double maxBpcer)
    {
        if (bonaFide.Count == 0)
        {
            throw new ArgumentException("No bona fide scores.", nameof(bonaFide));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxBpcer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxBpcer, 1);
        var sorted = bonaFide.Order().ToArray();
        return sorted[(int)Math.Floor(maxBpcer * sorted.Length)];
    }
}
