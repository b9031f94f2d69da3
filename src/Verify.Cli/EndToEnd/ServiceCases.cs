using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Spectre.Console;
using Verify.Cli.Service;
using Verify.Evaluation;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.EndToEnd;

/// <summary>`verify evaluate-e2e --url`: each case submitted to a running service and waited for.</summary>
internal static class ServiceCases
{
    private const string PolicyVersion = "e2e-evaluation";

    /// <summary>A case still undecided this long after its submission counts as no decision (decision_timeout).</summary>
    private static readonly TimeSpan DecisionWait = TimeSpan.FromMinutes(5);

    /// <summary>Each case submitted to the service and waited for; cases are generated on one thread while others are in flight.</summary>
    public static async Task<IReadOnlyList<EndToEndCaseResult>> DecideAsync(EndToEndCaseGenerator generator, Uri service, string key,
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
        var timeline = await client.SubmitAndWaitAsync(
            string.Create(CultureInfo.InvariantCulture, $"e2e-{submitted.Index:D5}"), PolicyVersion,
            new SubmissionImages(submitted.DocumentFront, submitted.DocumentBack, submitted.Selfie) { Chip = submitted.Chip },
            string.Create(CultureInfo.InvariantCulture, $"e2e-{runId}-{submitted.Index}"), DecisionWait, cancellationToken);
        double milliseconds = timeline.DecidedMilliseconds;
        if (!timeline.Answer.Accepted)
        {
            return EndToEndCaseResult.Undecided(submitted, $"http_{timeline.Answer.StatusCode}", milliseconds);
        }

        if (timeline.Decision is not { } decision)
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
        return new EndToEndCaseResult(submitted.Kind, submitted.DocumentType, submitted.Variant,
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
}
