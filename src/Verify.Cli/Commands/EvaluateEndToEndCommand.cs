using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Verify.Cli.EndToEnd;
using Verify.Cli.Service;
using Verify.Evaluation;
using Verify.Inference.Models;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify evaluate-e2e`: the decision a user sees. Generates submissions (document photo plus selfie) of known kind
/// (genuine, impostor, print and screen spoofs, unreadable or incomplete documents, unusable selfies), runs each
/// through the service's own stages in-process, or submits it to a running service with --url, and reports per kind
/// and overall: verified, rejected and sent to review with their reasons, the genuine pass rate, false accepts, the
/// review rates and the time to decision.
/// </summary>
internal static class EvaluateEndToEndCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Cases to generate and decide.", DefaultValueFactory = _ => 300 };
        var cases = new EndToEndCaseOptionSet(
            "Date (yyyy-MM-dd) the documents are valid on and the in-process pipeline decides on (default: today, UTC). A service decides on its own clock.",
            "Weights of the kinds as kind=weight pairs, e.g. print_spoof=1,screen_spoof=1 (default genuine=55,impostor=15 and 5 of each other kind).",
            EndToEndMix.Default, "passport,id_card,licence,chip");
        var trustStore = new Option<DirectoryInfo?>("--chip-trust-store")
        {
            Description = "With --url: write the run's test CSCA (which signs its chips) into this folder, for the service's Documents__Chip__TrustStore.",
        };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown report to this file." };
        var url = CommonOptions.ServiceUrl("Submit to the service at this base URL instead of running the stages in-process (needs --key).");
        var key = new Option<string?>("--key") { Description = "A client API key for --url (verify keys create)." };
        var concurrency = new Option<int>("--concurrency") { Description = "With --url: submissions in flight at once.", DefaultValueFactory = _ => 1 };
        var threads = CommonOptions.Threads();
        var gpu = CommonOptions.Gpu();
        var command = new Command("evaluate-e2e",
            "Measure the end-to-end decision on generated submissions: genuine pass rate, false accepts, review rate and reasons, time to decision.")
        {
            count, report, url, key, concurrency, threads, gpu, trustStore,
        };
        cases.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var service = parse.GetValue(url);
            string? apiKey = parse.GetValue(key);
            if (parse.GetValue(count) < 1 || parse.GetValue(concurrency) < 1)
            {
                error.WriteLine("error: --count and --concurrency must be at least 1.");
                return ExitCodes.Usage;
            }

            if ((service is null) != (apiKey is null))
            {
                error.WriteLine("error: --url and --key go together: both to submit to a running service, neither to run in-process.");
                return ExitCodes.Usage;
            }

            var (options, problem, exitCode) = cases.Build(parse, parse.GetValue(count));
            if (options is null)
            {
                error.WriteLine($"error: {problem}");
                return exitCode;
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            var started = Stopwatch.StartNew();
            IReadOnlyList<EndToEndCaseResult> results;
            string mode, timeToDecision;
            try
            {
                using var generator = new EndToEndCaseGenerator(options);
                if (service is null)
                {
                    results = InProcessCases.Decide(generator, CommonOptions.Overrides(threads: parse.GetValue(threads), gpu: parse.GetValue(gpu)), console, cancellationToken);
                    mode = "in-process by the service's stages (VerificationStages)";
                    timeToDecision = "the stage run of each case, one case at a time, after one untimed warm-up run";
                }
                else
                {
                    if (parse.GetValue(trustStore) is { } folder)
                    {
                        folder.Create();
                        generator.ChipIssuer.WriteTrustStore(folder.FullName);
                    }

                    int inFlight = parse.GetValue(concurrency);
                    results = await ServiceCases.DecideAsync(generator, service, apiKey!, inFlight, console, cancellationToken);
                    mode = $"by the service at {service} ({inFlight} submission{(inFlight == 1 ? "" : "s")} in flight)";
                    timeToDecision = $"from sending the submission to reading its final status (polled every {VerificationServiceClient.PollInterval.TotalMilliseconds:0} ms)";
                    if (results.All(r => r.Decision.Outcome == CaseOutcome.NoDecision))
                    {
                        error.WriteLine($"error: no submission was decided ({string.Join(", ", results.SelectMany(r => r.Decision.Reasons).Distinct(StringComparer.Ordinal))}); check --url and --key.");
                        return ExitCodes.BadInput;
                    }
                }
            }
            catch (ModelUnavailableException exception)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.ModelsUnavailable;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException or HttpRequestException)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.BadInput;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error.WriteLine("error: the service did not answer a request in time.");
                return ExitCodes.BadInput;
            }

            string text = EndToEndReport.Write(new EndToEndRun(CommonOptions.Invocation(parse, "--key"), options, mode, timeToDecision, started.Elapsed), results);
            parse.InvocationConfiguration.Output.Write(text);
            if (parse.GetValue(report) is { } file)
            {
                File.WriteAllText(file.FullName, text);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
