using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Verify.Cli.Lfw;
using Verify.Evaluation;
using Verify.Pipeline.Duplicates;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify benchmark-search`: the 1:N duplicate search on its own. Fills a <see cref="TemplateIndex"/> with random unit
/// vectors (one client, one subject per template, as the worst case for a search: every row is scanned), then times
/// searches of random probes and reports their latency and the memory the index took.
/// </summary>
internal static class BenchmarkSearchCommand
{
    /// <summary>A cosine no two random 512-value unit vectors reach, so that timing is of the scan and not of sorting matches.</summary>
    private const double Threshold = 0.5;

    public static Command Create()
    {
        var templates = new Option<int>("--templates") { Description = "Templates in the index.", DefaultValueFactory = _ => 100_000 };
        var dimension = new Option<int>("--dim") { Description = "Values per embedding (fr-feature: 512).", DefaultValueFactory = _ => 512 };
        var queries = new Option<int>("--queries") { Description = "Searches timed, after 20 untimed.", DefaultValueFactory = _ => 500 };
        var threads = new Option<int[]>("--threads")
        {
            Description = "Threads one search may use, each measured, e.g. --threads 1 2.",
            DefaultValueFactory = _ => [1, Environment.ProcessorCount],
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the random vectors.", DefaultValueFactory = _ => 1 };
        var command = new Command("benchmark-search", "Time the 1:N duplicate search over random templates and measure the index's memory.")
        {
            templates, dimension, queries, threads, seed,
        };
        command.SetAction(parse =>
        {
            int count = parse.GetValue(templates), dim = parse.GetValue(dimension), searches = parse.GetValue(queries);
            int[] threadCounts = parse.GetRequiredValue(threads);
            if (count < 1 || dim < 1 || searches < 1 || threadCounts.Length == 0 || threadCounts.Any(t => t < 1))
            {
                parse.InvocationConfiguration.Error.WriteLine("error: --templates, --dim, --queries and --threads must be at least 1.");
                return ExitCodes.Usage;
            }

            parse.InvocationConfiguration.Output.Write(Run(count, dim, searches, threadCounts.Distinct().ToArray(), parse.GetValue(seed), CommonOptions.Invocation(parse)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Run(int count, int dimension, int queries, int[] threadCounts, int seed, string invocation)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## 1:N search: {invocation}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Index: {count:N0} random unit vectors of {dimension} values, one client, one subject each; {queries} random probes timed after 20 untimed; threshold {Threshold}.").AppendLine();
        var table = new MarkdownTable("templates", "threads per search", "p50 ms", "p95 ms", "p99 ms", "mean ms", "bytes per template", "MiB per 100,000");
        foreach (int threads in threadCounts)
        {
            var random = new Random(seed);
            long before = Allocated();
            using var index = new TemplateIndex(threads);
            var vector = new float[dimension];
            var expiry = DateTime.MaxValue;
            for (int i = 0; i < count; i++)
            {
                Fill(vector, random);
                index.Add(new IndexedTemplate(Guid.NewGuid(), "client", string.Create(CultureInfo.InvariantCulture, $"subject-{i}"), "model", "model@1", expiry), vector);
            }

            double perTemplate = (double)(Allocated() - before) / count;
            var probes = Enumerable.Range(0, queries + 20).Select(_ =>
            {
                var probe = new float[dimension];
                Fill(probe, random);
                return probe;
            }).ToArray();
            var now = DateTime.UnixEpoch;
            var milliseconds = new List<double>(queries);
            for (int q = 0; q < probes.Length; q++)
            {
                long started = Stopwatch.GetTimestamp();
                index.Search("model", "model@1", "client", "nobody", probes[q], Threshold, now);
                if (q >= 20)
                {
                    milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            var statistics = LatencyStatistics.From(milliseconds);
            table.Row(count.ToString("N0", CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture),
                LfwCommand.Ms(statistics.P50), LfwCommand.Ms(statistics.P95), LfwCommand.Ms(statistics.P99), LfwCommand.Ms(statistics.Mean),
                perTemplate.ToString("N0", CultureInfo.InvariantCulture),
                (perTemplate * 100_000 / (1024 * 1024)).ToString("N1", CultureInfo.InvariantCulture));
        }

        text.Append(table);
        text.AppendLine().AppendLine("Memory: managed bytes allocated and still live after filling the index (vectors, ids, subject strings, lookups), divided by the templates.");
        return text.ToString();
    }

    /// <summary>Live managed bytes after a full, compacting collection.</summary>
    private static long Allocated()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A random direction: Gaussian values (Box-Muller), so that the unit vectors are spread evenly over the sphere.</summary>
    private static void Fill(float[] vector, Random random)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            double u = 1 - random.NextDouble(), v = random.NextDouble();
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }
    }
}
