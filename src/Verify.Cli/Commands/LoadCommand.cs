using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Cli.EndToEnd;
using Verify.Cli.Load;
using Verify.Cli.Service;
using Verify.Data;
using Verify.Storage;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify load`: a load benchmark against a running service. For each number of submissions in flight, a short
/// warm-up and then --count submissions (generated end-to-end cases, or documents from a folder with another photo of
/// each holder as the selfie), each waited for until decided; prints throughput, latency percentiles (POST answered,
/// and submission to decision), the service's CPU seconds per decision (--pid), and checks that every submission was
/// decided exactly once (read again after the run; with --database or --sqlite, one command and one completion event
/// each in the outbox).
/// </summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var url = CommonOptions.ServiceUrl("The API's base URL (default http://127.0.0.1:5080).", new Uri("http://127.0.0.1:5080"));
        var key = new Option<string>("--key") { Description = "A client API key (verify keys create).", Required = true };
        var generate = new Option<bool>("--generate") { Description = "Submit generated end-to-end cases (evaluate-e2e's generator, in memory; see --seed, --mix)." };
        var documents = new Option<DirectoryInfo?>("--documents") { Description = "Or submit the documents of a folder written by 'verify samples generate' (with --faces: the LFW images their portraits came from)." };
        var cases = new EndToEndCaseOptionSet(
            "With --generate: the date (yyyy-MM-dd) the documents are valid on (default: today, UTC); the service decides on its own clock.",
            "With --generate: weights of the kinds as kind=weight pairs (default genuine=1: honest users only; evaluate-e2e's kinds, e.g. genuine=60,impostor=15).",
            EndToEndMix.Parse("genuine=1"), "passport,id_card");
        var count = new Option<int>("--count") { Description = "Submissions counted per run.", DefaultValueFactory = _ => 300 };
        var concurrency = new Option<int[]>("--concurrency")
        {
            Description = "Submissions in flight (sent and not yet decided) at once; one run per value, e.g. --concurrency 1 8 32.",
            DefaultValueFactory = _ => [1, 8, 32],
            AllowMultipleArgumentsPerToken = true,
        };
        var warmUp = new Option<int>("--warm-up") { Description = "Submissions sent and decided before each run, not counted.", DefaultValueFactory = _ => 4 };
        var database = new Option<string?>("--database") { Description = "The service's PostgreSQL connection string: count each verification's VerifyIdentity commands and VerificationCompleted events in the outbox (read only)." };
        var sqlite = new Option<FileInfo?>("--sqlite") { Description = "Or the embedded service's SQLite database file (DATA_DIR/verify.db), for the same count." };
        var pids = new Option<int[]>("--pid")
        {
            Description = "Processes whose CPU time (with their child processes) is the service's: the API, the workers, the database server; CPU seconds per decision are printed.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("load", "Load benchmark: submit verifications to a running service at several concurrencies, report throughput, latency and CPU per decision, and check each was decided exactly once.")
        {
            url, key, generate, documents, count, concurrency, warmUp, database, sqlite, pids,
        };
        cases.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            int[] inFlight = parse.GetValue(concurrency) ?? [];
            int counted = parse.GetValue(count), warm = parse.GetValue(warmUp);
            if (counted < 1 || warm < 0 || inFlight.Length == 0 || inFlight.Any(c => c < 1))
            {
                error.WriteLine("error: --count and every --concurrency value must be at least 1, --warm-up at least 0.");
                return ExitCodes.Usage;
            }

            var folder = parse.GetValue(documents);
            if (parse.GetValue(generate) == (folder is not null) || (parse.GetValue(database) is not null && parse.GetValue(sqlite) is not null))
            {
                error.WriteLine("error: give one of --generate and --documents, and at most one of --database and --sqlite.");
                return ExitCodes.Usage;
            }

            LoadCases source;
            string described;
            if (folder is null)
            {
                var (options, problem, exitCode) = cases.Build(parse, inFlight.Length * (warm + counted));
                if (options is null)
                {
                    error.WriteLine($"error: {problem}");
                    return exitCode;
                }

                source = new GeneratedLoadCases(options);
                described = string.Create(CultureInfo.InvariantCulture,
                    $"generated end-to-end cases (seed {options.Documents.Seed}, valid on {options.ValidOn:yyyy-MM-dd}, capture {options.Documents.Capture.Name}, selfies {options.SelfieSide} px framed {options.SelfieFraming:0.##}; {Mix(options.Mix)}), each document used once");
            }
            else
            {
                string faces = parse.GetValue(cases.Faces)?.FullName ?? SamplesCommand.DefaultFacesFolder();
                try
                {
                    source = new FolderLoadCases(folder.FullName, faces);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    error.WriteLine($"error: {exception.Message}");
                    return ExitCodes.BadInput;
                }

                described = $"the documents in {folder.FullName} with another photo of each holder from {faces}, from the start again when they run out";
            }

            if (parse.GetValue(sqlite) is { Exists: false } missing)
            {
                error.WriteLine($"error: {missing.FullName} does not exist.");
                return ExitCodes.BadInput;
            }

            await using var storage = Storage(parse.GetValue(database), parse.GetValue(sqlite));
            var settings = new LoadSettings(counted, warm, parse.GetValue(pids) ?? [], storage is null ? null : async (since, token) =>
            {
                await using var db = await storage.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContextAsync(token);
                return await OutboxTallies.ReadAsync(db, since, token);
            });
            output.WriteLine($"# {CommonOptions.Invocation(parse, "--key", "--database")}");
            output.WriteLine();
            output.WriteLine($"Service {parse.GetValue(url)}; cases: {described}.");
            output.WriteLine();
            using var client = new VerificationServiceClient(parse.GetValue(url)!, parse.GetRequiredValue(key));
            var runner = new LoadRunner(client, source, settings);
            var runs = new List<LoadRunFigures>();
            try
            {
                foreach (int value in inFlight)
                {
                    var run = await runner.RunAsync(value, cancellationToken);
                    runs.Add(run);
                    output.WriteLine(LoadReport.Run(run));
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidOperationException or DbException)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.BadInput;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error.WriteLine("error: the service did not answer a request in time.");
                return ExitCodes.BadInput;
            }

            output.WriteLine("### All runs");
            output.WriteLine();
            output.Write(LoadReport.Table(runs));
            bool passed = runs.All(run => run.ExactlyOnce.Passed);
            output.WriteLine();
            output.WriteLine(passed
                ? "Exactly once: every submission of every run was decided exactly once."
                : "Exactly once: FAILED (see the lines above).");
            return passed ? ExitCodes.Success : ExitCodes.LoadCheckFailed;
        });
        return command;
    }

    /// <summary>The service's database, for reading its outbox: PostgreSQL from a connection string, or an SQLite file; null when neither.</summary>
    private static ServiceProvider? Storage(string? connectionString, FileInfo? sqliteFile)
    {
        if (connectionString is null && sqliteFile is null)
        {
            return null;
        }

        var overrides = new Dictionary<string, string?>
        {
            [$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"] = connectionString is null ? nameof(DatabaseProvider.Sqlite) : nameof(DatabaseProvider.PostgreSql),
            [$"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}"] = connectionString ?? $"Data Source={sqliteFile!.FullName}",
        };
        return CliServices.BuildStorage(overrides, _ => { });
    }

    private static string Mix(EndToEndMix mix) =>
        string.Join(", ", mix.Shares.Where(share => share.Value > 0).Select(share => string.Create(CultureInfo.InvariantCulture, $"{share.Key.ToName()} {share.Value:P0}")));
}
