namespace Verify.Evaluation;

/// <summary>Percentiles of a set of durations.</summary>
public sealed record LatencyStatistics(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static LatencyStatistics From(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencyStatistics(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencyStatistics(sorted.Length, sorted.Average(), Percentile(sorted, 0.50), Percentile(sorted, 0.95),
            Percentile(sorted, 0.99), sorted[^1]);
    }

    /// <summary>Linear interpolation between the closest ranks of an ascending array.</summary>
    public static double Percentile(double[] ascending, double fraction)
    {
        if (ascending.Length == 0)
        {
            return double.NaN;
        }

        double rank = fraction * (ascending.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, ascending.Length - 1);
        return ascending[below] + ((rank - below) * (ascending[above] - ascending[below]));
    }
}
