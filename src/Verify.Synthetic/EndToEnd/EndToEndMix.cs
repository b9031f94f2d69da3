using System.Globalization;

namespace Verify.Synthetic.EndToEnd;

/// <summary>The share of each <see cref="EndToEndCaseKind"/> among the cases of a run.</summary>
public sealed record EndToEndMix
{
    /// <summary>
    /// 55% genuine, 15% impostor, 5% each of print spoof, screen spoof, unreadable document, incomplete document,
    /// unusable selfie and tampered document.
    /// </summary>
    public static EndToEndMix Default { get; } = new(Standard(genuine: 0.55, tampered: 0.05));

    /// <summary>
    /// The mix before tampered documents existed (60% genuine): with <c>--document-types passport,id_card</c> it reproduces the
    /// cases of earlier runs of the same seed exactly, for before-and-after comparisons.
    /// </summary>
    public static EndToEndMix Photographed { get; } = new(Standard(genuine: 0.60, tampered: 0));

    /// <param name="shares">Weights of the kinds (normalised here); a kind left out or weighted 0 is not generated.</param>
    public EndToEndMix(IReadOnlyDictionary<EndToEndCaseKind, double> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (Invalid(shares) is { } problem)
        {
            throw new ArgumentException(problem, nameof(shares));
        }

        double total = shares.Values.Sum();
        Shares = EndToEndCaseKinds.All.ToDictionary(kind => kind, kind => shares.GetValueOrDefault(kind) / total);
    }

    /// <summary>Parses weights written as <c>kind=weight</c> pairs separated by commas, e.g. <c>print_spoof=1,screen_spoof=1</c>.</summary>
    /// <exception cref="FormatException">A pair is malformed, names no kind, or the weights are negative or all zero.</exception>
    public static EndToEndMix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var shares = new Dictionary<EndToEndCaseKind, double>();
        foreach (string pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = pair.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !EndToEndCaseKinds.TryParse(parts[0], out var kind)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double weight))
            {
                throw new FormatException($"'{pair}' is not kind=weight with a kind among {string.Join(", ", EndToEndCaseKinds.All.Select(k => k.ToName()))}.");
            }

            shares[kind] = weight;
        }

        return Invalid(shares) is { } problem ? throw new FormatException(problem) : new EndToEndMix(shares);
    }

    /// <summary>Each kind's share, summing to 1.</summary>
    public IReadOnlyDictionary<EndToEndCaseKind, double> Shares { get; }

    /// <summary>
    /// How many cases of each kind a run of <paramref name="total"/> has: the shares rounded by largest remainder
    /// (ties to the kind listed first), then, when there are enough cases, one taken from the largest kind for every
    /// kind with a share that would have none, so that a small run still covers every kind.
    /// </summary>
    public IReadOnlyDictionary<EndToEndCaseKind, int> Counts(int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        var kinds = EndToEndCaseKinds.All;
        // Rounded to 9 places first, so that 0.15 x 300 is 45 and the tie between 0.5 remainders is a tie, not floating-point noise.
        var exact = kinds.ToDictionary(kind => kind, kind => Math.Round(Shares[kind] * total, 9));
        var counts = kinds.ToDictionary(kind => kind, kind => (int)Math.Floor(exact[kind]));
        int left = total - counts.Values.Sum();
        foreach (var kind in kinds.OrderByDescending(kind => exact[kind] - counts[kind]).ThenBy(kind => kind).Take(left))
        {
            counts[kind]++;
        }

        var wanted = kinds.Where(kind => Shares[kind] > 0).ToArray();
        if (total >= wanted.Length)
        {
            foreach (var kind in wanted.Where(kind => counts[kind] == 0))
            {
                var largest = kinds.OrderByDescending(k => counts[k]).ThenBy(k => k).First();
                counts[largest]--;
                counts[kind]++;
            }
        }

        return counts;
    }

    private static string? Invalid(IReadOnlyDictionary<EndToEndCaseKind, double> shares) =>
        shares.Values.Any(share => share < 0 || !double.IsFinite(share)) || shares.Values.Sum() <= 0
            ? "Shares must be finite, not negative, and not all zero."
            : null;

    /// <summary>The kind of each case of a run of <paramref name="total"/>: <see cref="Counts"/> of each, in an order shuffled by <paramref name="seed"/>.</summary>
    public IReadOnlyList<EndToEndCaseKind> Assign(int total, int seed)
    {
        var kinds = Counts(total).SelectMany(count => Enumerable.Repeat(count.Key, count.Value)).OrderBy(kind => kind).ToArray();
        new Random(seed).Shuffle(kinds);
        return kinds;
    }

    private static Dictionary<EndToEndCaseKind, double> Standard(double genuine, double tampered) => new()
    {
        [EndToEndCaseKind.Genuine] = genuine,
        [EndToEndCaseKind.Impostor] = 0.15,
        [EndToEndCaseKind.PrintSpoof] = 0.05,
        [EndToEndCaseKind.ScreenSpoof] = 0.05,
        [EndToEndCaseKind.UnreadableDocument] = 0.05,
        [EndToEndCaseKind.IncompleteDocument] = 0.05,
        [EndToEndCaseKind.UnusableSelfie] = 0.05,
        [EndToEndCaseKind.TamperedDocument] = tampered,
    };
}
