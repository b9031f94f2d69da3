using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Verify.Cli.Lfw;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Models;
using Verify.Inference.OnnxRuntime;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify benchmark-batch`: per-face embedding latency and throughput of one embedder at several batch sizes
/// (one model run per batch), on the configured execution provider, for each intra-op thread count asked for.
/// </summary>
internal static class BenchmarkBatchCommand
{
    private static readonly string[] Models = [DlibResNetEmbedder.Id, ArcFaceEmbedder.Id];

    public static Command Create()
    {
        var images = new Option<DirectoryInfo>("--images")
        {
            Description = "Folder of photos (searched recursively for .jpg); the first with a face are aligned and embedded.",
            Required = true,
        };
        var model = new Option<string>("--model")
        {
            Description = $"Embedder: {string.Join(", ", Models)}.",
            DefaultValueFactory = _ => DlibResNetEmbedder.Id,
        };
        model.AcceptOnlyFromAmong(Models);
        var batchSizes = new Option<int[]>("--batch-sizes")
        {
            Description = "Faces per model run to measure, e.g. --batch-sizes 1 2 4 8.",
            DefaultValueFactory = _ => [1, 2, 4, 8],
            AllowMultipleArgumentsPerToken = true,
        };
        var faces = new Option<int>("--faces") { Description = "Faces timed per batch size (rounded up to whole batches).", DefaultValueFactory = _ => 240 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first, per batch size.", DefaultValueFactory = _ => 3 };
        var threads = CommonOptions.ThreadCounts();
        var gpu = CommonOptions.Gpu();
        var command = new Command("benchmark-batch", "Time one embedder at several batch sizes: per-face latency and throughput.")
        {
            images, model, batchSizes, faces, warmup, threads, gpu,
        };
        command.SetAction(parse =>
        {
            string invocation = CommonOptions.Invocation(parse);
            return Run(parse.GetRequiredValue(images), parse.GetRequiredValue(model), parse.GetRequiredValue(batchSizes), parse.GetValue(faces),
                parse.GetValue(warmup), parse.GetRequiredValue(threads), parse.GetValue(gpu), invocation,
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(DirectoryInfo images, string modelId, int[] batchSizes, int faceCount, int warmup, int[] threadCounts, bool gpu,
        string invocation, TextWriter output, TextWriter error)
    {
        if (!images.Exists)
        {
            error.WriteLine("error: the image folder does not exist.");
            return ExitCodes.BadInput;
        }

        if (batchSizes.Length == 0 || batchSizes.Any(size => size < 1) || faceCount < 1 || warmup < 0)
        {
            error.WriteLine("error: batch sizes and --faces must be at least 1, --warmup at least 0.");
            return ExitCodes.Usage;
        }

        var text = new StringBuilder();
        text.AppendLine($"## Batched embedding: {invocation}").AppendLine();
        text.AppendLine(BenchmarkCommand.MachineLine());
        var table = new MarkdownTable("threads", "provider", "model", "batch", "run p50 / p95 ms", "per face ms (p50 run / batch)",
            "throughput (faces/s)", "throughput vs batch 1");
        var unrunnable = new SortedSet<int>();
        int distinctFaces = 0;
        try
        {
            foreach (int threads in threadCounts)
            {
                using var services = CliServices.Build(CommonOptions.Overrides(threads: threads, gpu: gpu));
                var embedder = modelId == ArcFaceEmbedder.Id
                    ? (OnnxFaceEmbedder)services.GetRequiredService<ArcFaceEmbedder>()
                    : services.GetRequiredService<DlibResNetEmbedder>();
                var provider = services.GetRequiredService<OnnxSessionFactory>().Provider;
                using var aligned = AlignedFaces.Load(images, services.GetRequiredService<ImageDecoder>(),
                    services.GetRequiredService<IFaceDetector>(), embedder.Template, batchSizes.Max());
                if (aligned.Count == 0)
                {
                    error.WriteLine("error: no face was found in the photos of the image folder.");
                    return ExitCodes.BadInput;
                }

                var runnable = batchSizes.Distinct().Order().Where(size => size == 1 || embedder.AcceptsBatch).ToArray();
                unrunnable.UnionWith(batchSizes.Except(runnable));
                var runs = Measure(embedder, aligned, runnable, faceCount, warmup);
                double? single = null;
                foreach (int size in runnable)
                {
                    // Throughput from the summed run times: the sizes take turns, so wall time covers all of them.
                    double facesPerSecond = runs[size].Count * size / (runs[size].Sum() / 1000);
                    single ??= size == 1 ? facesPerSecond : null;
                    var statistics = Verify.Evaluation.LatencyStatistics.From(runs[size]);
                    table.Row(threads.ToString(CultureInfo.InvariantCulture), provider.ToString(), embedder.ModelVersion,
                        size.ToString(CultureInfo.InvariantCulture), BenchmarkCommand.PercentilePair(runs[size]), LfwCommand.Ms(statistics.P50 / size),
                        facesPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                        single is { } baseline ? (facesPerSecond / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-");
                }

                distinctFaces = aligned.Count;
            }
        }
        catch (ModelUnavailableException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.ModelsUnavailable;
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"Inputs: {distinctFaces} distinct aligned faces, repeated to fill the larger batches; at least {faceCount} faces timed per batch size, the sizes taking turns, after {warmup} untimed runs each.");
        text.AppendLine().Append(table).AppendLine();
        if (unrunnable.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{modelId} has a fixed batch of 1 in its graph (as its session reads it): batches of {string.Join(", ", unrunnable)} cannot run.");
        }

        text.AppendLine("One model run per batch, one run at a time; per face = run time / batch size. Decode, detection and alignment are not timed.");
        output.Write(text.ToString());
        return ExitCodes.Success;
    }

    /// <summary>
    /// Run times in ms per batch size. The sizes take turns, each turn embedding about as many faces as the largest
    /// batch holds, so that load from outside (a shared machine) falls on every size alike.
    /// </summary>
    private static Dictionary<int, List<double>> Measure(OnnxFaceEmbedder embedder, IReadOnlyList<RgbImage> faces, int[] sizes, int faceCount,
        int warmup)
    {
        var batches = sizes.ToDictionary(size => size, size => Enumerable.Range(0, size).Select(i => faces[i % faces.Count]).ToArray());
        foreach (var batch in batches.Values)
        {
            for (int i = 0; i < warmup; i++)
            {
                embedder.EmbedBatch(batch);
            }
        }

        int largest = sizes.Max();
        var times = sizes.ToDictionary(size => size, _ => new List<double>());
        for (int turn = 0; turn < (faceCount + largest - 1) / largest; turn++)
        {
            foreach (int size in sizes)
            {
                for (int run = 0; run < (largest + size - 1) / size; run++)
                {
                    long started = Stopwatch.GetTimestamp();
                    embedder.EmbedBatch(batches[size]);
                    times[size].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }

        return times;
    }

    /// <summary>The primary faces of the first photos that have one, aligned to an embedder's template.</summary>
    internal sealed class AlignedFaces : List<RgbImage>, IDisposable
    {
        public static AlignedFaces Load(DirectoryInfo folder, ImageDecoder decoder, IFaceDetector detector, AlignmentTemplate template, int count)
        {
            var aligned = new AlignedFaces();
            foreach (var file in folder.EnumerateFiles("*.jpg", SearchOption.AllDirectories).OrderBy(file => file.FullName, StringComparer.Ordinal))
            {
                if (aligned.Count == count)
                {
                    break;
                }

                RgbImage image;
                try
                {
                    image = decoder.Decode(File.ReadAllBytes(file.FullName));
                }
                catch (ImageDecodeException)
                {
                    continue;
                }

                using var decoded = image;
                var faces = detector.Detect(image);
                int primary = PrimaryFace.Select(faces, image.Width, image.Height);
                if (primary >= 0)
                {
                    aligned.Add(FaceAligner.Align(image, faces[primary].Landmarks, template));
                }
            }

            return aligned;
        }

        public void Dispose() => ForEach(face => face.Dispose());
    }
}
