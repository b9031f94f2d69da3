namespace Verify.Documents.PrintedZone;

/// <summary>Levenshtein distance, for OCR-tolerant comparison of labels and names.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The distance divided by the longer length: 0 for equal strings, 1 for nothing in common.</summary>
    public static double Normalised(string a, string b) =>
        a.Length == 0 && b.Length == 0 ? 0 : (double)Between(a, b) / Math.Max(a.Length, b.Length);
}
