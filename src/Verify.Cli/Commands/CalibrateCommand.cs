using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Cli.Lfw;
using Verify.Evaluation;
using Verify.Inference.Faces;
using Verify.Inference.Models;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify calibrate`: chooses each matcher's thresholds on a training pairs file (LFW DevTrain): the
/// best-accuracy threshold on its pairs, and thresholds for false accept rates 1e-2 to 1e-6 on every impostor
/// combination of its images (1e-5 and 1e-6 for the 1:N duplicate search, which compares with every stored template;
/// with about six million combinations, 1e-6 rests on the top six impostor scores). Fits the fusion (z-normalisation and weight) the same way. With
/// --write, stores the results in the manifests and models/fusion.json.
/// </summary>
internal static class CalibrateCommand
{
    private const double FusionObjectiveFar = 1e-3;

    /// <summary>The rates whose thresholds go into the manifests: the 1:1 rates, and the strict ones of the 1:N search.</summary>
    private static readonly double[] CalibratedRates = [.. EvaluateCommand.FalseAcceptRates, 1e-5, 1e-6];

    public static Command Create()
    {
        var pairs = new Option<FileInfo>("--pairs") { Description = "Training pairs file (LFW View 1 pairsDevTrain.txt).", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder with Name/Name_NNNN.jpg images.", Required = true };
        var write = new Option<DirectoryInfo?>("--write") { Description = "Manifest folder (the checkout's models/) to store the thresholds in." };
        var threads = CommonOptions.Threads();
        var command = new Command("calibrate", "Choose matcher thresholds and fusion weights on a training pairs file.") { pairs, images, write, threads };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(write);
            string invocation = $"verify calibrate --pairs {parse.GetResult(pairs)!.Tokens[0].Value} --images {parse.GetResult(images)!.Tokens[0].Value}" +
                (target is null ? string.Empty : $" --write {parse.GetResult(write)!.Tokens[0].Value}");
            return LfwCommand.Run(parse.GetRequiredValue(pairs), parse.GetRequiredValue(images), CommonOptions.Overrides(threads: parse.GetValue(threads)),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
                session => Calibrate(session, invocation, target), reportFile: null);
        });
        return command;
    }

    private static string Calibrate(LfwSession session, string invocation, DirectoryInfo? target)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Calibration: {invocation}").AppendLine();
        LfwCommand.AppendDataset(text, session);
        text.AppendLine();

        var singles = session.Matchers.Where(matcher => matcher.Embedders.Count == 1)
            .Select(matcher => MatcherScores.Compute(matcher, session.Pairs, session.Set, exhaustive: true))
            .ToArray();
        var results = singles.Select(score => (score.Matcher.Name, Matching: Fit(score, session, invocation))).ToList();

        var fusion = FitFusion(singles);
        var fusionScores = MatcherScores.Compute(FaceMatcher.ForFusion(fusion, singles.Select(s => s.Matcher.Embedders[0])), session.Pairs, session.Set, exhaustive: true);
        var fusionMatching = Fit(fusionScores, session, invocation) with { Metric = "fused-z" };
        fusion = fusion with { Matching = fusionMatching };
        results.Add((ScoreFusion.Id, fusionMatching));

        var table = new MarkdownTable(["matcher", "accuracy threshold", "accuracy (training pairs)",
            .. CalibratedRates.Select(far => $"threshold @ FAR {EvaluateCommand.Far(far)} (TAR)")]);
        foreach (var (name, matching) in results)
        {
            double accuracy = matching.Calibration!.Value.GetProperty("accuracy").GetDouble();
            table.Row([name, EvaluateCommand.Number(matching.AccuracyThreshold), EvaluateCommand.Percent(accuracy),
                .. CalibratedRates.Select(far => matching.OperatingPoints.FirstOrDefault(p => p.FalseAcceptRate == far) is { } point
                    ? $"{EvaluateCommand.Number(point.Threshold)} ({EvaluateCommand.Percent(point.TrueAcceptRate)})"
                    : "n/a")]);
        }

        text.Append(table).AppendLine();
        text.AppendLine(string.Join("; ", fusion.Components.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"fusion {c.Model}: weight {c.Weight:0.00}, impostor mean {c.ImpostorMean:0.0000}, deviation {c.ImpostorDeviation:0.0000}"))));

        if (target is not null)
        {
            foreach (var (name, matching) in results.Where(result => result.Name != ScoreFusion.Id))
            {
                WriteMatching(Path.Combine(target.FullName, $"{name}.model.json"), matching);
            }

            File.WriteAllText(Path.Combine(target.FullName, ScoreFusion.FileName), JsonSerializer.Serialize(fusion, ModelManifest.JsonOptions) + "\n");
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Wrote the thresholds into {target.FullName}.");
        }

        return text.ToString();
    }

    /// <summary>The thresholds of one matcher, with the figures and the evaluation behind them.</summary>
    private static MatchingCalibration Fit(MatcherScores score, LfwSession session, string invocation)
    {
        var (threshold, accuracy) = VerificationMetrics.BestAccuracyThreshold(score.Pairs);
        var points = new List<OperatingPoint>();
        foreach (double far in CalibratedRates)
        {
            if (VerificationMetrics.ThresholdAtFalseAcceptRate(score.Impostor, far) is double atFar)
            {
                points.Add(new OperatingPoint(far, Math.Round(atFar, 6), Math.Round(VerificationMetrics.AcceptRate(score.Genuine, atFar), 6)));
            }
        }

        var calibration = new
        {
            dataset = $"LFW {session.PairsName}",
            images = session.Set.ImageCount,
            embeddedImages = session.Set.Embedded.Count,
            detectionMisses = session.Set.NoFace.Count,
            missingFiles = session.Set.Missing.Count,
            accuracyPairs = score.Pairs.Length,
            accuracy = Math.Round(accuracy, 6),
            genuinePairs = score.Genuine.Length,
            impostorPairs = score.Impostor.Length,
            method = "accuracy threshold: middle of the best gap on the pairs file; FAR thresholds: on all impostor combinations of the embedded images (identity = folder), TAR on all genuine combinations",
            command = invocation,
            date = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return new MatchingCalibration
        {
            Metric = "cosine",
            AccuracyThreshold = Math.Round(threshold, 6),
            OperatingPoints = points,
            Calibration = JsonSerializer.SerializeToElement(calibration, ModelManifest.JsonOptions),
        };
    }

    /// <summary>
    /// z-normalises each embedder's cosine with its impostor mean and deviation, then picks the weight (step 0.05)
    /// of the first embedder that gives the highest TAR at FAR 1e-3 on the training combinations.
    /// </summary>
    private static ScoreFusion FitFusion(IReadOnlyList<MatcherScores> singles)
    {
        if (singles.Count != 2)
        {
            throw new InvalidOperationException("The fusion combines exactly two embedders.");
        }

        var statistics = singles.Select(score => (Mean: score.Impostor.Average(), Deviation: StandardDeviation(score.Impostor))).ToArray();
        double bestWeight = 0.5, bestRate = -1;
        for (int step = 1; step < 20; step++)
        {
            double weight = step / 20.0;
            var impostor = Fuse(singles[0].Impostor, singles[1].Impostor, statistics, weight);
            var genuine = Fuse(singles[0].Genuine, singles[1].Genuine, statistics, weight);
            double rate = VerificationMetrics.ThresholdAtFalseAcceptRate(impostor, FusionObjectiveFar) is double threshold
                ? VerificationMetrics.AcceptRate(genuine, threshold)
                : 0;
            if (rate > bestRate)
            {
                bestRate = rate;
                bestWeight = weight;
            }
        }

        return new ScoreFusion
        {
            Description = "Score-level fusion of fr-feature and dlib-resnet-v1: weighted sum of cosine similarities z-normalised by their impostor statistics on the calibration set.",
            Components =
            [
                new FusionComponent(singles[0].Matcher.Name, statistics[0].Mean, statistics[0].Deviation, bestWeight),
                new FusionComponent(singles[1].Matcher.Name, statistics[1].Mean, statistics[1].Deviation, 1 - bestWeight),
            ],
        };
    }

    /// <summary>Fused scores of the same combinations (both arrays enumerate the image pairs in one order).</summary>
    private static double[] Fuse(double[] first, double[] second, (double Mean, double Deviation)[] statistics, double weight)
    {
        if (first.Length != second.Length)
        {
            throw new InvalidOperationException("The two embedders were scored on different combinations.");
        }

        var fused = new double[first.Length];
        for (int i = 0; i < fused.Length; i++)
        {
            fused[i] = (weight * (first[i] - statistics[0].Mean) / statistics[0].Deviation)
                + ((1 - weight) * (second[i] - statistics[1].Mean) / statistics[1].Deviation);
        }

        return fused;
    }

    private static double StandardDeviation(IReadOnlyCollection<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(value => (value - mean) * (value - mean)) / (values.Count - 1));
    }

    private static void WriteMatching(string manifestPath, MatchingCalibration matching)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) ?? throw new InvalidDataException($"{manifestPath} is empty.");
        manifest["matching"] = JsonSerializer.SerializeToNode(matching, ModelManifest.JsonOptions);
        File.WriteAllText(manifestPath, manifest.ToJsonString(ModelManifest.JsonOptions) + "\n");
    }
}
