using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Verify.Data;
using Verify.Pipeline.Observability;

namespace Verify.Pipeline.Reviews;

/// <summary>
/// The review queue's metrics: open cases and the age of the oldest (read when a listener collects), and decisions
/// counted per reviewer key, outcome and kind, from which a dashboard draws decisions per reviewer per hour. Tags carry
/// key ids and codes only.
/// </summary>
public sealed class ReviewTelemetry
{
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _waiting;

    public ReviewTelemetry(IMeterFactory meters, IDbContextFactory<VerifyDbContext> databases, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(time);
        var meter = meters.Create(PipelineTelemetry.Name);
        _decisions = meter.CreateCounter<long>("verify.review.decisions", "{decision}", "Review cases decided, by reviewer key, outcome and kind.");
        _waiting = meter.CreateHistogram<double>("verify.review.wait", "s", "How long a case waited for its decision.");
        meter.CreateObservableGauge("verify.review.queue.depth", () =>
        {
            using var db = databases.CreateDbContext();
            return db.ReviewCases.LongCount(c => c.DecidedAt == null);
        }, "{case}", "Review cases waiting for a decision.");
        meter.CreateObservableGauge("verify.review.queue.oldest_age", () =>
        {
            using var db = databases.CreateDbContext();
            var oldest = db.ReviewCases.Where(c => c.DecidedAt == null).OrderBy(c => c.OpenedAt).Select(c => (DateTime?)c.OpenedAt).FirstOrDefault();
            return oldest is { } opened ? Math.Max(0, (time.GetUtcNow().UtcDateTime - opened).TotalSeconds) : 0;
        }, "s", "How long the oldest open review case has waited.");
    }

    public void RecordDecision(string reviewer, string outcome, string kind, TimeSpan waited)
    {
        _decisions.Add(1, new KeyValuePair<string, object?>("reviewer", reviewer), new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("kind", kind));
        _waiting.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
