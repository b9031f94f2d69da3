using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Verify.Cli.EndToEnd;
using Verify.Cli.Service;
using Verify.Data.Entities;
using Verify.Evaluation;
using Verify.Inference.Models;
using Verify.Pipeline.Verification;
using Verify.Synthetic;
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
    private const string PolicyVersion = "e2e-evaluation";

    /// <summary>A case still undecided this long after its submission counts as no decision (decision_timeout).</summary>
    private static readonly TimeSpan DecisionWait = TimeSpan.FromMinutes(5);

    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Cases to generate and decide.", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed, date and options give the same cases.", DefaultValueFactory = _ => 1 };
        var capture = new Option<string>("--capture") { Description = "Capture effects on the document photos: mild or strong.", DefaultValueFactory = _ => "mild" };
        capture.AcceptOnlyFromAmong("mild", "strong");
        var validOn = new Option<DateOnly?>("--valid-on")
        {
            Description = "Date (yyyy-MM-dd) the documents are valid on and the in-process pipeline decides on (default: today, UTC). A service decides on its own clock.",
        };
        var faces = new Option<DirectoryInfo?>("--faces") { Description = "LFW-layout faces folder (Person/Person_NNNN.jpg); default ../shared/data/lfw/images." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown report to this file." };
        var url = CommonOptions.ServiceUrl("Submit to the service at this base URL instead of running the stages in-process (needs --key).");
        var key = new Option<string?>("--key") { Description = "A client API key for --url (verify keys create)." };
        var selfieSide = new Option<int>("--selfie-side")
        {
            Description = "Long side in pixels the 250-pixel LFW photo is enlarged to before the selfie camera (250: not enlarged).",
            DefaultValueFactory = _ => 640,
        };
        var mix = new Option<string?>("--mix")
        {
            Description = "Weights of the kinds as kind=weight pairs, e.g. print_spoof=1,screen_spoof=1 (default genuine=60,impostor=15 and 5 of each other kind).",
        };
        var numbers = CommonOptions.DocumentNumbers("production");
        var framing = new Option<double>("--selfie-framing")
        {
            Description = "The share of the face photo's width and height kept around its centre before enlarging (a selfie is framed on its subject); 1 keeps it whole.",
            DefaultValueFactory = _ => 0.68,
        };
        var concurrency = new Option<int>("--concurrency") { Description = "With --url: submissions in flight at once.", DefaultValueFactory = _ => 1 };
        var threads = CommonOptions.Threads();
        var gpu = CommonOptions.Gpu();
        var command = new Command("evaluate-e2e",
            "Measure the end-to-end decision on generated submissions: genuine pass rate, false accepts, review rate and reasons, time to decision.")
        {
            count, seed, capture, numbers, validOn, framing, faces, report, selfieSide, mix, url, key, concurrency, threads, gpu,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var service = parse.GetValue(url);
            string? apiKey = parse.GetValue(key);
            if (parse.GetValue(count) < 1 || parse.GetValue(concurrency) < 1 || parse.GetValue(selfieSide) is < 64 or > 4096 || parse.GetValue(framing) is < 0.2 or > 1)
            {
                error.WriteLine("error: --count and --concurrency must be at least 1, --selfie-side 64 to 4096 and --selfie-framing 0.2 to 1.");
                return ExitCodes.Usage;
            }

            if ((service is null) != (apiKey is null))
            {
                error.WriteLine("error: --url and --key go together: both to submit to a running service, neither to run in-process.");
                return ExitCodes.Usage;
            }

            EndToEndMix kinds;
            try
            {
                kinds = parse.GetValue(mix) is { } weights ? EndToEndMix.Parse(weights) : EndToEndMix.Default;
            }
            catch (FormatException exception)
            {
                error.WriteLine($"error: --mix: {exception.Message}");
                return ExitCodes.Usage;
            }

            string facesFolder = parse.GetValue(faces)?.FullName ?? SamplesCommand.DefaultFacesFolder();
            if (!Directory.Exists(facesFolder))
            {
                error.WriteLine($"error: {facesFolder} does not exist; pass --faces.");
                return ExitCodes.BadInput;
            }

            var options = new EndToEndCaseOptions
            {
                Documents = new SyntheticGeneratorOptions
                {
                    FacesFolder = facesFolder,
                    Capture = CaptureEffects.Preset(parse.GetRequiredValue(capture))!,
                    Numbers = CommonOptions.NumberStyle(parse.GetRequiredValue(numbers)),
                    Seed = parse.GetValue(seed),
                },
                ValidOn = parse.GetValue(validOn) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime),
                Count = parse.GetValue(count),
                SelfieSide = parse.GetValue(selfieSide),
                SelfieFraming = parse.GetValue(framing),
                Mix = kinds,
            };
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            var started = Stopwatch.StartNew();
            IReadOnlyList<EndToEndCaseResult> results;
            string mode, timeToDecision;
            try
            {
                using var generator = new EndToEndCaseGenerator(options);
                if (service is null)
                {
                    results = RunInProcess(generator, CommonOptions.Overrides(threads: parse.GetValue(threads), gpu: parse.GetValue(gpu)), console, cancellationToken);
                    mode = "in-process by the service's stages (VerificationStages)";
                    timeToDecision = "the stage run of each case, one case at a time, after one untimed warm-up run";
                }
                else
                {
                    int inFlight = parse.GetValue(concurrency);
                    results = await RunAgainstServiceAsync(generator, service, apiKey!, inFlight, console, cancellationToken);
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

    /// <summary>Each case through <see cref="VerificationStages"/>, one at a time, on a pipeline whose clock stands at the cases' date.</summary>
    private static List<EndToEndCaseResult> RunInProcess(EndToEndCaseGenerator generator, Dictionary<string, string?> overrides, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        // Noon UTC of the date the documents are valid on, so the pipeline's "today" is that date wherever it runs.
        var clock = new StoppedClock(new DateTimeOffset(generator.Options.ValidOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        using var services = CliServices.Build(overrides, clock);
        var stages = services.GetRequiredService<VerificationStages>();
        var results = new List<EndToEndCaseResult>();
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("deciding cases", maxValue: generator.Kinds.Count);
                for (int index = 0; index < generator.Kinds.Count; index++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var submitted = generator.Generate(index);
                    if (index == 0)
                    {
                        // Opens the models and OCR engines, which the first case would otherwise be timed with.
                        Run(stages, submitted, cancellationToken);
                    }

                    long started = Stopwatch.GetTimestamp();
                    var run = Run(stages, submitted, cancellationToken);
                    double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var outcome = run.Decision.State switch
                    {
                        VerificationState.Verified => CaseOutcome.Verified,
                        VerificationState.Rejected => CaseOutcome.Rejected,
                        _ => CaseOutcome.NeedsReview,
                    };
                    results.Add(new EndToEndCaseResult(submitted.Kind, submitted.DocumentFormat, submitted.Variant,
                        new CaseDecision(submitted.Kind.ToName(), submitted.Expected, submitted.Kind.IsAttack(), outcome, run.Decision.Reasons, milliseconds),
                        run.Result.FaceMatchScore, run.Result.FaceMatchThreshold, run.Result.LivenessScore, run.Result.LivenessThreshold,
                        run.Result.SelfieQuality?.FaceSizePixels, run.Result.TimingsMs));
                    task.Increment(1);
                }
            });
        return results;
    }

    private static StageRun Run(VerificationStages stages, EndToEndCase submitted, CancellationToken cancellationToken) =>
        stages.Run(submitted.DocumentFront, submitted.DocumentBack, [submitted.Selfie], livenessChallenge: null, cancellationToken);

    /// <summary>Each case submitted to the service and waited for; cases are generated on one thread while others are in flight.</summary>
    private static async Task<IReadOnlyList<EndToEndCaseResult>> RunAgainstServiceAsync(EndToEndCaseGenerator generator, Uri service, string key,
        int concurrency, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var client = new VerificationServiceClient(service, key);
        // Part of every idempotency key, so that a second run of the same seed is not answered with the first run's verifications.
        string runId = Guid.NewGuid().ToString("N");
        var results = new EndToEndCaseResult?[generator.Kinds.Count];
        var cases = Channel.CreateBounded<EndToEndCase>(concurrency);
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("deciding cases", maxValue: generator.Kinds.Count);
                // Stops the generating thread when a submission fails, before the generator is disposed under it.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var producer = Task.Run(async () =>
                {
                    try
                    {
                        for (int index = 0; index < generator.Kinds.Count; index++)
                        {
                            await cases.Writer.WriteAsync(generator.Generate(index), stop.Token);
                        }

                        cases.Writer.Complete();
                    }
                    catch (Exception exception)
                    {
                        cases.Writer.Complete(exception);
                        throw;
                    }
                }, stop.Token);
                try
                {
                    await Parallel.ForEachAsync(cases.Reader.ReadAllAsync(stop.Token),
                        new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = stop.Token }, async (submitted, token) =>
                        {
                            results[submitted.Index] = await SubmitAsync(client, runId, submitted, token);
                            task.Increment(1);
                        });
                }
                finally
                {
                    await stop.CancelAsync();
                    try
                    {
                        await producer;
                    }
                    catch (OperationCanceledException)
                    {
                        // Stopped above because a submission failed; that failure is what propagates.
                    }
                }
            });
        return [.. results.OfType<EndToEndCaseResult>()];
    }

    private static async Task<EndToEndCaseResult> SubmitAsync(VerificationServiceClient client, string runId, EndToEndCase submitted, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var answer = await client.SubmitAsync(
            string.Create(CultureInfo.InvariantCulture, $"e2e-{submitted.Index:D5}"), PolicyVersion,
            new SubmissionImages(submitted.DocumentFront, submitted.DocumentBack, submitted.Selfie),
            string.Create(CultureInfo.InvariantCulture, $"e2e-{runId}-{submitted.Index}"), cancellationToken);
        if (answer.VerificationId is not { } id)
        {
            return EndToEndCaseResult.Undecided(submitted, $"http_{answer.StatusCode}", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var decision = await client.WaitForDecisionAsync(id, DecisionWait, cancellationToken);
        double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (decision is null)
        {
            return EndToEndCaseResult.Undecided(submitted, "decision_timeout", milliseconds);
        }

        var outcome = decision.Status switch
        {
            "verified" => CaseOutcome.Verified,
            "rejected" => CaseOutcome.Rejected,
            "needs_review" => CaseOutcome.NeedsReview,
            _ => CaseOutcome.NoDecision,
        };
        var result = decision.Result;
        return new EndToEndCaseResult(submitted.Kind, submitted.DocumentFormat, submitted.Variant,
            new CaseDecision(submitted.Kind.ToName(), submitted.Expected, submitted.Kind.IsAttack(), outcome,
                outcome == CaseOutcome.NoDecision ? [decision.Status] : decision.Reasons, milliseconds),
            Number(result, "face_match_score"), Number(result, "face_match_threshold"), Number(result, "liveness_score"), Number(result, "liveness_threshold"),
            result is { } r && r.TryGetProperty("selfie_quality", out var quality) && Number(quality, "face_size_pixels") is { } size ? (int)size : null,
            result is { } timed && timed.TryGetProperty("timings_ms", out var timings) && timings.ValueKind == JsonValueKind.Object
                ? timings.EnumerateObject().Where(stage => stage.Value.ValueKind == JsonValueKind.Number).ToDictionary(stage => stage.Name, stage => stage.Value.GetDouble())
                : null);
    }

    private static double? Number(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var number) && number.ValueKind == JsonValueKind.Number
            ? number.GetDouble()
            : null;

    /// <summary>A clock that stands still: the pipeline's "today" for a run is the date its documents were made valid on.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
