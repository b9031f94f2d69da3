using Verify.Cli.Load;
using Verify.Cli.Service;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Cli;

/// <summary>`verify load`'s exactly-once check on what a run saw: each way a submission can be decided other than once fails it.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ExactlyOnceCheckTests
{
    private static readonly DateTimeOffset DecidedAt = new(2026, 12, 5, 4, 0, 0, TimeSpan.Zero);
    private static readonly Guid First = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Second = Guid.Parse("00000000-0000-0000-0000-000000000002");

    private static ServiceDecision Decided(string status, DateTimeOffset? at = null) => new(status, [], null, at ?? DecidedAt);

    private static LoadSubmission[] TwoDecided => [new(0, First, 202, Decided("verified")), new(1, Second, 202, Decided("rejected"))];

    private static Dictionary<Guid, ServiceDecision> ReadAgain(ServiceDecision? second = null) => new() { [First] = Decided("verified"), [Second] = second ?? Decided("rejected") };

    private static Dictionary<Guid, OutboxTally> Outbox(OutboxTally? second = null) => new() { [First] = new(1, 1, 0), [Second] = second ?? new(1, 1, 0) };

    [Fact]
    public void Submissions_each_decided_once_with_one_command_and_one_completion_pass()
    {
        var check = ExactlyOnceCheck.Check(TwoDecided, ReadAgain(), Outbox(new OutboxTally(1, 1, 1)));

        Assert.True(check.Passed, string.Join("; ", check.Failures));
        Assert.Equal("exactly once: 2 of 2 submissions decided once and unchanged when read again; "
            + "outbox: 2 VerifyIdentity and 2 VerificationCompleted for 2 verifications, 1 of them not sent yet", check.Summary);
    }

    [Fact]
    public void A_second_completion_event_fails()
    {
        var check = ExactlyOnceCheck.Check(TwoDecided, ReadAgain(), Outbox(new OutboxTally(1, 2, 0)));

        Assert.Equal([$"verification {Second}: 1 VerifyIdentity commands and 2 VerificationCompleted events in the outbox (1 of each expected)"], check.Failures);
        Assert.StartsWith("exactly once: 1 of 2 submissions", check.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_command_or_none_fails()
    {
        Assert.False(ExactlyOnceCheck.Check(TwoDecided, ReadAgain(), Outbox(new OutboxTally(2, 1, 0))).Passed);
        Assert.False(ExactlyOnceCheck.Check(TwoDecided, ReadAgain(), new Dictionary<Guid, OutboxTally> { [First] = new(1, 1, 0) }).Passed);
    }

    [Fact]
    public void A_decision_that_changed_or_was_made_again_when_read_after_the_run_fails()
    {
        Assert.Equal([$"verification {Second}: decided rejected, then verified"],
            ExactlyOnceCheck.Check(TwoDecided, ReadAgain(Decided("verified")), null).Failures);
        Assert.Equal([$"verification {Second}: decided twice, at 2026-12-05T04:00:00.0000000+00:00 and at 2026-12-05T04:00:07.0000000+00:00"],
            ExactlyOnceCheck.Check(TwoDecided, ReadAgain(Decided("rejected", DecidedAt.AddSeconds(7))), null).Failures);
        Assert.Equal([$"verification {Second}: decided rejected, then processing again"],
            ExactlyOnceCheck.Check(TwoDecided, ReadAgain(new ServiceDecision("processing", [], null)), null).Failures);
    }

    [Fact]
    public void One_verification_answering_two_submissions_fails()
    {
        LoadSubmission[] submissions = [new(0, First, 202, Decided("verified")), new(1, First, 202, Decided("verified"))];

        var check = ExactlyOnceCheck.Check(submissions, ReadAgain(), null);

        Assert.Equal([$"verification {First}: the answer to 2 submissions (0, 1)"], check.Failures);
    }

    [Fact]
    public void A_submission_refused_or_left_undecided_fails()
    {
        LoadSubmission[] submissions = [new(0, null, 429, null), new(1, Second, 202, null)];

        var check = ExactlyOnceCheck.Check(submissions, ReadAgain(), null);

        Assert.Equal(["submission 0: not accepted (HTTP 429)", $"verification {Second}: not decided in time"], check.Failures);
        Assert.EndsWith("outbox not read (no --database or --sqlite)", check.Summary, StringComparison.Ordinal);
    }
}
