using System.Globalization;
using System.Text;
using Verify.Cli.Lfw;

namespace Verify.Cli.Load;

/// <summary>`verify load`'s output: a Markdown table per run (and one of all runs at the end), the CPU per process and the exactly-once check.</summary>
internal static class LoadReport
{
    /// <summary>Failure lines printed per run; the rest are counted.</summary>
    private const int FailuresShown = 20;

    /// <summary>A table with one row per run.</summary>
    public static string Table(IEnumerable<LoadRunFigures> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var table = new MarkdownTable("in flight", "submissions", "decided", "wall s", "decisions/s", "POST p50 / p95 ms",
            "time to decision p50 / p95 / max s", "CPU s per decision", "outcomes");
        foreach (var run in runs)
        {
            table.Row(
                Format($"{run.Concurrency}"),
                Format($"{run.Submissions}"),
                Format($"{run.Decided}"),
                Format($"{run.Wall.TotalSeconds:F1}"),
                Format($"{run.DecisionsPerSecond:F2}"),
                Format($"{run.Accepted.P50:F0} / {run.Accepted.P95:F0}"),
                Format($"{run.ToDecision.P50 / 1000:F1} / {run.ToDecision.P95 / 1000:F1} / {run.ToDecision.Max / 1000:F1}"),
                run.CpuSecondsPerDecision is { } cpu ? Format($"{cpu:F2}") : "-",
                Outcomes(run));
        }

        return table.ToString();
    }

    /// <summary>One run: its table, the CPU of each measured process, and the exactly-once check with its failures.</summary>
    public static string Run(LoadRunFigures run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        text.AppendLine(Format($"### {run.Concurrency} submission{(run.Concurrency == 1 ? "" : "s")} in flight ({run.Submissions} counted after {run.WarmUp} warm-up)"));
        text.AppendLine();
        text.Append(Table([run]));
        text.AppendLine();
        if (run.Cpu.Count > 0)
        {
            text.AppendLine("service CPU over the counted run: " + string.Join("; ", run.Cpu.Select(process =>
                Format($"pid {process.Pid} ({process.Name}, {process.Processes} process{(process.Processes == 1 ? "" : "es")}) {process.Seconds:F1} s"))));
        }

        text.AppendLine(run.ExactlyOnce.Summary);
        foreach (string failure in run.ExactlyOnce.Failures.Take(FailuresShown))
        {
            text.AppendLine("FAILED: " + failure);
        }

        if (run.ExactlyOnce.Failures.Count > FailuresShown)
        {
            text.AppendLine(Format($"FAILED: and {run.ExactlyOnce.Failures.Count - FailuresShown} more"));
        }

        return text.ToString();
    }

    private static string Outcomes(LoadRunFigures run)
    {
        string outcomes = string.Join(", ", run.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => Format($"{o.Key} {o.Value}")));
        return run.Refusals == 0 ? outcomes : outcomes + Format($"; {run.Refusals} refusals (429/503) sent again");
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
