using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Verify.Data.Entities;
using Verify.Evaluation;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Verification;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.EndToEnd;

/// <summary>`verify evaluate-e2e` without --url: each case decided by the service's own stages in this process.</summary>
internal static class InProcessCases
{
    /// <summary>Each case through <see cref="VerificationStages"/>, one at a time, on a pipeline whose clock stands at the cases' date.</summary>
    public static List<EndToEndCaseResult> Decide(EndToEndCaseGenerator generator, Dictionary<string, string?> overrides, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        // Noon UTC of the date the documents are valid on, so the pipeline's "today" is that date wherever it runs.
        var clock = new StoppedClock(new DateTimeOffset(generator.Options.ValidOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        // The pipeline trusts the run's test CSCA, as a service would trust the operator's store.
        string trustStore = Directory.CreateTempSubdirectory("verify-e2e-csca-").FullName;
        try
        {
            generator.ChipIssuer.WriteTrustStore(trustStore);
            return Decide(generator, new Dictionary<string, string?>(overrides) { ["Documents:Chip:TrustStore"] = trustStore }, clock, console, cancellationToken);
        }
        finally
        {
            Directory.Delete(trustStore, recursive: true);
        }
    }

    private static List<EndToEndCaseResult> Decide(EndToEndCaseGenerator generator, Dictionary<string, string?> overrides, StoppedClock clock, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
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
                    double cpuStarted = StageTimings.ProcessCpuMilliseconds;
                    var run = Run(stages, submitted, cancellationToken);
                    double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    double cpuMilliseconds = StageTimings.ProcessCpuMilliseconds - cpuStarted;
                    var outcome = run.Decision.State switch
                    {
                        VerificationState.Verified => CaseOutcome.Verified,
                        VerificationState.Rejected => CaseOutcome.Rejected,
                        _ => CaseOutcome.NeedsReview,
                    };
                    results.Add(new EndToEndCaseResult(submitted.Kind, submitted.DocumentType, submitted.Variant,
                        new CaseDecision(submitted.Kind.ToName(), submitted.Expected, submitted.Kind.IsAttack(), outcome, run.Decision.Reasons, milliseconds),
                        run.Result.FaceMatchScore, run.Result.FaceMatchThreshold, run.Result.LivenessScore, run.Result.LivenessThreshold,
                        run.Result.SelfieQuality?.FaceSizePixels, run.Result.TimingsMs, cpuMilliseconds, run.StageCpuMilliseconds));
                    task.Increment(1);
                }
            });
        return results;
    }

    private static StageRun Run(VerificationStages stages, EndToEndCase submitted, CancellationToken cancellationToken) =>
        stages.Run(submitted.Document, [submitted.Selfie], livenessChallenge: null, cancellationToken);

    /// <summary>A clock that stands still: the pipeline's "today" for a run is the date its documents were made valid on.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
