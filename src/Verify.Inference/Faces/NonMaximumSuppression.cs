namespace Verify.Inference.Faces;

/// <summary>Greedy non-maximum suppression: keeps the best-scoring box of every overlapping group.</summary>
public static class NonMaximumSuppression
{
    public static List<FaceDetection> Apply(IEnumerable<FaceDetection> candidates, float iouThreshold, int maxResults = int.MaxValue)
    {
        var kept = new List<FaceDetection>();
        foreach (var candidate in candidates.OrderByDescending(detection => detection.Score))
        {
            if (kept.Count >= maxResults)
            {
                break;
            }

            if (kept.TrueForAll(other => other.Box.IntersectionOverUnion(candidate.Box) <= iouThreshold))
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }
}
