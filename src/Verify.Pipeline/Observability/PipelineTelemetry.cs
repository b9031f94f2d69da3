using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Data.Entities;

namespace Verify.Pipeline.Observability;

/// <summary>
/// The pipeline's traces and metrics: a span per verification and per stage, a duration histogram per stage tagged with
/// the model and its version, and counters of submissions and outcomes. Tags carry ids and codes only, never personal data.
/// </summary>
public sealed class PipelineTelemetry : IDisposable
{
    /// <summary>The ActivitySource and Meter name to subscribe to (OpenTelemetry: AddSource/AddMeter("Verify")).</summary>
    public const string Name = "Verify";

    public static readonly ActivitySource Source = new(Name, typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Meter _meter;

    public PipelineTelemetry(IMeterFactory meters, IDbContextFactory<VerifyDbContext> databases)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(databases);
        _meter = meters.Create(Name);
        StageDuration = _meter.CreateHistogram<double>("verify.stage.duration", "ms", "Duration of one pipeline stage.");
        Verifications = _meter.CreateCounter<long>("verify.verifications", "{verification}", "Verifications decided, by outcome.");
        Submissions = _meter.CreateCounter<long>("verify.submissions", "{submission}", "Submissions accepted by the API.");
        ImpersonationReports = _meter.CreateCounter<long>("verify.impersonation_reports", "{report}", "Impersonation reports assessed, by suggestion.");
        Redrives = _meter.CreateCounter<long>("verify.redrives", "{command}",
            "Verifications and reports whose lease lapsed undecided, by kind and outcome (redriven, given_up).");
        Faults = _meter.CreateCounter<long>("verify.command_faults", "{command}",
            "Commands that reached the error queue, by kind and whether that ended the verification or report.");
        // Read only when a listener collects (an OTLP export interval): one indexed count.
        _meter.CreateObservableGauge("verify.queue.depth", () =>
        {
            using var db = databases.CreateDbContext();
            return db.Verifications.LongCount(v => v.State == VerificationState.Queued || v.State == VerificationState.Processing);
        }, "{verification}", "Verifications accepted and not yet decided.");
    }

    public Histogram<double> StageDuration { get; }

    public Counter<long> Verifications { get; }

    public Counter<long> Submissions { get; }

    public Counter<long> ImpersonationReports { get; }

    public Counter<long> Redrives { get; }

    public Counter<long> Faults { get; }

    /// <summary>Records each stage's duration (and a span per stage under the current one), tagged with the models that ran.</summary>
    public void RecordStages(IReadOnlyDictionary<string, double> millisecondsByStage, IReadOnlyDictionary<string, string> models)
    {
        ArgumentNullException.ThrowIfNull(millisecondsByStage);
        ArgumentNullException.ThrowIfNull(models);
        string modelTag = string.Join(",", models.Values.Order(StringComparer.Ordinal));
        // Wall time, as Activity stamps its own spans: these spans sit among the service's others.
        var end = TimeProvider.System.GetUtcNow();
        foreach (var (stage, milliseconds) in millisecondsByStage)
        {
            StageDuration.Record(milliseconds, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("models", modelTag));
            using var span = Source.StartActivity($"verify.stage.{stage}", ActivityKind.Internal, Activity.Current?.Context ?? default,
                startTime: end - TimeSpan.FromMilliseconds(milliseconds));
            span?.SetTag("verify.stage", stage);
            span?.SetTag("verify.models", modelTag);
            span?.SetEndTime(end.UtcDateTime);
        }
    }

    /// <summary>Counts a decision by its status word, and tags the verification's span with it.</summary>
    public void RecordDecision(Activity? activity, VerificationState state)
    {
        string outcome = VerificationStateWords.Of(state);
        Verifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        activity?.SetTag("verify.outcome", outcome);
    }

    public void Dispose() => _meter.Dispose();
}
