using System.Globalization;
using Verify.Cli.Service;

namespace Verify.Cli.Load;

/// <summary>One submission of a load run as the client saw it: its index, the verification the service answered with (or the HTTP status), and the decision first read.</summary>
internal sealed record LoadSubmission(int Index, Guid? VerificationId, int StatusCode, ServiceDecision? Decision);

/// <summary>What one verification left in the outbox: its VerifyIdentity commands, its VerificationCompleted events, and how many of those are not sent yet.</summary>
internal sealed record OutboxTally(int Commands, int Completions, int Unsent);

/// <summary>The check's failures, one line each (none when every submission was decided exactly once), and a one-line summary.</summary>
internal sealed record ExactlyOnceResult(IReadOnlyList<string> Failures, string Summary)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// Whether every submission of a load run was decided exactly once: accepted as a verification of its own, decided,
/// still showing the same decision (status and time of decision) when read again after the run, and, when the
/// service's outbox was read, with exactly one VerifyIdentity command and one VerificationCompleted event.
/// </summary>
internal static class ExactlyOnceCheck
{
    /// <param name="submissions">The run's submissions with the decision each first showed.</param>
    /// <param name="reread">Each verification as read once more after the run.</param>
    /// <param name="outbox">The outbox's messages per verification; null when the database was not read.</param>
    public static ExactlyOnceResult Check(IReadOnlyList<LoadSubmission> submissions, IReadOnlyDictionary<Guid, ServiceDecision> reread,
        IReadOnlyDictionary<Guid, OutboxTally>? outbox)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(reread);
        var failures = new List<string>();
        foreach (var shared in submissions.Where(s => s.VerificationId is not null).GroupBy(s => s.VerificationId!.Value).Where(group => group.Count() > 1))
        {
            failures.Add($"verification {shared.Key}: the answer to {shared.Count()} submissions ({string.Join(", ", shared.Select(s => s.Index))})");
        }

        int once = 0;
        foreach (var submission in submissions)
        {
            if (Failure(submission, reread, outbox) is { } failure)
            {
                failures.Add(failure);
            }
            else
            {
                once++;
            }
        }

        string summary = string.Create(CultureInfo.InvariantCulture,
            $"exactly once: {once} of {submissions.Count} submissions decided once and unchanged when read again; ");
        var ids = submissions.Select(s => s.VerificationId).OfType<Guid>().Distinct().ToArray();
        summary += outbox is null
            ? "outbox not read (no --database or --sqlite)"
            : string.Create(CultureInfo.InvariantCulture,
                $"outbox: {ids.Sum(id => Tally(outbox, id).Commands)} VerifyIdentity and {ids.Sum(id => Tally(outbox, id).Completions)} VerificationCompleted for {ids.Length} verifications, {ids.Sum(id => Tally(outbox, id).Unsent)} of them not sent yet");
        return new ExactlyOnceResult(failures, summary);
    }

    private static string? Failure(LoadSubmission submission, IReadOnlyDictionary<Guid, ServiceDecision> reread, IReadOnlyDictionary<Guid, OutboxTally>? outbox)
    {
        if (submission.VerificationId is not { } id)
        {
            return string.Create(CultureInfo.InvariantCulture, $"submission {submission.Index}: not accepted (HTTP {submission.StatusCode})");
        }

        if (submission.Decision is not { } first)
        {
            return $"verification {id}: not decided in time";
        }

        if (!reread.TryGetValue(id, out var again))
        {
            return $"verification {id}: not read again after the run";
        }

        if (!again.IsFinal)
        {
            return $"verification {id}: decided {first.Status}, then {again.Status} again";
        }

        if (again.Status != first.Status)
        {
            return $"verification {id}: decided {first.Status}, then {again.Status}";
        }

        if (again.CompletedAt != first.CompletedAt)
        {
            return string.Create(CultureInfo.InvariantCulture, $"verification {id}: decided twice, at {first.CompletedAt:O} and at {again.CompletedAt:O}");
        }

        if (outbox is not null && Tally(outbox, id) is { Commands: not 1 } or { Completions: not 1 })
        {
            var tally = Tally(outbox, id);
            return string.Create(CultureInfo.InvariantCulture, $"verification {id}: {tally.Commands} VerifyIdentity commands and {tally.Completions} VerificationCompleted events in the outbox (1 of each expected)");
        }

        return null;
    }

    private static OutboxTally Tally(IReadOnlyDictionary<Guid, OutboxTally> outbox, Guid id) => outbox.GetValueOrDefault(id) ?? new OutboxTally(0, 0, 0);
}
