using Verify.Data.Entities;
using Verify.Inference.Faces;

namespace Verify.Pipeline.Impersonation;

/// <summary>The figures an assessment compares with: the verification threshold and the lower bound, of one matcher.</summary>
public sealed record ReportThresholds(string ModelId, string ModelVersion, double MatchThreshold, double LikelyNotBelow);

/// <summary>Scores a report's faces against the claimed subject's templates and says what the best score suggests.</summary>
public static class ReportScoring
{
    /// <summary>The best match score of any face against any template set (null when there is no pair to score).</summary>
    public static double? Best(FaceMatcher matcher, IEnumerable<IReadOnlyList<FaceEmbedding>> faces, IReadOnlyList<TemplateSet> templates)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(templates);
        double? best = null;
        foreach (var face in faces)
        {
            foreach (var set in templates)
            {
                double score = matcher.Score(face, set.Embeddings);
                if (best is null || score > best)
                {
                    best = score;
                }
            }
        }

        return best;
    }

    /// <summary>
    /// At or above the verification threshold: <c>likely_same_person</c>; below the lower bound: <c>likely_not</c>;
    /// between the two: <c>cannot_tell</c>.
    /// </summary>
    public static string Suggest(double best, ReportThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return best >= thresholds.MatchThreshold ? ImpersonationSuggestions.LikelySamePerson
            : best < thresholds.LikelyNotBelow ? ImpersonationSuggestions.LikelyNot
            : ImpersonationSuggestions.CannotTell;
    }
}
