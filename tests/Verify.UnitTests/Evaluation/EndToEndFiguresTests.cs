using Verify.Evaluation;

namespace Verify.UnitTests.Evaluation;

public sealed class EndToEndFiguresTests
{
    private static readonly CaseDecision[] Run =
    [
        Genuine(CaseOutcome.Verified, 100),
        Genuine(CaseOutcome.Verified, 200),
        Genuine(CaseOutcome.NeedsReview, 300, "mrz_ambiguous"),
        Genuine(CaseOutcome.NeedsReview, 400, "mrz_ambiguous", "mrz_printed_mismatch"),
        Genuine(CaseOutcome.Rejected, 500, "low_quality:pose", "mrz_ambiguous"),
        Attack("impostor", CaseOutcome.Rejected, 600, "face_mismatch"),
        Attack("impostor", CaseOutcome.Verified, 700),
        Attack("print_spoof", CaseOutcome.NeedsReview, 800, "mrz_printed_mismatch"),
        new("unusable_selfie", ExpectedDecision.Rejected, false, CaseOutcome.NeedsReview, ["face_match_not_evaluated"], 900),
        new("unreadable_document", ExpectedDecision.NotVerified, false, CaseOutcome.NoDecision, ["http_429"], 5),
    ];

    [Fact]
    public void The_genuine_pass_rate_counts_only_genuine_cases_verified_without_a_person()
    {
        var figures = EndToEndFigures.From(Run);

        Assert.Equal(5, figures.Genuine.Cases);
        Assert.Equal(2.0 / 5, figures.GenuinePassRate, 10);
    }

    [Fact]
    public void A_verified_impostor_is_a_false_accept_and_a_spoof_sent_to_review_is_not()
    {
        var figures = EndToEndFigures.From(Run);

        Assert.Equal(1, figures.FalseAccepts);
        Assert.Equal(3, figures.Attacks.Cases);
        Assert.Equal(1.0 / 3, figures.FalseAcceptRate, 10);
    }

    [Fact]
    public void Review_rates_are_over_all_cases_and_over_genuine_cases_by_reason()
    {
        var figures = EndToEndFigures.From(Run);

        Assert.Equal(4.0 / 10, figures.ReviewRate, 10);
        Assert.Equal(2.0 / 5, figures.GenuineReviewRate, 10);
        Assert.Equal(2.0 / 5, figures.GenuineReviewRateByReason["mrz_ambiguous"], 10);
        Assert.Equal(1.0 / 5, figures.GenuineReviewRateByReason["mrz_printed_mismatch"], 10);
        Assert.False(figures.GenuineReviewRateByReason.ContainsKey("low_quality:pose"));
    }

    [Fact]
    public void Reasons_are_counted_per_outcome_once_per_case_most_frequent_first()
    {
        var genuine = EndToEndFigures.From(Run).Genuine;

        Assert.Equal(["mrz_ambiguous", "mrz_printed_mismatch"], genuine.ReasonsFor(CaseOutcome.NeedsReview).Keys);
        Assert.Equal(2, genuine.ReasonsFor(CaseOutcome.NeedsReview)["mrz_ambiguous"]);
        Assert.Equal(1, genuine.ReasonsFor(CaseOutcome.Rejected)["mrz_ambiguous"]);
        Assert.Equal(1, genuine.ReasonsFor(CaseOutcome.Rejected)["low_quality:pose"]);
        Assert.Empty(genuine.ReasonsFor(CaseOutcome.Verified));
    }

    [Fact]
    public void Not_verified_is_met_by_rejection_or_review_but_must_be_rejected_only_by_rejection()
    {
        var figures = EndToEndFigures.From(Run);
        var byKind = figures.Kinds.ToDictionary(k => k.Kind, k => k.Counts);

        Assert.Equal(2, byKind["genuine"].AsExpected);
        Assert.Equal(1, byKind["impostor"].AsExpected);
        Assert.Equal(1, byKind["print_spoof"].AsExpected);
        Assert.Equal(0, byKind["unusable_selfie"].AsExpected);
        Assert.Equal(0, byKind["unreadable_document"].AsExpected);
        Assert.Equal(["genuine", "impostor", "print_spoof", "unusable_selfie", "unreadable_document"], figures.Kinds.Select(k => k.Kind));
    }

    [Fact]
    public void Time_to_decision_leaves_out_cases_that_got_no_decision()
    {
        var overall = EndToEndFigures.From(Run).Overall;

        Assert.Equal(9, overall.TimeToDecision.Count);
        Assert.Equal(500, overall.TimeToDecision.P50, 10);
        Assert.Equal(1, overall.NoDecision);
    }

    [Fact]
    public void Without_genuine_cases_or_attacks_the_rates_are_not_a_number()
    {
        var figures = EndToEndFigures.From([new CaseDecision("unusable_selfie", ExpectedDecision.Rejected, false, CaseOutcome.Rejected, ["no_face_in_selfie"], 10)]);

        Assert.True(double.IsNaN(figures.GenuinePassRate));
        Assert.True(double.IsNaN(figures.FalseAcceptRate));
        Assert.Equal(0, figures.FalseAccepts);
    }

    private static CaseDecision Genuine(CaseOutcome outcome, double milliseconds, params string[] reasons) =>
        new("genuine", ExpectedDecision.Verified, false, outcome, reasons, milliseconds);

    private static CaseDecision Attack(string kind, CaseOutcome outcome, double milliseconds, params string[] reasons) =>
        new(kind, ExpectedDecision.NotVerified, true, outcome, reasons, milliseconds);
}
