namespace Verify.Evaluation;

/// <summary>A similarity score and whether the two faces really are of one person.</summary>
public readonly record struct ScoredPair(double Score, bool SamePerson);

/// <summary>Accuracy over folds: each fold scored at the threshold that was best on the other folds.</summary>
public sealed record FoldedAccuracy(double Mean, double StandardDeviation, IReadOnlyList<double> FoldAccuracies, IReadOnlyList<double> Thresholds);

/// <summary>Face verification metrics: accuracy and its threshold, equal error rate, thresholds at false accept rates.</summary>
/// <remarks>A pair is accepted (called the same person) when its score is at least the threshold.</remarks>
public static class VerificationMetrics
{
    public static double Accuracy(IReadOnlyCollection<ScoredPair> pairs, double threshold) =>
        pairs.Count == 0 ? double.NaN : (double)pairs.Count(pair => pair.Score >= threshold == pair.SamePerson) / pairs.Count;

    /// <summary>
    /// The threshold of highest accuracy: the middle of the first best gap between consecutive distinct scores,
    /// so that it sits as far from the nearest misjudged scores as the data allow.
    /// </summary>
    public static (double Threshold, double Accuracy) BestAccuracyThreshold(IReadOnlyCollection<ScoredPair> pairs)
    {
        if (pairs.Count == 0)
        {
            throw new ArgumentException("No pairs to choose a threshold from.", nameof(pairs));
        }

        var sorted = pairs.OrderBy(pair => pair.Score).ToArray();
        // Threshold below every score: every pair accepted, every same-person pair right.
        int correct = sorted.Count(pair => pair.SamePerson);
        int best = correct;
        double bestThreshold = sorted[0].Score - 1e-6;
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j < sorted.Length && sorted[j].Score == sorted[i].Score)
            {
                correct += sorted[j].SamePerson ? -1 : 1;
                j++;
            }

            if (correct > best)
            {
                best = correct;
                bestThreshold = j < sorted.Length ? (sorted[i].Score + sorted[j].Score) / 2 : sorted[i].Score + 1e-6;
            }

            i = j;
        }

        return (bestThreshold, (double)best / sorted.Length);
    }

    /// <summary>k-fold accuracy: each fold judged at the threshold that was best on all the other folds.</summary>
    public static FoldedAccuracy KFoldAccuracy(IReadOnlyList<IReadOnlyList<ScoredPair>> folds)
    {
        if (folds.Count < 2)
        {
            throw new ArgumentException("k-fold accuracy needs at least two folds.", nameof(folds));
        }

        var accuracies = new double[folds.Count];
        var thresholds = new double[folds.Count];
        for (int k = 0; k < folds.Count; k++)
        {
            var training = folds.Where((_, index) => index != k).SelectMany(fold => fold).ToArray();
            thresholds[k] = BestAccuracyThreshold(training).Threshold;
            accuracies[k] = Accuracy(folds[k].ToArray(), thresholds[k]);
        }

        double mean = accuracies.Average();
        double deviation = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / (accuracies.Length - 1));
        return new FoldedAccuracy(mean, deviation, accuracies, thresholds);
    }

    /// <summary>
    /// The equal error rate: where the false reject rate of <paramref name="genuine"/> scores meets the false
    /// accept rate of <paramref name="impostor"/> scores (their mean at the closest threshold).
    /// </summary>
    public static (double Rate, double Threshold) EqualErrorRate(IReadOnlyList<double> genuine, IReadOnlyList<double> impostor)
    {
        if (genuine.Count == 0 || impostor.Count == 0)
        {
            throw new ArgumentException("The equal error rate needs genuine and impostor scores.");
        }

        var genuineSorted = genuine.Order().ToArray();
        var impostorSorted = impostor.Order().ToArray();
        double bestGap = double.MaxValue, rate = double.NaN, threshold = double.NaN;
        foreach (double candidate in genuineSorted.Concat(impostorSorted).Distinct().Order())
        {
            double falseReject = (double)LowerBound(genuineSorted, candidate) / genuineSorted.Length;
            double falseAccept = (double)(impostorSorted.Length - LowerBound(impostorSorted, candidate)) / impostorSorted.Length;
            double gap = Math.Abs(falseAccept - falseReject);
            if (gap < bestGap)
            {
                bestGap = gap;
                rate = (falseAccept + falseReject) / 2;
                threshold = candidate;
            }
        }

        return (rate, threshold);
    }

    /// <summary>
    /// The threshold whose false accept rate on these impostor scores is at most <paramref name="falseAcceptRate"/>,
    /// placed midway between the last rejected and the first accepted score; null when there are fewer than
    /// 1 / rate impostor scores, too few to measure that rate.
    /// </summary>
    public static double? ThresholdAtFalseAcceptRate(IReadOnlyList<double> impostor, double falseAcceptRate)
    {
        if (impostor.Count * falseAcceptRate < 1)
        {
            return null;
        }

        var descending = impostor.OrderDescending().ToArray();
        int allowed = (int)Math.Floor(falseAcceptRate * descending.Length);
        if (allowed >= descending.Length)
        {
            return descending[^1] - 1e-6;
        }

        double firstRejected = descending[allowed];
        for (int j = allowed - 1; j >= 0; j--)
        {
            if (descending[j] > firstRejected)
            {
                return (descending[j] + firstRejected) / 2;
            }
        }

        return Math.BitIncrement(firstRejected);
    }

    /// <summary>The fraction of scores at or above the threshold.</summary>
    public static double AcceptRate(IReadOnlyCollection<double> scores, double threshold) =>
        scores.Count == 0 ? double.NaN : (double)scores.Count(score => score >= threshold) / scores.Count;

    /// <summary>Index of the first element not less than <paramref name="value"/> in an ascending array.</summary>
    private static int LowerBound(double[] ascending, double value)
    {
        int low = 0, high = ascending.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (ascending[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
