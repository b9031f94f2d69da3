using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Verify.Cli.Lfw;
using Verify.Evaluation;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Liveness;
using Verify.Inference.Models;
using Verify.Inference.Quality;
using Verify.Synthetic;
using Verify.Synthetic.Attacks;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify evaluate-liveness`: passive liveness against simulated presentation attacks made from LFW photos. Each
/// photo gives one bona fide capture and one attack of every type; even-numbered photos choose the ensemble and its
/// threshold (the strictest with BPCER within the target), odd-numbered ones measure BPCER and APCER per attack type
/// at that threshold. Also times quality plus liveness per selfie. With --write, records the chosen ensemble in
/// models/liveness.json.
/// </summary>
internal static class EvaluateLivenessCommand
{
    private static readonly IReadOnlyList<string> ModelIds = LivenessModels.Ids;

    /// <summary>Ensembles tried, as indices into <see cref="ModelIds"/>, with equal weights.</summary>
    private static readonly int[][] Candidates = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];

    public static Command Create()
    {
        var images = new Option<DirectoryInfo?>("--images") { Description = "LFW-layout folder (Person/Person_NNNN.jpg); default ../shared/data/lfw/images." };
        var count = new Option<int>("--count") { Description = "Photos to use, one per person (half choose the threshold, half measure).", DefaultValueFactory = _ => 800 };
        var seed = new Option<int>("--seed") { Description = "Seed for the choice of photos and the simulations.", DefaultValueFactory = _ => 7 };
        var bpcer = new Option<double>("--bpcer") { Description = "Largest BPCER allowed on the choosing half.", DefaultValueFactory = _ => 0.04 };
        var write = new Option<DirectoryInfo?>("--write") { Description = "Write the chosen ensemble and threshold to liveness.json in this models folder." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown report to this file." };
        var budget = new Option<double>("--latency-budget-ms") { Description = "Only ensembles whose quality plus liveness p50 fits this are chosen (the fastest when none does).", DefaultValueFactory = _ => 30 };
        var framing = new Option<double>("--selfie-framing")
        {
            Description = "The share of each photo's width and height kept around its centre, as a phone selfie frames a face (1: all).",
            DefaultValueFactory = _ => SelfieFraming.DefaultShare,
        };
        var side = new Option<int>("--selfie-side")
        {
            Description = "The long side each framed photo is enlarged to before the camera stage, so the face is phone-sized (0: as cut).",
            DefaultValueFactory = _ => SelfieFraming.DefaultSide,
        };
        var samples = new Option<DirectoryInfo?>("--samples") { Description = "Also write the first few simulated images here as JPEG, to look at (never into the repository)." };
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate-liveness", "Measure passive liveness (APCER per attack type, BPCER) on simulated attacks from LFW.")
        {
            images, count, seed, bpcer, budget, framing, side, write, report, samples, threads,
        };
        command.SetAction(parse =>
        {
            var settings = new Settings(parse.GetValue(images)?.FullName ?? SamplesCommand.DefaultFacesFolder(), parse.GetValue(count), parse.GetValue(seed),
                parse.GetValue(bpcer), parse.GetValue(budget), parse.GetValue(samples)?.FullName, parse.GetValue(framing), parse.GetValue(side));
            if (settings.Count < 20 || settings.MaxBpcer is <= 0 or >= 0.5 || settings.Framing is < 0.2 or > 1 || settings.Side is < 0 or > 4096)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: --count must be at least 20, --bpcer between 0 and 0.5, --selfie-framing 0.2 to 1 and --selfie-side 0 to 4096.");
                return ExitCodes.Usage;
            }

            return Run(settings, CommonOptions.Overrides(threads: parse.GetValue(threads)), parse.GetValue(write), parse.GetValue(report),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private sealed record Settings(string Faces, int Count, int Seed, double MaxBpcer, double LatencyBudget, string? SamplesFolder,
        double Framing = SelfieFraming.DefaultShare, int Side = SelfieFraming.DefaultSide);

    /// <summary>One presentation: its photo's index, what it is (null: bona fide), and each model's live probability (null: no face found).</summary>
    private sealed record Presentation(int Photo, PresentationAttackType? Attack, double[]? Scores);

    private static int Run(Settings settings, Dictionary<string, string?> overrides, DirectoryInfo? write, FileInfo? reportFile, TextWriter stdout, TextWriter error)
    {
        if (!Directory.Exists(settings.Faces))
        {
            error.WriteLine($"error: {settings.Faces} does not exist; pass --images.");
            return ExitCodes.BadInput;
        }

        var photos = Directory.EnumerateDirectories(settings.Faces).Order(StringComparer.Ordinal)
            .Select(folder => Path.Combine(folder, $"{Path.GetFileName(folder)}_0001.jpg")).Where(File.Exists).ToArray();
        new Random(settings.Seed).Shuffle(photos);
        photos = photos[..Math.Min(settings.Count, photos.Length)];

        using var services = CliServices.Build(overrides);
        try
        {
            var decoder = services.GetRequiredService<ImageDecoder>();
            var detector = services.GetRequiredService<IFaceDetector>();
            PassiveLivenessModel[] models = [.. ModelIds.Select(id => LivenessModels.Resolve(services, id))];
            var presentations = new List<Presentation>();
            var latencies = new List<double[]>();
            var timer = Stopwatch.StartNew();
            using var simulator = new PresentationAttackSimulator();
            for (int index = 0; index < photos.Length; index++)
            {
                using var original = decoder.Decode(File.ReadAllBytes(photos[index]));
                using var photo = SelfieFraming.Prepare(original, settings.Framing, settings.Side);
                foreach (PresentationAttackType? attack in new PresentationAttackType?[] { null }.Concat(PresentationAttackSimulator.All.Cast<PresentationAttackType?>()))
                {
                    var random = PresentationAttackSimulator.RandomFor(settings.Seed, index, attack);
                    using var image = attack is { } type ? simulator.Simulate(photo, type, random) : PresentationAttackSimulator.CaptureBonaFide(photo, random);
                    if (settings.SamplesFolder is { } folder && index < 5)
                    {
                        Directory.CreateDirectory(folder);
                        File.WriteAllBytes(Path.Combine(folder, $"{index:D2}_{attack?.ToName() ?? "bona_fide"}.jpg"), ImageEncoder.EncodeJpeg(image, 92));
                    }

                    var faces = detector.Detect(image);
                    int primary = PrimaryFace.Select(faces, image.Width, image.Height);
                    if (primary < 0)
                    {
                        presentations.Add(new Presentation(index, attack, null));
                        continue;
                    }

                    var face = faces[primary];
                    // Milliseconds of the quality measures, then of each model.
                    var times = new double[1 + models.Length];
                    long started = Stopwatch.GetTimestamp();
                    CaptureQuality.Measure(image, face);
                    times[0] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var scores = new double[models.Length];
                    for (int m = 0; m < models.Length; m++)
                    {
                        started = Stopwatch.GetTimestamp();
                        scores[m] = models[m].Score(image, face.Box);
                        times[1 + m] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }

                    if (attack is null && index > 0)
                    {
                        latencies.Add(times);
                    }

                    presentations.Add(new Presentation(index, attack, scores));
                }

                if ((index + 1) % 100 == 0)
                {
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{index + 1}/{photos.Length} photos, {timer.Elapsed.TotalSeconds:0} s"));
                }
            }

            var (text, chosen, threshold, figures) = Report(settings, presentations, latencies, models);
            stdout.Write(text);
            if (reportFile is not null)
            {
                File.WriteAllText(reportFile.FullName, text);
            }

            if (write is not null)
            {
                WriteEnsemble(write.FullName, settings, chosen, threshold, figures);
                stdout.WriteLine($"wrote {Path.Combine(write.FullName, LivenessEnsemble.FileName)}");
            }

            return ExitCodes.Success;
        }
        catch (ModelUnavailableException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.ModelsUnavailable;
        }
    }

    /// <summary>Figures of one ensemble at one threshold on one half.</summary>
    private sealed record Figures(double Bpcer, IReadOnlyDictionary<PresentationAttackType, double> Apcer, int BonaFide, IReadOnlyDictionary<PresentationAttackType, int> Attacks)
    {
        public double WorstApcer => Apcer.Values.Max();
    }

    private static Figures Measure(IReadOnlyList<Presentation> half, int[] members, double threshold)
    {
        var bonaFide = half.Where(p => p.Attack is null && p.Scores is not null).Select(p => Combined(p, members)).ToArray();
        var apcer = new Dictionary<PresentationAttackType, double>();
        var attacks = new Dictionary<PresentationAttackType, int>();
        foreach (var type in PresentationAttackSimulator.All)
        {
            // An attack in which no face was found is stopped before liveness; it is left out, which can only raise APCER.
            var scores = half.Where(p => p.Attack == type && p.Scores is not null).Select(p => Combined(p, members)).ToArray();
            apcer[type] = PresentationAttackMetrics.Apcer(scores, threshold);
            attacks[type] = scores.Length;
        }

        return new Figures(PresentationAttackMetrics.Bpcer(bonaFide, threshold), apcer, bonaFide.Length, attacks);
    }

    private static double Combined(Presentation presentation, int[] members) => members.Average(m => presentation.Scores![m]);

    private static (string Text, int[] Chosen, double Threshold, Figures Test) Report(Settings settings, List<Presentation> presentations,
        List<double[]> latencies, PassiveLivenessModel[] models)
    {
        var choose = presentations.Where(p => p.Photo % 2 == 0).ToArray();
        var measure = presentations.Where(p => p.Photo % 2 == 1).ToArray();
        var rows = Candidates.Select(members =>
        {
            double threshold = PresentationAttackMetrics.ThresholdAtBpcer(
                choose.Where(p => p.Attack is null && p.Scores is not null).Select(p => Combined(p, members)).ToArray(), settings.MaxBpcer);
            var latency = LatencyStatistics.From(latencies.Select(times => times[0] + members.Sum(m => times[1 + m])).ToArray());
            return (Members: members, Threshold: threshold, Choose: Measure(choose, members, threshold), Test: Measure(measure, members, threshold), Latency: latency.P50);
        }).ToArray();
        // Within the latency budget, the ensemble with the lowest worst-type APCER on the choosing half; fewer models win a tie.
        var affordable = rows.Where(row => row.Latency <= settings.LatencyBudget).ToArray();
        var best = affordable.Length == 0 ? rows.MinBy(row => row.Latency)
            : affordable.OrderBy(row => row.Choose.WorstApcer).ThenBy(row => row.Members.Length).First();

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Passive liveness on simulated attacks: verify evaluate-liveness --count {settings.Count} --seed {settings.Seed} --bpcer {settings.MaxBpcer} --latency-budget-ms {settings.LatencyBudget} --selfie-framing {settings.Framing} --selfie-side {settings.Side}").AppendLine();
        int photos = presentations.Select(p => p.Photo).Distinct().Count();
        string types = string.Join(", ", PresentationAttackSimulator.All.Select(t => t.ToName()));
        text.Append(CultureInfo.InvariantCulture, $"{photos} LFW photos (one per person), framed as a phone selfie is (the central {settings.Framing:0.##} of width and height, ")
            .Append(settings.Side > 0 ? string.Create(CultureInfo.InvariantCulture, $"enlarged to {settings.Side} px), ") : "not enlarged), ")
            .Append(CultureInfo.InvariantCulture, $"each captured once bona fide and once per attack type ({types}); ")
            .Append(CultureInfo.InvariantCulture, $"even-numbered photos choose each ensemble's threshold (the strictest with BPCER ≤ {Percent(settings.MaxBpcer)}), odd-numbered photos measure. ")
            .AppendLine("Simulated attacks are no certification: they show how the models respond to these artefacts, not how they fare against real attackers.").AppendLine();
        text.AppendLine("Faces not found (failure to acquire), out of the presentations of each kind:").AppendLine();
        var acquisition = new MarkdownTable(["", "bona fide", .. PresentationAttackSimulator.All.Select(t => t.ToName())]);
        acquisition.Row(["not found", Missed(presentations, null), .. PresentationAttackSimulator.All.Select(t => Missed(presentations, t))]);
        text.AppendLine(acquisition.ToString());

        text.AppendLine("Measured on the held-out half at the threshold chosen on the other half:").AppendLine();
        var table = new MarkdownTable(["ensemble (equal weights)", "threshold", "BPCER", .. PresentationAttackSimulator.All.Select(t => $"APCER {t.ToName()}"), "worst APCER (choosing half)", "quality + liveness p50"]);
        foreach (var row in rows)
        {
            string name = string.Join(" + ", row.Members.Select(m => ModelIds[m])) + (row == best ? " **(chosen)**" : "");
            table.Row([name, row.Threshold.ToString("0.0000", CultureInfo.InvariantCulture), Percent(row.Test.Bpcer),
                .. PresentationAttackSimulator.All.Select(t => Percent(row.Test.Apcer[t])), Percent(row.Choose.WorstApcer),
                row.Latency.ToString("0.0 ms", CultureInfo.InvariantCulture)]);
        }

        text.AppendLine(table.ToString());
        text.AppendLine("Median live probability of each model, by presentation (both halves):").AppendLine();
        var medians = new MarkdownTable(["model", "bona fide", .. PresentationAttackSimulator.All.Select(t => t.ToName())]);
        for (int m = 0; m < models.Length; m++)
        {
            int model = m;
            medians.Row([ModelIds[m], Median(presentations, null, model), .. PresentationAttackSimulator.All.Select(t => Median(presentations, t, model))]);
        }

        text.AppendLine(medians.ToString());
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Held-out counts: {best.Test.BonaFide} bona fide, {string.Join(", ", best.Test.Attacks.Select(a => $"{a.Value} {a.Key.ToName()}"))}.").AppendLine();
        var latency = LatencyStatistics.From(latencies.Select(times => times[0] + best.Members.Sum(m => times[1 + m])).ToArray());
        var quality = LatencyStatistics.From(latencies.Select(times => times[0]).ToArray());
        text.Append(CultureInfo.InvariantCulture, $"Capture quality plus the chosen ensemble per bona fide selfie (after detection; one selfie at a time, {Environment.ProcessorCount} cores): ")
            .AppendLine(CultureInfo.InvariantCulture, $"p50 {latency.P50:0.0} ms, p95 {latency.P95:0.0} ms over {latency.Count} selfies (the quality measures alone: p50 {quality.P50:0.00} ms).");
        return (text.ToString(), best.Members, best.Threshold, best.Test);
    }

    private static string Median(List<Presentation> presentations, PresentationAttackType? attack, int model)
    {
        var scores = presentations.Where(p => p.Attack == attack && p.Scores is not null).Select(p => p.Scores![model]).Order().ToArray();
        return scores.Length == 0 ? "n/a" : LatencyStatistics.Percentile(scores, 0.5).ToString("0.000", CultureInfo.InvariantCulture);
    }

    private static string Missed(List<Presentation> presentations, PresentationAttackType? attack)
    {
        var kind = presentations.Where(p => p.Attack == attack).ToArray();
        return $"{kind.Count(p => p.Scores is null)} of {kind.Length}";
    }

    private static string Percent(double rate) => double.IsNaN(rate) ? "n/a" : rate.ToString("0.0%", CultureInfo.InvariantCulture);

    private static void WriteEnsemble(string folder, Settings settings, int[] members, double threshold, Figures test)
    {
        var calibration = new JsonObject
        {
            ["dataset"] = string.Create(CultureInfo.InvariantCulture,
                $"LFW, first image of each person, framed as a phone selfie (central {settings.Framing:0.##}, long side {settings.Side} px; 0: not enlarged), simulated attacks (Verify.Synthetic.Attacks)"),
            ["photos"] = settings.Count,
            ["seed"] = settings.Seed,
            ["method"] = $"equal-weight mean of the members' live probabilities; threshold = strictest with BPCER <= {settings.MaxBpcer.ToString(CultureInfo.InvariantCulture)} on the even-numbered photos; among ensembles with quality + liveness p50 <= {settings.LatencyBudget.ToString(CultureInfo.InvariantCulture)} ms, the one with the lowest worst-type APCER there; figures measured on the odd-numbered photos",
            ["heldOutBpcer"] = Math.Round(test.Bpcer, 4),
            ["heldOutApcer"] = new JsonObject(test.Apcer.Select(a => KeyValuePair.Create(a.Key.ToName(), (JsonNode?)Math.Round(a.Value, 4)))),
            ["command"] = $"verify evaluate-liveness --count {settings.Count} --seed {settings.Seed} --bpcer {settings.MaxBpcer.ToString(CultureInfo.InvariantCulture)} --latency-budget-ms {settings.LatencyBudget.ToString(CultureInfo.InvariantCulture)} --selfie-framing {settings.Framing.ToString(CultureInfo.InvariantCulture)} --selfie-side {settings.Side} --threads 1 --write models",
            ["date"] = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var ensemble = new JsonObject
        {
            ["description"] = "Passive liveness: the mean of the members' live probabilities, compared with the threshold. Chosen and calibrated on simulated attacks; see docs/evaluation.md.",
            ["components"] = new JsonArray([.. members.Select(m => (JsonNode)new JsonObject { ["model"] = ModelIds[m], ["weight"] = 1.0 })]),
            ["threshold"] = Math.Round(threshold, 6),
            ["calibration"] = calibration,
        };
        File.WriteAllText(Path.Combine(folder, LivenessEnsemble.FileName), ensemble.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }
}
