namespace Verify.Synthetic.EndToEnd;

/// <summary>The share of each <see cref="EndToEndCaseKind"/> among the cases of a run.</summary>
public sealed record EndToEndMix
{
    /// <summary>60% genuine, 15% impostor, 5% each of print spoof, screen spoof, unreadable document, incomplete document and unusable selfie.</summary>
    public static EndToEndMix Default { get; } = new(new Dictionary<EndToEndCaseKind, double>
    {
        [EndToEndCaseKind.Genuine] = 0.60,
        [EndToEndCaseKind.Impostor] = 0.15,
        [EndToEndCaseKind.PrintSpoof] = 0.05,
        [EndToEndCaseKind.ScreenSpoof] = 0.05,
        [EndToEndCaseKind.UnreadableDocument] = 0.05,
        [EndToEndCaseKind.IncompleteDocument] = 0.05,
        [EndToEndCaseKind.UnusableSelfie] = 0.05,
    });

    /// <param name="shares">Weights of the kinds (normalised here); a kind left out or weighted 0 is not generated.</param>
    public EndToEndMix(IReadOnlyDictionary<EndToEndCaseKind, double> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Values.Any(share => share < 0 || !double.IsFinite(share)) || shares.Values.Sum() <= 0)
        {
            throw new ArgumentException("Shares must be finite, not negative, and not all zero.", nameof(shares));
        }

        double total = shares.Values.Sum();
        Shares = EndToEndCaseKinds.All.ToDictionary(kind => kind, kind => shares.GetValueOrDefault(kind) / total);
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

    /// <summary>The kind of each case of a run of <paramref name="total"/>: <see cref="Counts"/> of each, in an order shuffled by <paramref name="seed"/>.</summary>
    public IReadOnlyList<EndToEndCaseKind> Assign(int total, int seed)
    {
        var kinds = Counts(total).SelectMany(count => Enumerable.Repeat(count.Key, count.Value)).OrderBy(kind => kind).ToArray();
        new Random(seed).Shuffle(kinds);
        return kinds;
    }
}
