using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Cli.Lfw;
using Verify.Evaluation;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Models;
using Verify.Inference.OnnxRuntime;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify benchmark-batcher`: the cross-verification batcher as the service configures it, under N concurrent callers
/// that each embed one face at a time (verifications arriving under load): faces/s, the runs by padded size with their
/// fill, and per-face latency. With --detect-streams, YuNet detection throughput with that many sessions side by side.
/// </summary>
internal static class BenchmarkBatcherCommand
{
    public static Command Create()
    {
        var images = new Option<DirectoryInfo>("--images")
        {
            Description = "Folder of photos (searched recursively for .jpg); the first with a face are aligned once, then embedded over and over.",
            Required = true,
        };
        var callers = new Option<int[]>("--callers")
        {
            Description = "Concurrent callers to measure in turn, e.g. --callers 1 8 32 64.",
            DefaultValueFactory = _ => [1, 8, 32],
            AllowMultipleArgumentsPerToken = true,
        };
        var faces = new Option<int>("--faces") { Description = "Faces embedded per caller count.", DefaultValueFactory = _ => 256 };
        var bucketSizes = new Option<int[]>("--bucket-sizes")
        {
            Description = "Run sizes batches are padded to (Inference:Batching:BucketSizes; default: configuration, else 1 8 32 64 on CUDA, none on the CPU).",
            AllowMultipleArgumentsPerToken = true,
        };
        var maxBatchSize = new Option<int?>("--max-batch-size") { Description = "Most faces in one run (default: configuration, else 64)." };
        var maxDelay = new Option<double?>("--max-delay-ms") { Description = "Longest a face waits for others (default: configuration, else 2 ms)." };
        var detectStreams = new Option<int[]>("--detect-streams")
        {
            Description = "Also time YuNet detection with this many sessions side by side, one thread each, e.g. --detect-streams 1 4 8.",
            AllowMultipleArgumentsPerToken = true,
        };
        var detectImages = new Option<int>("--detect-images") { Description = "Images detected per session count.", DefaultValueFactory = _ => 256 };
        var threads = CommonOptions.Threads();
        var gpu = CommonOptions.Gpu();
        var command = new Command("benchmark-batcher",
            "Drive the embedding batcher with concurrent one-face callers: faces/s, runs by padded size, per-face latency; optionally detection throughput.")
        {
            images, callers, faces, bucketSizes, maxBatchSize, maxDelay, detectStreams, detectImages, threads, gpu,
        };
        command.SetAction(parse =>
        {
            var overrides = CommonOptions.Overrides(threads: parse.GetValue(threads), gpu: parse.GetValue(gpu));
            string section = EmbeddingBatchingOptions.SectionName;
            overrides[$"{section}:{nameof(EmbeddingBatchingOptions.Enabled)}"] = "true";
            overrides[$"{section}:{nameof(EmbeddingBatchingOptions.MaxBatchSize)}"] = parse.GetValue(maxBatchSize)?.ToString(CultureInfo.InvariantCulture);
            overrides[$"{section}:{nameof(EmbeddingBatchingOptions.MaxDelay)}"] =
                parse.GetValue(maxDelay) is { } delay ? TimeSpan.FromMilliseconds(delay).ToString("c", CultureInfo.InvariantCulture) : null;
            int[] buckets = parse.GetValue(bucketSizes) ?? [];
            for (int i = 0; i < buckets.Length; i++)
            {
                overrides[$"{section}:{nameof(EmbeddingBatchingOptions.BucketSizes)}:{i}"] = buckets[i].ToString(CultureInfo.InvariantCulture);
            }

            return Run(parse.GetRequiredValue(images), parse.GetRequiredValue(callers), parse.GetValue(faces), parse.GetValue(detectStreams) ?? [],
                parse.GetValue(detectImages), overrides, CommonOptions.Invocation(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(DirectoryInfo images, int[] callerCounts, int faceCount, int[] detectStreams, int detectImages, Dictionary<string, string?> overrides,
        string invocation, TextWriter output, TextWriter error)
    {
        if (!images.Exists)
        {
            error.WriteLine("error: the image folder does not exist.");
            return ExitCodes.BadInput;
        }

        if (callerCounts.Length == 0 || callerCounts.Any(count => count < 1) || faceCount < 1 || detectImages < 1 || detectStreams.Any(count => count < 1))
        {
            error.WriteLine("error: --callers, --faces, --detect-streams and --detect-images must be at least 1.");
            return ExitCodes.Usage;
        }

        var text = new StringBuilder();
        text.AppendLine($"## Batcher under concurrent callers: {invocation}").AppendLine();
        text.AppendLine(BenchmarkCommand.MachineLine());
        try
        {
            using var services = CliServices.Build(overrides);
            var provider = services.GetRequiredService<OnnxSessionFactory>().Provider;
            var embedder = services.GetRequiredService<DlibResNetEmbedder>();
            using var aligned = BenchmarkBatchCommand.AlignedFaces.Load(images, services.GetRequiredService<ImageDecoder>(),
                services.GetRequiredService<IFaceDetector>(), embedder.Template, 64);
            if (aligned.Count == 0)
            {
                error.WriteLine("error: no face was found in the photos of the image folder.");
                return ExitCodes.BadInput;
            }

            var runs = new ConcurrentQueue<(int Faces, int RunSize)>();
            using var recorded = new RecordingEmbedder(embedder, runs, owned: false);
            var options = services.GetRequiredService<IOptions<EmbeddingBatchingOptions>>().Value;
            using var batching = new EmbeddingBatching(options, provider,
                services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EmbeddingBatching>>());
            if (batching.For(recorded) is not FaceEmbeddingBatcher batcher)
            {
                error.WriteLine($"error: {embedder.ModelId} is not batched with this configuration.");
                return ExitCodes.Usage;
            }

            long warmStarted = Stopwatch.GetTimestamp();
            embedder.Embed(aligned[0]);
            batcher.WarmUp(aligned[0]);
            double warmMs = Stopwatch.GetElapsedTime(warmStarted).TotalMilliseconds;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Model {embedder.ModelVersion} on {provider}; largest batch {batcher.MaxBatchSize}, wait at most {options.MaxDelay.TotalMilliseconds:0.##} ms; runs padded to {(batcher.RunSizes.Count == 0 ? "none (as many as wait)" : string.Join(", ", batcher.RunSizes))}; warm-up {warmMs:0} ms. {aligned.Count} distinct aligned faces, {faceCount} embedded per caller count, each caller one face at a time.");
            var table = new MarkdownTable("callers", "faces/s", "per face p50 / p95 ms", "runs", "faces per run (mean)", "runs by padded size: count (mean faces)");
            foreach (int callers in callerCounts)
            {
                runs.Clear();
                var (wallSeconds, latencies) = Drive(callers, faceCount, _ => index => batcher.Embed(aligned[index % aligned.Count]));
                var statistics = LatencyStatistics.From(latencies);
                var snapshot = runs.ToArray();
                string bySize = string.Join(", ", snapshot.GroupBy(run => run.RunSize).OrderBy(group => group.Key)
                    .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key}: {group.Count()} ({group.Average(run => run.Faces):0.0})")));
                table.Row(callers.ToString(CultureInfo.InvariantCulture), (faceCount / wallSeconds).ToString("0.0", CultureInfo.InvariantCulture),
                    $"{LfwCommand.Ms(statistics.P50)} / {LfwCommand.Ms(statistics.P95)}", snapshot.Length.ToString(CultureInfo.InvariantCulture),
                    snapshot.Average(run => run.Faces).ToString("0.0", CultureInfo.InvariantCulture), bySize);
            }

            text.AppendLine().Append(table).AppendLine();
            text.AppendLine("faces/s = faces / wall time of the whole caller count; latency = one caller's Embed call (queue wait + run). Decode, detection and alignment are not timed.");
            if (detectStreams.Length > 0)
            {
                text.AppendLine().Append(MeasureDetection(services, images, detectStreams, detectImages));
            }
        }
        catch (ModelUnavailableException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.ModelsUnavailable;
        }

        output.Write(text.ToString());
        return ExitCodes.Success;
    }

    /// <summary>
    /// Callers on threads of their own, each doing one item at a time (<paramref name="work"/> of the caller's index gives
    /// what it does with an item number) until <paramref name="count"/> items are done; the wall time and each item's time.
    /// </summary>
    private static (double WallSeconds, double[] Latencies) Drive(int callers, int count, Func<int, Action<int>> work)
    {
        int next = -1;
        var latencies = new ConcurrentBag<double>();
        var threads = Enumerable.Range(0, callers).Select(caller =>
        {
            var item = work(caller);
            return new Thread(() =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    long started = Stopwatch.GetTimestamp();
                    item(index);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }) { IsBackground = true };
        }).ToArray();
        long wall = Stopwatch.GetTimestamp();
        Array.ForEach(threads, thread => thread.Start());
        Array.ForEach(threads, thread => thread.Join());
        return (Stopwatch.GetElapsedTime(wall).TotalSeconds, [.. latencies]);
    }

    /// <summary>Images/s of YuNet with several sessions side by side (its graph takes one image per run), one thread per session.</summary>
    private static string MeasureDetection(ServiceProvider services, DirectoryInfo folder, int[] streamCounts, int imageCount)
    {
        var decoder = services.GetRequiredService<ImageDecoder>();
        var photos = new List<RgbImage>();
        try
        {
            foreach (var file in folder.EnumerateFiles("*.jpg", SearchOption.AllDirectories).OrderBy(file => file.FullName, StringComparer.Ordinal).Take(32))
            {
                photos.Add(decoder.Decode(File.ReadAllBytes(file.FullName)));
            }

            var table = new MarkdownTable("sessions", "images/s", "per image p50 / p95 ms");
            foreach (int streams in streamCounts)
            {
                var detectors = Enumerable.Range(0, streams).Select(_ => ActivatorUtilities.CreateInstance<YuNetFaceDetector>(services)).ToArray();
                try
                {
                    foreach (var detector in detectors)
                    {
                        detector.Detect(photos[0]);
                    }

                    var (seconds, latencies) = Drive(streams, imageCount, stream => index => detectors[stream].Detect(photos[index % photos.Count]));
                    var statistics = LatencyStatistics.From(latencies);
                    table.Row(streams.ToString(CultureInfo.InvariantCulture), (imageCount / seconds).ToString("0.0", CultureInfo.InvariantCulture),
                        $"{LfwCommand.Ms(statistics.P50)} / {LfwCommand.Ms(statistics.P95)}");
                }
                finally
                {
                    Array.ForEach(detectors, detector => detector.Dispose());
                }
            }

            return $"### Detection (YuNet, one image per run), {imageCount} images per session count, {photos.Count} distinct photos decoded beforehand\n\n{table}\n";
        }
        finally
        {
            photos.ForEach(photo => photo.Dispose());
        }
    }

    /// <summary>Passes every call to an embedder and notes each run's faces and padded size.</summary>
    private sealed class RecordingEmbedder(IBatchFaceEmbedder inner, ConcurrentQueue<(int Faces, int RunSize)> runs, bool owned) : IBatchFaceEmbedder
    {
        public string ModelId => inner.ModelId;

        public string ModelVersion => inner.ModelVersion;

        public AlignmentTemplate Template => inner.Template;

        public bool AcceptsBatch => inner.AcceptsBatch;

        public FaceEmbedding Embed(RgbImage alignedFace, CancellationToken cancellationToken = default) => EmbedPadded([alignedFace], 1, cancellationToken)[0];

        public IReadOnlyList<FaceEmbedding> EmbedBatch(IReadOnlyList<RgbImage> alignedFaces, CancellationToken cancellationToken = default) =>
            EmbedPadded(alignedFaces, alignedFaces.Count, cancellationToken);

        public IReadOnlyList<FaceEmbedding> EmbedPadded(IReadOnlyList<RgbImage> alignedFaces, int runSize, CancellationToken cancellationToken = default)
        {
            var embeddings = inner.EmbedPadded(alignedFaces, runSize, cancellationToken);
            runs.Enqueue((alignedFaces.Count, runSize));
            return embeddings;
        }

        public IBatchFaceEmbedder OpenSession() => new RecordingEmbedder(inner.OpenSession(), runs, owned: true);

        public void Dispose()
        {
            if (owned)
            {
                inner.Dispose();
            }
        }
    }
}
