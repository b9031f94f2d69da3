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

/// <summary>
/// Accumulates wall-clock milliseconds per stage, and the process's CPU milliseconds over the same spans; not
/// thread-safe (one per unit of work).
/// </summary>
/// <remarks>
/// The CPU figure is the whole process's user and system time while the stage ran (the model runtime's and the OCR
/// pool's threads included): exact for one unit of work at a time, as <c>verify evaluate-e2e</c> runs them, and an
/// overcount while other work runs beside it.
/// </remarks>
public sealed class StageTimings
{
    private readonly Dictionary<string, double> _milliseconds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _cpuMilliseconds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Milliseconds => _milliseconds;

    /// <summary>The process's CPU milliseconds per stage (see the remarks).</summary>
    public IReadOnlyDictionary<string, double> CpuMilliseconds => _cpuMilliseconds;

    public double Total => _milliseconds.Values.Sum();

    /// <summary>The process's CPU time so far (user and system, every thread), in milliseconds.</summary>
    public static double ProcessCpuMilliseconds => Environment.CpuUsage.TotalTime.TotalMilliseconds;

    public T Measure<T>(string stage, Func<T> work)
    {
        long started = Stopwatch.GetTimestamp();
        double cpuStarted = ProcessCpuMilliseconds;
        try
        {
            return work();
        }
        finally
        {
            Add(stage, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ProcessCpuMilliseconds - cpuStarted);
        }
    }

    public void Add(string stage, double milliseconds, double? cpuMilliseconds = null)
    {
        _milliseconds[stage] = _milliseconds.GetValueOrDefault(stage) + milliseconds;
        if (cpuMilliseconds is { } cpu)
        {
            _cpuMilliseconds[stage] = _cpuMilliseconds.GetValueOrDefault(stage) + cpu;
        }
    }
}
