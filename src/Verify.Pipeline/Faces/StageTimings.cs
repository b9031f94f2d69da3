using System.Diagnostics;

namespace Verify.Pipeline.Faces;

/// <summary>Names of the pipeline stages whose durations are recorded.</summary>
public static class Stage
{
    public const string Decode = "decode";
    public const string Detect = "detect";
    public const string Align = "align";
    public const string Embed = "embed";
    public const string Match = "match";
}

/// <summary>Accumulates wall-clock milliseconds per stage; not thread-safe (one per unit of work).</summary>
public sealed class StageTimings
{
    private readonly Dictionary<string, double> _milliseconds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Milliseconds => _milliseconds;

    public double Total => _milliseconds.Values.Sum();

    public T Measure<T>(string stage, Func<T> work)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Add(stage, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public void Add(string stage, double milliseconds) =>
        _milliseconds[stage] = _milliseconds.GetValueOrDefault(stage) + milliseconds;
}
