using Verify.Evaluation;
using Verify.Inference.Faces;

namespace Verify.Cli.Lfw;

/// <summary>
/// One matcher's scores on a pairs file (fold by fold), plus the exhaustive genuine and impostor scores
/// over every embedded image: every same-person and every different-person combination.
/// </summary>
internal sealed class MatcherScores
{
    /// <summary>The lowest score, given to pairs with an image that shows no face or cannot be read: a miss counts as a rejection.</summary>
    public const double MissScore = double.NegativeInfinity;

    public required FaceMatcher Matcher { get; init; }

    public required IReadOnlyList<IReadOnlyList<ScoredPair>> Folds { get; init; }

    public required double[] Genuine { get; init; }

    public required double[] Impostor { get; init; }

    /// <summary>All folds' pairs, in file order.</summary>
    public required ScoredPair[] Pairs { get; init; }

    public static MatcherScores Compute(FaceMatcher matcher, PairsFile pairs, LfwEmbeddingSet set, bool exhaustive)
    {
        var folds = new List<IReadOnlyList<ScoredPair>>();
        var missing = set.Missing.ToHashSet(StringComparer.Ordinal);
        foreach (var fold in pairs.Folds)
        {
            var scored = new List<ScoredPair>(fold.Count);
            foreach (var pair in fold)
            {
                if (missing.Contains(pair.FirstImage) || missing.Contains(pair.SecondImage))
                {
                    continue; // reported with the missing files
                }

                var first = set.For(pair.FirstImage, matcher);
                var second = set.For(pair.SecondImage, matcher);
                scored.Add(new ScoredPair(first is null || second is null ? MissScore : matcher.Score(first, second), pair.SamePerson));
            }

            folds.Add(scored);
        }

        var allPairs = folds.SelectMany(fold => fold).ToArray();
        var (genuine, impostor) = exhaustive ? AllCombinations(matcher, set) : Split(allPairs);
        return new MatcherScores { Matcher = matcher, Folds = folds, Pairs = allPairs, Genuine = genuine, Impostor = impostor };
    }

    /// <summary>The scores of same-person pairs and of different-person pairs.</summary>
    public static (double[] Genuine, double[] Impostor) Split(IReadOnlyCollection<ScoredPair> pairs) =>
        (pairs.Where(p => p.SamePerson).Select(p => p.Score).ToArray(), pairs.Where(p => !p.SamePerson).Select(p => p.Score).ToArray());

    /// <summary>Every pair of embedded images: same identity (the folder name) is genuine, otherwise impostor.</summary>
    private static (double[] Genuine, double[] Impostor) AllCombinations(FaceMatcher matcher, LfwEmbeddingSet set)
    {
        var images = set.Embedded.Order(StringComparer.Ordinal)
            .Select(image => (Identity: Path.GetDirectoryName(image)!, Embeddings: set.For(image, matcher)!))
            .ToArray();
        var genuine = new List<double>();
        long pairCount = (long)images.Length * (images.Length - 1) / 2;
        var impostor = new List<double>((int)Math.Min(pairCount, int.MaxValue / 2));
        for (int i = 0; i < images.Length; i++)
        {
            for (int j = i + 1; j < images.Length; j++)
            {
                double score = matcher.Score(images[i].Embeddings, images[j].Embeddings);
                (images[i].Identity == images[j].Identity ? genuine : impostor).Add(score);
            }
        }

        return (genuine.ToArray(), impostor.ToArray());
    }
}
