using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Verify.Cli.Service;
using Verify.Evaluation;
using Verify.Synthetic;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify load`: a load benchmark against a running service. Submits generated documents with another photo of each
/// holder as the selfie, waits for every decision, and prints throughput and latency percentiles (submission accepted,
/// and submission to decision).
/// </summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var url = CommonOptions.ServiceUrl("The API's base URL (default http://127.0.0.1:5080).", new Uri("http://127.0.0.1:5080"));
        var key = new Option<string>("--key") { Description = "A client API key (verify keys create).", Required = true };
        var documents = new Option<DirectoryInfo>("--documents") { Description = "A folder written by 'verify samples generate'.", Required = true };
        var faces = new Option<DirectoryInfo?>("--faces") { Description = "The LFW images folder the documents' portraits came from (default ../shared/data/lfw/images)." };
        var count = new Option<int>("--count") { Description = "Submissions.", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Submissions in flight at once.", DefaultValueFactory = _ => 16 };
        var command = new Command("load", "Load benchmark: submit N verifications to a running service and report throughput and latency.")
        {
            url, key, documents, faces, count, concurrency,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var facesFolder = parse.GetValue(faces)?.FullName ?? Path.GetFullPath(Path.Combine("..", "shared", "data", "lfw", "images"));
            return await RunAsync(parse.GetValue(url)!, parse.GetRequiredValue(key), parse.GetRequiredValue(documents).FullName, facesFolder,
                parse.GetValue(count), Math.Max(1, parse.GetValue(concurrency)), parse.InvocationConfiguration.Output, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Uri url, string key, string folder, string faces, int count, int concurrency, TextWriter output, CancellationToken cancellationToken)
    {
        var manifest = JsonSerializer.Deserialize<SyntheticManifest>(File.ReadAllText(Path.Combine(folder, "manifest.json")), DocumentGroundTruth.JsonOptions)!;
        var cases = manifest.Items.Select(item =>
        {
            var truth = JsonSerializer.Deserialize<DocumentGroundTruth>(File.ReadAllText(Path.Combine(folder, item.GroundTruth)), DocumentGroundTruth.JsonOptions)!;
            string selfie = Directory.GetFiles(Path.Combine(faces, truth.Face.Person), "*.jpg").Order(StringComparer.Ordinal)
                .First(file => !file.EndsWith(Path.GetFileName(truth.Face.File), StringComparison.Ordinal));
            return (Images: item.Images.Select(image => Path.Combine(folder, image)).ToArray(), Selfie: selfie);
        }).ToArray();
        using var client = new VerificationServiceClient(url, key);
        var accepted = new ConcurrentBag<double>();
        var decided = new ConcurrentBag<double>();
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var run = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var (images, selfie) = cases[i % cases.Length];
            // The generator lists a card's front first and its back (with the MRZ) second.
            var submission = new SubmissionImages(await File.ReadAllBytesAsync(images[0], token),
                images.Length > 1 ? await File.ReadAllBytesAsync(images[1], token) : null, await File.ReadAllBytesAsync(selfie, token));
            var started = Stopwatch.GetTimestamp();
            var answer = await client.SubmitAsync(string.Create(CultureInfo.InvariantCulture, $"load-{i}"), "load-benchmark", submission, idempotencyKey: null, token);
            accepted.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (answer.VerificationId is not { } id)
            {
                outcomes.AddOrUpdate($"http_{answer.StatusCode}", 1, (_, n) => n + 1);
                return;
            }

            var decision = await client.WaitForDecisionAsync(id, within: null, token);
            decided.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            outcomes.AddOrUpdate(decision!.Status, 1, (_, n) => n + 1);
        });
        run.Stop();
        var acceptedStats = LatencyStatistics.From(accepted.ToArray());
        var decidedStats = LatencyStatistics.From(decided.ToArray());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submissions {count}, concurrency {concurrency}, wall {run.Elapsed.TotalSeconds:F1} s, throughput {decided.Count / run.Elapsed.TotalSeconds:F2} decisions/s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accepted (POST answered): p50 {acceptedStats.P50:F0} ms, p95 {acceptedStats.P95:F0} ms, max {acceptedStats.Max:F0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decided (POST to final status): p50 {decidedStats.P50:F0} ms, p95 {decidedStats.P95:F0} ms, max {decidedStats.Max:F0} ms"));
        output.WriteLine("outcomes: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
        return decided.Count == count ? ExitCodes.Success : ExitCodes.BadInput;
    }
}
