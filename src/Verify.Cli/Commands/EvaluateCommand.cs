using System.CommandLine;
using System.Globalization;
using System.Text;
using Verify.Cli.Lfw;
using Verify.Evaluation;
using Verify.Inference.Models;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify evaluate`: face verification accuracy on an LFW-format pairs file, for every matcher: 10-fold
/// accuracy (or, for a single-fold View 1 file, accuracy at the threshold calibrated on DevTrain), EER,
/// TAR at fixed false accept rates, the calibrated operating points measured on held-out data, what impersonation
/// reports suggest on the set, and latency.
/// </summary>
internal static class EvaluateCommand
{
    public static readonly double[] FalseAcceptRates = [1e-2, 1e-3, 1e-4];

    public static Command Create()
    {
        var pairs = new Option<FileInfo>("--pairs") { Description = "LFW pairs file (View 1 pairsDevTest.txt, or View 2 pairs.txt with 10 folds).", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder with Name/Name_NNNN.jpg images.", Required = true };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown report to this file." };
        var exhaustive = new Option<bool>("--exhaustive")
        {
            Description = "Also score every genuine and impostor combination of the images (needed to measure low false accept rates).",
            DefaultValueFactory = _ => true,
        };
        var threads = CommonOptions.Threads();
        var gpu = CommonOptions.Gpu();
        var command = new Command("evaluate", "Measure face verification accuracy on an LFW pairs file.") { pairs, images, report, exhaustive, threads, gpu };
        command.SetAction(parse =>
        {
            var pairsFile = parse.GetRequiredValue(pairs);
            var imagesDirectory = parse.GetRequiredValue(images);
            string invocation = $"verify evaluate --pairs {parse.GetResult(pairs)!.Tokens[0].Value} --images {parse.GetResult(images)!.Tokens[0].Value}";
            return LfwCommand.Run(pairsFile, imagesDirectory, CommonOptions.Overrides(threads: parse.GetValue(threads), gpu: parse.GetValue(gpu)),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
                session => Report(session, invocation, parse.GetValue(exhaustive)), parse.GetValue(report));
        });
        return command;
    }

    private static string Report(LfwSession session, string invocation, bool exhaustive)
    {
        var text = new StringBuilder();
        var pairs = session.Pairs;
        var set = session.Set;
        text.AppendLine(CultureInfo.InvariantCulture, $"## LFW evaluation: {invocation}").AppendLine();
        LfwCommand.AppendDataset(text, session);

        var scores = session.Matchers.Select(matcher => MatcherScores.Compute(matcher, pairs, set, exhaustive)).ToArray();
        if (exhaustive && scores.Length > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"All combinations of the {set.Embedded.Count} embedded images: {scores[0].Genuine.Length:N0} genuine and {scores[0].Impostor.Length:N0} impostor pairs.");
        }

        text.AppendLine();
        bool folded = pairs.Folds.Count > 1;
        var accuracyTable = new MarkdownTable(
        [
            "matcher",
            folded ? $"{pairs.Folds.Count}-fold accuracy" : "accuracy at calibrated threshold",
            "best-threshold accuracy (optimistic)",
            "EER (pairs)",
            exhaustive ? "EER (all combinations)" : "EER",
            .. FalseAcceptRates.Select(far => $"TAR @ FAR {Far(far)}"),
        ]);
        foreach (var score in scores)
        {
            var pairList = score.Pairs;
            var (_, bestAccuracy) = VerificationMetrics.BestAccuracyThreshold(pairList);
            var (genuinePairs, impostorPairs) = MatcherScores.Split(pairList);
            accuracyTable.Row(
            [
                score.Matcher.Version,
                folded ? FoldedAccuracy(score) : CalibratedAccuracy(score),
                Percent(bestAccuracy),
                Percent(VerificationMetrics.EqualErrorRate(genuinePairs, impostorPairs).Rate),
                Percent(VerificationMetrics.EqualErrorRate(score.Genuine, score.Impostor).Rate),
                .. FalseAcceptRates.Select(far => TrueAcceptRateAt(score, far)),
            ]);
        }

        text.AppendLine("### Accuracy and error rates").AppendLine().Append(accuracyTable).AppendLine();
        text.AppendLine("TAR @ FAR: the true accept rate at the threshold giving that false accept rate on this set's impostor scores (n/a: too few impostor pairs to measure it).").AppendLine();

        var operating = new MarkdownTable("matcher", "target FAR", "calibrated threshold", "measured FAR", "measured TAR");
        foreach (var score in scores)
        {
            foreach (var point in score.Matcher.Calibration?.OperatingPoints ?? [])
            {
                operating.Row(score.Matcher.Version, Far(point.FalseAcceptRate), Number(point.Threshold),
                    Percent(VerificationMetrics.AcceptRate(score.Impostor, point.Threshold), 4),
                    Percent(VerificationMetrics.AcceptRate(score.Genuine, point.Threshold)));
            }
        }

        text.AppendLine("### Calibrated thresholds (from the manifests) measured on this set").AppendLine().Append(operating).AppendLine();
        if (exhaustive)
        {
            ReportSuggestions.Append(text, scores, set);
        }

        LfwCommand.AppendLatency(text, set);
        return text.ToString();
    }

    private static string FoldedAccuracy(MatcherScores score)
    {
        var folded = VerificationMetrics.KFoldAccuracy(score.Folds);
        return string.Create(CultureInfo.InvariantCulture, $"{folded.Mean * 100:0.00}% ± {folded.StandardDeviation * 100:0.00}");
    }

    private static string CalibratedAccuracy(MatcherScores score) =>
        score.Matcher.Calibration is { } calibration && calibration.OperatingPoints.Count > 0
            ? $"{Percent(VerificationMetrics.Accuracy(score.Pairs, calibration.AccuracyThreshold))} (at {Number(calibration.AccuracyThreshold)})"
            : "n/a (not calibrated: run verify calibrate)";

    private static string TrueAcceptRateAt(MatcherScores score, double falseAcceptRate) =>
        VerificationMetrics.ThresholdAtFalseAcceptRate(score.Impostor, falseAcceptRate) is double threshold
            ? Percent(VerificationMetrics.AcceptRate(score.Genuine, threshold))
            : "n/a";

    internal static string Percent(double value, int decimals = 2) =>
        double.IsNaN(value) ? "n/a" : (value * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";

    internal static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    internal static string Far(double value) => value.ToString("0e0", CultureInfo.InvariantCulture);
}

/// <summary>What evaluate and calibrate share: loading the session, the dataset summary, latency, errors and the report file.</summary>
internal static class LfwCommand
{
    public static int Run(FileInfo pairs, DirectoryInfo images, Dictionary<string, string?> overrides, TextWriter output, TextWriter error,
        Func<LfwSession, string> report, FileInfo? reportFile)
    {
        if (!pairs.Exists || !images.Exists)
        {
            error.WriteLine($"error: {(pairs.Exists ? $"image folder {images.FullName}" : $"pairs file {pairs.FullName}")} does not exist.");
            return ExitCodes.BadInput;
        }

        try
        {
            using var services = CliServices.Build(overrides);
            var session = LfwSession.Load(services, pairs.FullName, images.FullName, error);
            string text = report(session);
            output.Write(text);
            if (reportFile is not null)
            {
                File.WriteAllText(reportFile.FullName, text);
            }

            return ExitCodes.Success;
        }
        catch (FormatException exception)
        {
            error.WriteLine($"error: {pairs.Name}: {exception.Message}");
            return ExitCodes.BadInput;
        }
        catch (ModelUnavailableException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.ModelsUnavailable;
        }
    }

    public static void AppendDataset(StringBuilder text, LfwSession session)
    {
        var pairs = session.Pairs;
        var set = session.Set;
        int total = pairs.Pairs.Count();
        int same = pairs.Pairs.Count(pair => pair.SamePerson);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Pairs: {total} in {pairs.Folds.Count} fold(s) ({same} same-person, {total - same} different-person); images: {set.ImageCount}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Missing files: {Listed(set.Missing)} (pairs using them are left out).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Unreadable images: {Listed(set.Unreadable)}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Detection misses (no face found; their pairs score as rejections): {Listed(set.NoFace)}.");
    }

    public static void AppendLatency(StringBuilder text, LfwEmbeddingSet set)
    {
        var table = new MarkdownTable("stage", "images", "p50 ms", "p95 ms", "mean ms");
        foreach (var (stage, values) in set.StageLatencies)
        {
            var statistics = LatencyStatistics.From(values);
            table.Row(stage, statistics.Count.ToString(CultureInfo.InvariantCulture), Ms(statistics.P50), Ms(statistics.P95), Ms(statistics.Mean));
        }

        text.AppendLine("### Latency per image (align and embed: all embedders together)").AppendLine().Append(table);
    }

    internal static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Listed(IReadOnlyCollection<string> items) =>
        items.Count == 0 ? "0" : $"{items.Count} ({string.Join(", ", items.Take(10))}{(items.Count > 10 ? ", ..." : string.Empty)})";
}
