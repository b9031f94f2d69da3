using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using Verify.Cli.Lfw;
using Verify.Evaluation;
using Verify.Inference.Faces;
using Verify.Inference.Models;
using Verify.Pipeline.Faces;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify benchmark`: latency of each stage of a face comparison (decode, detect, align, embed for both
/// images, then match) and single-process sequential throughput, for each intra-op thread count asked for.
/// </summary>
internal static class BenchmarkCommand
{
    private static readonly string[] Stages = [Stage.Decode, Stage.Detect, Stage.Align, Stage.Embed, Stage.Match];

    public static Command Create()
    {
        var pairs = new Option<FileInfo>("--pairs") { Description = "LFW pairs file naming the image pairs to compare.", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder with Name/Name_NNNN.jpg images.", Required = true };
        var count = new Option<int>("--count") { Description = "Comparisons to time per thread count.", DefaultValueFactory = _ => 200 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed comparisons first.", DefaultValueFactory = _ => 10 };
        var threads = CommonOptions.ThreadCounts();
        var matcher = CommonOptions.Matcher();
        var gpu = CommonOptions.Gpu();
        var command = new Command("benchmark", "Time each stage of face comparisons and the single-process throughput.")
        {
            pairs, images, count, warmup, threads, matcher, gpu,
        };
        command.SetAction(parse =>
        {
            string invocation = CommonOptions.Invocation(parse);
            return Run(parse.GetRequiredValue(pairs), parse.GetRequiredValue(images), parse.GetValue(count), parse.GetValue(warmup),
                parse.GetRequiredValue(threads), parse.GetValue(matcher), parse.GetValue(gpu), invocation,
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(FileInfo pairsFile, DirectoryInfo images, int count, int warmup, int[] threadCounts, string? matcher, bool gpu,
        string invocation, TextWriter output, TextWriter error)
    {
        if (!pairsFile.Exists || !images.Exists)
        {
            error.WriteLine("error: the pairs file or the image folder does not exist.");
            return ExitCodes.BadInput;
        }

        var inputs = PairsFile.Load(pairsFile.FullName).Pairs
            .Select(pair => (First: Path.Combine(images.FullName, pair.FirstImage), Second: Path.Combine(images.FullName, pair.SecondImage)))
            .Where(pair => File.Exists(pair.First) && File.Exists(pair.Second))
            .Take(warmup + count)
            .Select(pair => (First: File.ReadAllBytes(pair.First), Second: File.ReadAllBytes(pair.Second)))
            .ToArray();

        var text = new StringBuilder();
        text.AppendLine($"## Benchmark: {invocation}").AppendLine();
        text.AppendLine(MachineLine());
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Inputs: {inputs.Length - Math.Min(warmup, inputs.Length)} timed comparisons of the image pairs listed first in the pairs file, after {Math.Min(warmup, inputs.Length)} untimed; per comparison: two decodes, two detections, then align and embed per image, and one match.").AppendLine();

        var table = new MarkdownTable(
            [
                "threads", "provider", "matcher",
                .. Stages.Select(stage => $"{stage} p50 / p95 ms"),
                "face part p50 / p95 ms", "total p50 / p95 ms", "throughput (comparisons/s)",
            ]);
        try
        {
            foreach (int threads in threadCounts)
            {
                var overrides = CommonOptions.Overrides(matcher, threads: threads, gpu: gpu);
                // One comparison at a time has no other face to share a batch with: a batcher would only add its wait.
                overrides[$"{EmbeddingBatchingOptions.SectionName}:{nameof(EmbeddingBatchingOptions.Enabled)}"] = "false";
                using var services = CliServices.Build(overrides);
                var comparer = services.GetRequiredService<FaceComparer>();
                table.Row(Measure(comparer, inputs, warmup, threads, services.GetRequiredService<Verify.Inference.OnnxRuntime.OnnxSessionFactory>().Provider));
            }
        }
        catch (ModelUnavailableException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.ModelsUnavailable;
        }

        text.Append(table).AppendLine();
        text.AppendLine("Face part: detect + align + embed of both images, the work the 120 ms p50 target covers. Throughput: one process, one comparison at a time.");
        output.Write(text.ToString());
        return ExitCodes.Success;
    }

    private static string[] Measure(FaceComparer comparer, (byte[] First, byte[] Second)[] inputs, int warmup, int threads,
        Verify.Inference.OnnxRuntime.ExecutionProvider provider)
    {
        var perStage = Stages.ToDictionary(stage => stage, _ => new List<double>());
        var facePart = new List<double>();
        var totals = new List<double>();
        string matcherVersion = string.Empty;
        long timedStart = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (i == warmup)
            {
                timedStart = Stopwatch.GetTimestamp();
            }

            var result = comparer.Compare(inputs[i].First, inputs[i].Second);
            matcherVersion = result.MatcherVersion;
            if (i < warmup)
            {
                continue;
            }

            foreach (string stage in Stages)
            {
                perStage[stage].Add(result.TimingsMs.GetValueOrDefault(stage));
            }

            facePart.Add(result.TimingsMs.GetValueOrDefault(Stage.Detect) + result.TimingsMs.GetValueOrDefault(Stage.Align) + result.TimingsMs.GetValueOrDefault(Stage.Embed));
            totals.Add(result.TimingsMs.Values.Sum());
        }

        double seconds = Stopwatch.GetElapsedTime(timedStart).TotalSeconds;
        return
        [
            threads.ToString(CultureInfo.InvariantCulture), provider.ToString(), matcherVersion,
            .. Stages.Select(stage => PercentilePair(perStage[stage])),
            PercentilePair(facePart), PercentilePair(totals),
            (totals.Count / seconds).ToString("0.0", CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>The machine and runtime the figures were taken on, as one line.</summary>
    internal static string MachineLine() => string.Create(CultureInfo.InvariantCulture,
        $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}.");

    /// <summary>"p50 / p95" of a set of milliseconds.</summary>
    internal static string PercentilePair(IReadOnlyCollection<double> values)
    {
        var statistics = LatencyStatistics.From(values);
        return $"{LfwCommand.Ms(statistics.P50)} / {LfwCommand.Ms(statistics.P95)}";
    }
}
