using System.Globalization;

namespace Verify.Cli.Fuzzing;

/// <summary>
/// What one fuzz target's inputs came to: a count per outcome ("decoded", "Truncated", "problem:image_corrupt", ...),
/// the failures among them (an untyped exception or a hang), and the first few failing inputs' numbers to replay.
/// </summary>
internal sealed class FuzzTally(string target)
{
    /// <summary>The outcome of an input that threw something else than the typed error.</summary>
    public const string UntypedPrefix = "untyped:";

    /// <summary>The outcome of an input still running at the per-input timeout.</summary>
    public const string Hang = "hang";

    private const int FailuresKept = 5;

    private readonly SortedDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly List<string> _failures = [];

    public string Target => target;

    public int Inputs { get; private set; }

    public int Untyped { get; private set; }

    public int Hangs { get; private set; }

    /// <summary>Inputs the API's header check let through that the full decode then refused (they reach the worker, which rejects them).</summary>
    public int PassedCheckFailedDecode { get; private set; }

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    /// <summary>The first failing inputs: number, outcome and mutation, enough to replay them with the same seed.</summary>
    public IReadOnlyList<string> Failures => _failures;

    public bool Failed => Untyped > 0 || Hangs > 0;

    public void Add(int input, string outcome, string mutation, bool passedCheckFailedDecode = false)
    {
        Inputs++;
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        if (passedCheckFailedDecode)
        {
            PassedCheckFailedDecode++;
        }

        bool untyped = outcome.StartsWith(UntypedPrefix, StringComparison.Ordinal);
        if (untyped)
        {
            Untyped++;
        }
        else if (outcome == Hang)
        {
            Hangs++;
        }

        if ((untyped || outcome == Hang) && _failures.Count < FailuresKept)
        {
            _failures.Add(string.Create(CultureInfo.InvariantCulture, $"input {input}: {outcome} after {mutation}"));
        }
    }
}
