using System.Globalization;
using System.Text;
using Verify.Cli.Lfw;
using Verify.Evaluation;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.EndToEnd;

/// <summary>How an end-to-end run was made, as its report states it.</summary>
/// <param name="Invocation">The command line.</param>
/// <param name="Options">The cases' options.</param>
/// <param name="Mode">Where the decisions came from: "in-process" or the service's URL.</param>
/// <param name="TimeToDecision">What the times measure, in words.</param>
/// <param name="Elapsed">The whole run.</param>
internal sealed record EndToEndRun(string Invocation, EndToEndCaseOptions Options, string Mode, string TimeToDecision, TimeSpan Elapsed);

/// <summary>The Markdown report of `verify evaluate-e2e`: what was run, the headline figures, decisions and reasons per kind, and the figures behind them.</summary>
internal static class EndToEndReport
{
    public static string Write(EndToEndRun run, IReadOnlyList<EndToEndCaseResult> results)
    {
        var figures = EndToEndFigures.From([.. results.Select(r => r.Decision)]);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## End to end: {run.Invocation}").AppendLine();
        AppendMethod(text, run, results.Count);

        text.AppendLine("### Summary").AppendLine();
        var genuine = figures.Genuine;
        var attacks = figures.Attacks;
        var timing = figures.Overall.TimeToDecision;
        var summary = new MarkdownTable("measure", "value");
        summary.Row("**genuine pass rate** (genuine verified automatically)", Rate(genuine.Verified, genuine.Cases));
        summary.Row("**false accepts** (impostor, spoof or tampered document verified)", Rate(figures.FalseAccepts, attacks.Cases));
        summary.Row("review rate (all cases)", Rate(figures.Overall.NeedsReview, figures.Overall.Cases));
        summary.Row("genuine review rate", Rate(genuine.NeedsReview, genuine.Cases));
        summary.Row("genuine rejected", Rate(genuine.Rejected, genuine.Cases));
        summary.Row("as expected (all cases)", Rate(figures.Overall.AsExpected, figures.Overall.Cases));
        summary.Row("no decision (submission refused or failed)", figures.Overall.NoDecision.ToString(CultureInfo.InvariantCulture));
        summary.Row("time to decision p50 / p95", $"{Ms(timing.P50)} / {Ms(timing.P95)}");
        text.Append(summary).AppendLine();

        text.AppendLine("### Decisions per kind").AppendLine();
        var decisions = new MarkdownTable("kind", "expected", "cases", "verified", "rejected", "needs review", "no decision", "as expected", "p50", "p95");
        foreach (var (kind, counts) in Ordered(figures))
        {
            DecisionRow(decisions, kind, Expected(kind), counts);
        }

        DecisionRow(decisions, "**all**", "", figures.Overall);
        text.Append(decisions).AppendLine();

        text.AppendLine("### Reasons per kind (cases given each reason; a case may have several, rejections first, and a rejected case lists its review reasons too)").AppendLine();
        var reasons = new MarkdownTable("kind", "reasons of rejected cases", "reasons of cases sent to review", "verified", "no decision");
        foreach (var (kind, counts) in Ordered(figures))
        {
            reasons.Row(kind, Reasons(counts, CaseOutcome.Rejected), Reasons(counts, CaseOutcome.NeedsReview),
                counts.Verified.ToString(CultureInfo.InvariantCulture), Reasons(counts, CaseOutcome.NoDecision));
        }

        text.Append(reasons).AppendLine();

        var accepted = results.Where(r => r.Decision.Attack && r.Decision.Outcome == CaseOutcome.Verified).ToList();
        if (accepted.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"False accepts: {string.Join("; ", accepted.Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"{r.Kind.ToName()} (face match {r.FaceMatchScore:0.000}, liveness {r.LivenessScore:0.000}, selfie face {r.SelfieFaceSize} px)")))}.").AppendLine();
        }

        text.AppendLine("### Genuine cases not verified, by reason").AppendLine();
        var genuineReasons = new MarkdownTable("reason", "rejected", "sent to review", "share of genuine cases");
        var rejectedBy = genuine.ReasonsFor(CaseOutcome.Rejected);
        var reviewedBy = genuine.ReasonsFor(CaseOutcome.NeedsReview);
        foreach (string reason in rejectedBy.Keys.Concat(reviewedBy.Keys).Distinct(StringComparer.Ordinal)
            .OrderByDescending(r => rejectedBy.GetValueOrDefault(r) + reviewedBy.GetValueOrDefault(r)).ThenBy(r => r, StringComparer.Ordinal))
        {
            int rejected = rejectedBy.GetValueOrDefault(reason), reviewed = reviewedBy.GetValueOrDefault(reason);
            genuineReasons.Row(reason, rejected.ToString(CultureInfo.InvariantCulture), reviewed.ToString(CultureInfo.InvariantCulture),
                Percent(genuine.Cases == 0 ? double.NaN : (double)(rejected + reviewed) / genuine.Cases));
        }

