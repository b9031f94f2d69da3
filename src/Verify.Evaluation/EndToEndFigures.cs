namespace Verify.Evaluation;

/// <summary>What a case should come to: verified, anything but verified (rejected, or a person looks), or rejected.</summary>
public enum ExpectedDecision
{
    Verified,
    NotVerified,
    Rejected,
}

/// <summary>How a case ended: one of the service's three decisions, or none (the submission was refused or failed).</summary>
public enum CaseOutcome
{
    Verified,
    Rejected,
    NeedsReview,
    NoDecision,
}

/// <summary>
/// One case run end to end: its kind (genuine, impostor, ...), what it should come to, whether it is an attack (a
/// verification of it is a false accept), how it ended, the reasons given, and the time to decision.
/// </summary>
public sealed record CaseDecision(string Kind, ExpectedDecision Expected, bool Attack, CaseOutcome Outcome, IReadOnlyList<string> Reasons,
    double Milliseconds)
{
    public bool AsExpected => Expected switch
    {
        ExpectedDecision.Verified => Outcome == CaseOutcome.Verified,
        ExpectedDecision.Rejected => Outcome == CaseOutcome.Rejected,
        _ => Outcome is CaseOutcome.Rejected or CaseOutcome.NeedsReview,
    };
}

/// <summary>
/// The decisions of a group of cases: how many ended each way, how many as expected, how often each reason was given
/// for each outcome (a case with two reasons counts for both), and the time to decision of the decided ones.
/// </summary>
public sealed record DecisionCounts(
    int Cases,
    int Verified,
    int Rejected,
    int NeedsReview,
    int NoDecision,
    int AsExpected,
    IReadOnlyDictionary<CaseOutcome, IReadOnlyDictionary<string, int>> Reasons,
    LatencyStatistics TimeToDecision)
{
    public static DecisionCounts Of(IReadOnlyCollection<CaseDecision> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var reasons = Enum.GetValues<CaseOutcome>().ToDictionary(outcome => outcome, outcome => (IReadOnlyDictionary<string, int>)cases
            .Where(c => c.Outcome == outcome)
            .SelectMany(c => c.Reasons.Distinct(StringComparer.Ordinal))
            .GroupBy(reason => reason, StringComparer.Ordinal)
            .OrderByDescending(group => group.Count()).ThenBy(group => group.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal));
        return new DecisionCounts(
            cases.Count,
            cases.Count(c => c.Outcome == CaseOutcome.Verified),
            cases.Count(c => c.Outcome == CaseOutcome.Rejected),
            cases.Count(c => c.Outcome == CaseOutcome.NeedsReview),
            cases.Count(c => c.Outcome == CaseOutcome.NoDecision),
            cases.Count(c => c.AsExpected),
            reasons,
            LatencyStatistics.From([.. cases.Where(c => c.Outcome != CaseOutcome.NoDecision).Select(c => c.Milliseconds)]));
    }

    /// <summary>The reasons given to the cases that ended with <paramref name="outcome"/>, most frequent first.</summary>
    public IReadOnlyDictionary<string, int> ReasonsFor(CaseOutcome outcome) => Reasons[outcome];
}

/// <summary>
/// The end-to-end figures of an evaluation run: counts per kind and overall, the genuine pass rate (genuine cases
/// verified without a person), false accepts (attacks verified), and the review rates, overall and for genuine cases
/// by reason.
/// </summary>
public sealed class EndToEndFigures
{
    private EndToEndFigures(IReadOnlyList<(string Kind, DecisionCounts Counts)> kinds, DecisionCounts overall, DecisionCounts genuine, DecisionCounts attacks)
    {
        Kinds = kinds;
        Overall = overall;
        Genuine = genuine;
        Attacks = attacks;
    }

    /// <summary>Each kind's counts, in the order the kinds first appear.</summary>
    public IReadOnlyList<(string Kind, DecisionCounts Counts)> Kinds { get; }

    public DecisionCounts Overall { get; }

    /// <summary>The cases expected to be verified.</summary>
    public DecisionCounts Genuine { get; }

    /// <summary>The attacks: cases whose verification is a false accept.</summary>
    public DecisionCounts Attacks { get; }

    /// <summary>Share of genuine cases verified automatically; NaN without genuine cases.</summary>
    public double GenuinePassRate => Rate(Genuine.Verified, Genuine.Cases);

    /// <summary>Attacks verified.</summary>
    public int FalseAccepts => Attacks.Verified;

    /// <summary>Share of attacks verified; NaN without attacks.</summary>
    public double FalseAcceptRate => Rate(Attacks.Verified, Attacks.Cases);

    /// <summary>Share of all cases sent to a person.</summary>
    public double ReviewRate => Rate(Overall.NeedsReview, Overall.Cases);

    /// <summary>Share of genuine cases sent to a person.</summary>
    public double GenuineReviewRate => Rate(Genuine.NeedsReview, Genuine.Cases);

    /// <summary>For each reason given to a genuine case sent to review, the share of genuine cases that got it.</summary>
    public IReadOnlyDictionary<string, double> GenuineReviewRateByReason =>
        Genuine.ReasonsFor(CaseOutcome.NeedsReview).ToDictionary(reason => reason.Key, reason => Rate(reason.Value, Genuine.Cases), StringComparer.Ordinal);

    public static EndToEndFigures From(IReadOnlyList<CaseDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var kinds = decisions.GroupBy(d => d.Kind, StringComparer.Ordinal)
            .Select(group => (group.Key, DecisionCounts.Of([.. group])))
            .ToArray();
        return new EndToEndFigures(kinds, DecisionCounts.Of(decisions),
            DecisionCounts.Of([.. decisions.Where(d => d.Expected == ExpectedDecision.Verified)]),
            DecisionCounts.Of([.. decisions.Where(d => d.Attack)]));
    }

    private static double Rate(int count, int total) => total == 0 ? double.NaN : (double)count / total;
}
