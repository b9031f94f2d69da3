using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Verify.Cli.Service;
using Verify.Evaluation;

namespace Verify.Cli.Load;

/// <summary>A process whose CPU time a run measured: the pid given, its name, how many processes its tree held, and the CPU seconds they spent.</summary>
internal sealed record ProcessCpu(int Pid, string Name, int Processes, double Seconds);

/// <summary>The figures of one run at one number of submissions in flight.</summary>
internal sealed record LoadRunFigures(
    int Concurrency,
    int WarmUp,
    int Submissions,
    int Decided,
    TimeSpan Wall,
    LatencyStatistics Accepted,
    LatencyStatistics ToDecision,
    IReadOnlyDictionary<string, int> Outcomes,
    int Refusals,
    IReadOnlyList<ProcessCpu> Cpu,
    ExactlyOnceResult ExactlyOnce)
{
    public double DecisionsPerSecond => Decided / Wall.TotalSeconds;

    /// <summary>The measured processes' CPU seconds per decision; null when no process was measured or nothing was decided.</summary>
    public double? CpuSecondsPerDecision => Cpu.Count == 0 || Decided == 0 ? null : Cpu.Sum(process => process.Seconds) / Decided;
}

/// <summary>What a load run needs besides the service: the submissions counted, the warm-up, the processes to measure and the outbox to read.</summary>
/// <param name="Count">Submissions counted per run.</param>
/// <param name="WarmUp">Submissions sent and decided before each run, not counted.</param>
/// <param name="Pids">Processes whose CPU time (with their descendants') is the service's.</param>
/// <param name="ReadOutbox">Reads the outbox tallies of the messages written since a UTC time; null when the database is not read.</param>
internal sealed record LoadSettings(
    int Count,
    int WarmUp,
    IReadOnlyList<int> Pids,
    Func<DateTime, CancellationToken, Task<IReadOnlyDictionary<Guid, OutboxTally>>>? ReadOutbox);

/// <summary>
/// Runs `verify load`'s measurement at one number of submissions in flight: a warm-up (sent and decided, not counted),
/// then <see cref="LoadSettings.Count"/> submissions with at most that many waiting for their decision at any time, the
/// service's CPU time across them, and the exactly-once check of every submission of the run, warm-up included.
/// </summary>
internal sealed class LoadRunner(VerificationServiceClient client, LoadCases cases, LoadSettings settings)
{
    private const string PolicyVersion = "load-benchmark";

    /// <summary>A submission still undecided this long after it was sent counts as not decided.</summary>
    private static readonly TimeSpan DecisionWait = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Wait after a run before each verification is read again: a redelivered command or a re-drive racing the last
    /// decisions has this long to show as a second decision.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    // Part of every subject id and idempotency key, so that a second invocation against the same service starts afresh.
    private readonly string _tag = Guid.NewGuid().ToString("N")[..12];
    private int _next;

    public async Task<LoadRunFigures> RunAsync(int concurrency, CancellationToken cancellationToken)
    {
        var warmUp = cases.Take(settings.WarmUp, cancellationToken);
        var counted = cases.Take(settings.Count, cancellationToken);
        // The outbox rows of this run are written after this instant (by the service's clock, on this machine), give or take a clock step.
        var since = TimeProvider.System.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(1);
        var (warmUpSubmissions, _) = await SubmitAllAsync(warmUp, Math.Min(concurrency, Math.Max(1, warmUp.Count)), cancellationToken);

        var before = settings.Pids.Select(ProcessTreeCpu.Sample).ToArray();
        var wall = Stopwatch.StartNew();
        var (submissions, timelines) = await SubmitAllAsync(counted, concurrency, cancellationToken);
        wall.Stop();
        var after = settings.Pids.Select(ProcessTreeCpu.Sample).ToArray();
        var cpu = settings.Pids.Select((pid, i) => new ProcessCpu(pid, ProcessTreeCpu.Name(pid) ?? "gone", after[i].Count,
            ProcessTreeCpu.Between(before[i], after[i]).TotalSeconds)).ToArray();

        await Task.Delay(Settle, cancellationToken);
        LoadSubmission[] all = [.. warmUpSubmissions, .. submissions];
        var reread = new ConcurrentDictionary<Guid, ServiceDecision>();
        await Parallel.ForEachAsync(all.Select(s => s.VerificationId).OfType<Guid>().Distinct(),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (id, token) => reread[id] = await client.ReadAsync(id, token));
        var outbox = settings.ReadOutbox is { } read ? await read(since, cancellationToken) : null;

        var decided = timelines.Where(t => t.Decision is not null).ToArray();
        var outcomes = timelines.GroupBy(Outcome, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        return new LoadRunFigures(concurrency, warmUp.Count, counted.Count, decided.Length, wall.Elapsed,
            LatencyStatistics.From(timelines.Where(t => t.Answer.Accepted).Select(t => t.AcceptedMilliseconds).ToArray()),
            LatencyStatistics.From(decided.Select(t => t.DecidedMilliseconds).ToArray()),
            outcomes, timelines.Sum(t => t.Answer.Refusals), cpu, ExactlyOnceCheck.Check(all, reread, outbox));
    }

    private static string Outcome(SubmissionTimeline timeline) =>
        !timeline.Answer.Accepted ? string.Create(CultureInfo.InvariantCulture, $"http_{timeline.Answer.StatusCode}")
        : timeline.Decision?.Status ?? "decision_timeout";

    /// <summary>Sends every submission, at most <paramref name="concurrency"/> of them sent and not yet decided at once.</summary>
    private async Task<(LoadSubmission[] Submissions, SubmissionTimeline[] Timelines)> SubmitAllAsync(IReadOnlyList<SubmissionImages> batch, int concurrency,
        CancellationToken cancellationToken)
    {
        int first = _next;
        _next += batch.Count;
        var submissions = new LoadSubmission[batch.Count];
        var timelines = new SubmissionTimeline[batch.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                int index = first + i;
                var timeline = await client.SubmitAndWaitAsync(string.Create(CultureInfo.InvariantCulture, $"load-{_tag}-{index:D5}"), PolicyVersion,
                    batch[i], string.Create(CultureInfo.InvariantCulture, $"load-{_tag}-{index}"), DecisionWait, token);
                timelines[i] = timeline;
                submissions[i] = new LoadSubmission(index, timeline.Answer.VerificationId, timeline.Answer.StatusCode, timeline.Decision);
            });
        return (submissions, timelines);
    }
}