        text.Append(genuineReasons).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Genuine review rate by reason: {(figures.GenuineReviewRateByReason.Count == 0 ? "none" : string.Join(", ", figures.GenuineReviewRateByReason.Select(r => $"{r.Key} {Percent(r.Value)}")))}.").AppendLine();

        text.AppendLine("### Genuine cases by document").AppendLine();
        var formats = new MarkdownTable("document", "cases", "verified", "rejected", "needs review");
        foreach (var format in results.Where(r => r.Kind == EndToEndCaseKind.Genuine).GroupBy(r => r.DocumentType).OrderBy(g => g.Key))
        {
            var counts = DecisionCounts.Of([.. format.Select(r => r.Decision)]);
            formats.Row(DocumentName(format.Key), counts.Cases.ToString(CultureInfo.InvariantCulture),
                Rate(counts.Verified, counts.Cases), Rate(counts.Rejected, counts.Cases), Rate(counts.NeedsReview, counts.Cases));
        }

        text.Append(formats).AppendLine();

        var tampered = results.Where(r => r.Kind == EndToEndCaseKind.TamperedDocument).ToList();
        if (tampered.Count > 0)
        {
            text.AppendLine("### Tampered documents").AppendLine();
            var tampers = new MarkdownTable("document", "tampering", "cases", "verified", "rejected", "needs review", "reasons");
            foreach (var group in tampered.GroupBy(r => (r.DocumentType, r.Variant)).OrderBy(g => g.Key.DocumentType).ThenBy(g => g.Key.Variant, StringComparer.Ordinal))
            {
                var counts = DecisionCounts.Of([.. group.Select(r => r.Decision)]);
                tampers.Row(DocumentName(group.Key.DocumentType), group.Key.Variant ?? "", counts.Cases.ToString(CultureInfo.InvariantCulture),
                    counts.Verified.ToString(CultureInfo.InvariantCulture), counts.Rejected.ToString(CultureInfo.InvariantCulture),
                    counts.NeedsReview.ToString(CultureInfo.InvariantCulture),
                    ReasonCounts(group));
            }

            text.Append(tampers).AppendLine();
        }

        text.AppendLine("### The figures behind the decisions (medians; cases where the figure exists)").AppendLine();
        var scores = new MarkdownTable("kind", "face match score", "liveness score", "selfie face size (px)", "cases with a face match score");
        foreach (var kind in results.GroupBy(r => r.Kind).OrderBy(g => g.Key))
        {
            scores.Row(kind.Key.ToName(), Median(kind.Select(r => r.FaceMatchScore)), Median(kind.Select(r => r.LivenessScore)),
                Median(kind.Select(r => (double?)r.SelfieFaceSize), "0"), kind.Count(r => r.FaceMatchScore is not null).ToString(CultureInfo.InvariantCulture));
        }

        text.Append(scores).AppendLine();
        if (results.Select(r => r.FaceMatchThreshold).FirstOrDefault(t => t is not null) is { } matchThreshold)
        {
            text.Append(CultureInfo.InvariantCulture, $"Face match threshold {matchThreshold:0.000}");
            text.Append(results.Select(r => r.LivenessThreshold).FirstOrDefault(t => t is not null) is { } liveThreshold
                ? string.Create(CultureInfo.InvariantCulture, $", liveness threshold {liveThreshold:0.000}.") : ".");
            text.AppendLine(" A selfie face under the capture-quality minimum (Quality:MinFaceSizePixels, 80 by default) is rejected as low_quality:face_too_small.").AppendLine();
        }

        AppendStageTimes(text, [.. results.Where(r => r.Kind == EndToEndCaseKind.Genuine && r.StageMilliseconds is not null).Select(r => r.StageMilliseconds!)]);
        AppendCpuTimes(text, results);

        var unusable = results.Where(r => r.Kind == EndToEndCaseKind.UnusableSelfie && r.Variant is not null).GroupBy(r => r.Variant!).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (unusable.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Unusable selfies: {string.Join("; ", unusable.Select(v =>
                $"{v.Key} {v.Count()} ({ReasonCounts(v)})"))}.").AppendLine();
        }

        return text.ToString();
    }

    private static void AppendMethod(StringBuilder text, EndToEndRun run, int cases)
    {
        var options = run.Options;
        var shares = options.Mix.Shares.Where(share => share.Value > 0)
            .Select(share => $"{share.Key.ToName()} {Percent(share.Value, 0)}");
        text.Append(CultureInfo.InvariantCulture, $"{cases} generated submissions (seed {options.Documents.Seed}), decided {run.Mode}; ")
            .Append(CultureInfo.InvariantCulture, $"mix: {string.Join(", ", shares)}. ")
            .Append(CultureInfo.InvariantCulture, $"Documents, in turn: {string.Join(", ", options.DocumentTypes.Select(DocumentName))}; synthetic, photographed with the {options.Documents.Capture.Name} capture preset, with {options.Documents.Numbers.ToString().ToLowerInvariant()} document numbers (chips: the passport's MRZ and printed photo as DG1 and DG2, JPEG 2000 or JPEG, signed by a test CSCA the pipeline trusts), ")
            .Append(CultureInfo.InvariantCulture, $"every one valid on {options.ValidOn:yyyy-MM-dd} with an adult holder (the pipeline's date). ")
            .Append("Portraits and selfies are LFW photos of people with two or more: the selfie is a different photo than the printed one ")
            .Append("(of the holder; of someone else for an impostor), ")
            .Append(options.SelfieFraming < 1
                ? string.Create(CultureInfo.InvariantCulture, $"framed on the face as a phone selfie is (the central {options.SelfieFraming:P0} of width and height, which leaves out most bystanders at LFW's edges), ")
                : "")
            .Append(options.SelfieSide > 250
                ? string.Create(CultureInfo.InvariantCulture, $"enlarged from LFW's 250 pixels square to {options.SelfieSide} so that the face is phone-sized, ")
                : string.Create(CultureInfo.InvariantCulture, $"at {options.SelfieSide} pixels square (LFW's size: not enlarged), "))
            .Append("then taken by the simulated selfie camera (exposure, white balance, blur, noise, JPEG 70-92) or presented as a print or screen replay before that camera. ")
            .Append(CultureInfo.InvariantCulture, $"Unreadable documents: the photo holding the MRZ or barcode reduced 16-20 times and enlarged back. Incomplete: a card's or licence's front without its back. ")
            .Append("Tampered documents: a chip with a changed DG1 or DG2 byte, a broken signature, a forged, expired or unknown signer; a licence whose printed birth date differs from its barcode. ")
            .Append("Unusable selfies: a bare surface (no face) or the holder far too dark. One selfie frame, no liveness challenge. ")
            .Append(CultureInfo.InvariantCulture, $"Time to decision: {run.TimeToDecision}. Run took {run.Elapsed.TotalMinutes:0.0} min on {Environment.ProcessorCount} cores. ")
            .AppendLine("Simulated material: the figures show how this pipeline treats these cases, not how it fares on real users.").AppendLine();
    }

    private static IEnumerable<(string Kind, DecisionCounts Counts)> Ordered(EndToEndFigures figures) =>
        figures.Kinds.OrderBy(k => EndToEndCaseKinds.All.Select(kind => kind.ToName()).ToList().IndexOf(k.Kind));

    private static string Expected(string kind) =>
        EndToEndCaseKinds.All.First(k => k.ToName() == kind).Expected() switch
        {
            ExpectedDecision.Verified => "verified",
            ExpectedDecision.Rejected => "rejected",
            _ => "not verified",
        };

    private static void DecisionRow(MarkdownTable table, string kind, string expected, DecisionCounts counts) =>
        table.Row(kind, expected, counts.Cases.ToString(CultureInfo.InvariantCulture), Rate(counts.Verified, counts.Cases),
            Rate(counts.Rejected, counts.Cases), Rate(counts.NeedsReview, counts.Cases), counts.NoDecision.ToString(CultureInfo.InvariantCulture),
            Rate(counts.AsExpected, counts.Cases), Ms(counts.TimeToDecision.P50), Ms(counts.TimeToDecision.P95));

    private static string Reasons(DecisionCounts counts, CaseOutcome outcome)
    {
        var reasons = counts.ReasonsFor(outcome);
        return reasons.Count == 0 ? "" : string.Join(", ", reasons.Select(r => $"{r.Key} {r.Value}"));
    }

    private static string Rate(int count, int total) =>
        total == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{count * 100.0 / total:0.0}% ({count}/{total})");

    private static string Percent(double value, int decimals = 1) =>
        double.IsNaN(value) ? "n/a" : (value * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";

    private static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0 ms", CultureInfo.InvariantCulture);

    /// <summary>Each stage's time over the genuine cases, and the document stage as a whole (every document_* stage of a case).</summary>
    private static void AppendStageTimes(StringBuilder text, IReadOnlyList<IReadOnlyDictionary<string, double>> cases)
    {
        if (cases.Count == 0)
        {
            return;
        }

        text.AppendLine("### Stage times of the genuine cases (ms; the service's own stage timers, one case at a time)").AppendLine();
        var table = new MarkdownTable("stage", "cases", "p50", "p95");
        void Row(string stage, List<double> times)
        {
            var statistics = LatencyStatistics.From(times);
            table.Row(stage, times.Count.ToString(CultureInfo.InvariantCulture),
                statistics.P50.ToString("0.0", CultureInfo.InvariantCulture), statistics.P95.ToString("0.0", CultureInfo.InvariantCulture));
        }

        Row("**document stage** (all document_* stages)", [.. cases.Select(stages => stages.Where(stage => stage.Key.StartsWith("document_", StringComparison.Ordinal)).Sum(stage => stage.Value))]);
        foreach (var stage in cases.SelectMany(stages => stages.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Row(stage, [.. cases.Where(stages => stages.ContainsKey(stage)).Select(stages => stages[stage])]);
        }

        text.Append(table).AppendLine();
    }

    /// <summary>
    /// The process's CPU time per case (every thread: model runtime, OCR pool, portrait search), over all cases and the
    /// genuine ones, and per stage over the genuine ones. In process only: a service run has no per-case CPU figure.
    /// </summary>
    private static void AppendCpuTimes(StringBuilder text, IReadOnlyList<EndToEndCaseResult> results)
    {
        var measured = results.Where(r => r.CpuMilliseconds is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        text.AppendLine("### CPU time per case (ms of process CPU, every thread; one case at a time)").AppendLine();
        var table = new MarkdownTable("cases", "count", "p50", "p95", "mean");
        void Row(string name, List<double> times)
        {
            var statistics = LatencyStatistics.From(times);
            table.Row(name, times.Count.ToString(CultureInfo.InvariantCulture), statistics.P50.ToString("0.0", CultureInfo.InvariantCulture),
                statistics.P95.ToString("0.0", CultureInfo.InvariantCulture), times.Average().ToString("0.0", CultureInfo.InvariantCulture));
        }

        Row("**all cases**", [.. measured.Select(r => r.CpuMilliseconds!.Value)]);
        foreach (var kind in measured.GroupBy(r => r.Kind).OrderBy(g => g.Key))
        {
            Row(kind.Key.ToName(), [.. kind.Select(r => r.CpuMilliseconds!.Value)]);
        }

        text.Append(table).AppendLine();
        var genuine = measured.Where(r => r.Kind == EndToEndCaseKind.Genuine && r.StageCpuMilliseconds is not null).Select(r => r.StageCpuMilliseconds!).ToList();
        if (genuine.Count == 0)
        {
            return;
        }

        text.AppendLine("CPU by stage, genuine cases (ms; a card's portrait search runs beside its MRZ read, so its CPU falls in document_mrz):").AppendLine();
        var stages = new MarkdownTable("stage", "cases", "p50", "p95", "mean");
        foreach (var stage in genuine.SelectMany(s => s.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var times = genuine.Where(s => s.ContainsKey(stage)).Select(s => s[stage]).ToList();
            var statistics = LatencyStatistics.From(times);
            stages.Row(stage, times.Count.ToString(CultureInfo.InvariantCulture), statistics.P50.ToString("0.0", CultureInfo.InvariantCulture),
                statistics.P95.ToString("0.0", CultureInfo.InvariantCulture), times.Average().ToString("0.0", CultureInfo.InvariantCulture));
        }

        text.Append(stages).AppendLine();
    }

    private static string Median(IEnumerable<double?> values, string format = "0.000")
    {
        var present = values.OfType<double>().Order().ToArray();
        return present.Length == 0 ? "n/a" : LatencyStatistics.Percentile(present, 0.5).ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The reasons the cases were given, each with its count, the most frequent first.</summary>
    private static string ReasonCounts(IEnumerable<EndToEndCaseResult> cases) =>
        string.Join(", ", cases.SelectMany(r => r.Decision.Reasons).GroupBy(x => x, StringComparer.Ordinal).OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key} {g.Count()}"));

    private static string DocumentName(EndToEndDocumentType type) => type switch
    {
        EndToEndDocumentType.Passport => "TD3 passport page (MRZ)",
        EndToEndDocumentType.IdCard => "TD1 card, front and back (MRZ)",
        EndToEndDocumentType.Licence => "driver's licence, front and back (AAMVA PDF417)",
        _ => "ePassport chip (DG1, DG2, SOD)",
    };
}
