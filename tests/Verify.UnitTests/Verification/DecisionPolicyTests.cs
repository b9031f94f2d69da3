using Microsoft.Extensions.Options;
using Verify.Data.Entities;
using Verify.Documents.Checks;
using Verify.Documents.Reading;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Verification;

namespace Verify.UnitTests.Verification;

public sealed class DecisionPolicyTests
{
    private static DecisionPolicy Policy(Action<DecisionPolicyOptions>? configure = null)
    {
        var options = new DecisionPolicyOptions();
        configure?.Invoke(options);
        return new DecisionPolicy(Options.Create(options));
    }

    private static readonly VerificationSignals Clean = new()
    {
        DocumentStatus = DocumentReadStatus.Read,
        PortraitFound = true,
        SelfieOutcome = FaceAnalysisOutcome.Analysed,
        SelfieProminentFaces = 1,
        MatchScore = 0.6,
        MatchThreshold = 0.335,
        LivenessEvaluated = true,
    };

    [Fact]
    public void A_readable_document_whose_portrait_matches_the_selfie_is_verified()
    {
        var decision = Policy().Decide(Clean);
        Assert.Equal(VerificationState.Verified, decision.State);
        Assert.Empty(decision.Reasons);
    }

    [Fact]
    public void A_score_below_the_threshold_is_a_face_mismatch()
    {
        var decision = Policy().Decide(Clean with { MatchScore = 0.2 });
        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal([DecisionReasons.FaceMismatch], decision.Reasons);
    }

    [Fact]
    public void A_near_miss_goes_to_review_only_when_a_review_band_is_configured()
    {
        Assert.Equal(VerificationState.Rejected, Policy().Decide(Clean with { MatchScore = 0.32 }).State);
        var decision = Policy(o => o.FaceMatchReviewBand = 0.03).Decide(Clean with { MatchScore = 0.32 });
        Assert.Equal(VerificationState.NeedsReview, decision.State);
        Assert.Equal([DecisionReasons.FaceMatchUncertain], decision.Reasons);
        Assert.Equal(VerificationState.Rejected, Policy(o => o.FaceMatchReviewBand = 0.03).Decide(Clean with { MatchScore = 0.30 }).State);
    }

    [Theory]
    [InlineData("check_digit_failed", DecisionReasons.MrzChecksumFailed)]
    [InlineData("document_expired", DecisionReasons.DocumentExpired)]
    [InlineData("under_minimum_age", DecisionReasons.Underage)]
    [InlineData("invalid_date", DecisionReasons.DocumentInvalid)]
    public void Rejecting_document_findings_reject_with_their_reason(string finding, string reason)
    {
        var decision = Policy().Decide(Clean with { DocumentFindings = [new DocumentFinding(finding, FindingSeverity.Reject, "x"), new DocumentFinding(finding, FindingSeverity.Reject, "y")] });
        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal([reason], decision.Reasons);
    }

    [Fact]
    public void Review_findings_send_the_case_to_review_with_their_codes()
    {
        var decision = Policy().Decide(Clean with { DocumentFindings = [new DocumentFinding("mrz_ambiguous", FindingSeverity.Review, "document_number")] });
        Assert.Equal(VerificationState.NeedsReview, decision.State);
        Assert.Equal(["mrz_ambiguous"], decision.Reasons);
    }

    [Fact]
    public void Rejections_come_first_and_every_reason_is_kept()
    {
        var decision = Policy().Decide(Clean with
        {
            DocumentFindings = [new DocumentFinding("mrz_ambiguous", FindingSeverity.Review)],
            MatchScore = 0.1,
            SelfieProminentFaces = 2,
        });
        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal([DecisionReasons.MultipleFacesInSelfie, DecisionReasons.FaceMismatch, "mrz_ambiguous"], decision.Reasons);
    }

    [Theory]
    [InlineData(DocumentReadStatus.NoMrz, true, VerificationState.Rejected)]
    [InlineData(DocumentReadStatus.MrzUnreadable, true, VerificationState.Rejected)]
    [InlineData(DocumentReadStatus.NoMrz, false, VerificationState.NeedsReview)]
    public void An_unreadable_mrz_is_rejected_or_reviewed_as_configured(DocumentReadStatus status, bool reject, VerificationState expected)
    {
        var decision = Policy(o => o.RejectUnreadableMrz = reject).Decide(Clean with { DocumentStatus = status });
        Assert.Equal(expected, decision.State);
        Assert.Equal([DecisionReasons.MrzUnreadable], decision.Reasons);
    }

    [Theory]
    [InlineData("chip_dg1_altered")]
    [InlineData("chip_dg2_altered")]
    [InlineData("chip_signature_invalid")]
    [InlineData("chip_signer_untrusted")]
    [InlineData("chip_signer_expired")]
    [InlineData("chip_signer_revoked")]
    public void A_chip_that_fails_passive_authentication_is_rejected_with_its_own_reason(string code)
    {
        var decision = Policy().Decide(Clean with { DocumentFindings = [new DocumentFinding(code, FindingSeverity.Reject, "chip")] });
        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal([code], decision.Reasons);
    }

    [Fact]
    public void A_chip_signed_under_an_unknown_csca_goes_to_review()
    {
        var decision = Policy().Decide(Clean with { DocumentFindings = [new DocumentFinding("chip_csca_unknown", FindingSeverity.Review, "chip")] });
        Assert.Equal(VerificationState.NeedsReview, decision.State);
        Assert.Equal(["chip_csca_unknown"], decision.Reasons);
    }

    [Theory]
    [InlineData(true, VerificationState.Rejected)]
    [InlineData(false, VerificationState.NeedsReview)]
    public void An_unreadable_licence_barcode_is_rejected_or_reviewed_as_an_unreadable_mrz_is(bool reject, VerificationState expected)
    {
        var decision = Policy(o => o.RejectUnreadableMrz = reject).Decide(Clean with { DocumentStatus = DocumentReadStatus.BarcodeUnreadable });
        Assert.Equal(expected, decision.State);
        Assert.Equal([DecisionReasons.BarcodeUnreadable], decision.Reasons);
    }

    [Fact]
    public void Chip_data_that_cannot_be_parsed_are_rejected_with_one_reason()
    {
        var decision = Policy().Decide(Clean with { DocumentStatus = DocumentReadStatus.ChipUnreadable, PortraitFound = false, MatchScore = null });
        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal([DecisionReasons.ChipDataInvalid], decision.Reasons);
    }

    [Theory]
    [InlineData(false, false, false, AssuranceLevels.DocumentAndFace)]
    [InlineData(false, true, false, AssuranceLevels.DocumentFaceAndLiveness)]
    [InlineData(false, true, true, AssuranceLevels.DocumentFaceAndChallenge)]
    [InlineData(true, false, false, AssuranceLevels.ChipAndFace)]
    [InlineData(true, false, true, AssuranceLevels.ChipAndFace)]
    [InlineData(true, true, false, AssuranceLevels.ChipFaceAndLiveness)]
    [InlineData(true, true, true, AssuranceLevels.ChipFaceAndChallenge)]
    public void The_assurance_level_names_an_authenticated_chip_and_how_far_liveness_went(bool chip, bool live, bool challenged, string level) =>
        Assert.Equal(level, AssuranceLevels.Of(chip, live, challenged));

    [Fact]
    public void Missing_faces_and_unreadable_images_have_their_own_reasons()
    {
        Assert.Equal([DecisionReasons.NoFaceOnDocument], Policy().Decide(Clean with { PortraitFound = false, MatchScore = null }).Reasons);
        Assert.Equal([DecisionReasons.NoFaceInSelfie], Policy().Decide(Clean with { SelfieOutcome = FaceAnalysisOutcome.NoFace, SelfieProminentFaces = 0, MatchScore = null }).Reasons);
        Assert.Equal([DecisionReasons.SelfieUnreadable], Policy().Decide(Clean with { SelfieOutcome = FaceAnalysisOutcome.Unreadable, MatchScore = null }).Reasons);
        // An unreadable document has no portrait to look for: one reason, not two.
        Assert.Equal([DecisionReasons.DocumentUnreadable], Policy().Decide(Clean with { DocumentStatus = DocumentReadStatus.ImageUnreadable, PortraitFound = false, MatchScore = null }).Reasons);
    }

    [Fact]
    public void Liveness_not_evaluated_is_reviewed_unless_the_policy_waives_liveness()
    {
        var unchecked_ = Clean with { LivenessEvaluated = false };
        Assert.Equal(VerificationState.Verified, Policy(o => o.RequireLiveness = false).Decide(unchecked_).State);
        var decision = Policy().Decide(unchecked_);
        Assert.Equal(VerificationState.NeedsReview, decision.State);
        Assert.Equal([DecisionReasons.LivenessNotEvaluated], decision.Reasons);
    }

    [Fact]
    public void A_liveness_failure_rejects_with_its_code_or_goes_to_review_as_configured()
    {
        var spoof = Clean with { LivenessFailures = ["spoof", "static"] };
        var decision = Policy().Decide(spoof);
        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal(["liveness_failed:spoof", "liveness_failed:static"], decision.Reasons);

        var reviewed = Policy(o => o.LivenessFailure = PolicyAction.Review).Decide(spoof);
        Assert.Equal(VerificationState.NeedsReview, reviewed.State);
        Assert.Equal(["liveness_failed:spoof", "liveness_failed:static"], reviewed.Reasons);
    }

    [Fact]
    public void A_poor_selfie_is_rejected_with_what_to_fix_or_reviewed_as_configured()
    {
        var blurred = Clean with { SelfieQualityFailures = ["blur", "underexposed"] };
        var decision = Policy().Decide(blurred);
        Assert.Equal(VerificationState.Rejected, decision.State);
        Assert.Equal(["low_quality:blur", "low_quality:underexposed"], decision.Reasons);
        Assert.Equal(VerificationState.NeedsReview, Policy(o => o.LowQuality = PolicyAction.Review).Decide(blurred).State);
    }

    [Fact]
    public void Signs_of_a_recaptured_document_send_the_case_to_review_never_to_rejection()
    {
        var decision = Policy().Decide(Clean with { DocumentCaptureSignals = ["document_screen_suspected"] });
        Assert.Equal(VerificationState.NeedsReview, decision.State);
        Assert.Equal(["document_screen_suspected"], decision.Reasons);
    }

    [Fact]
    public void Without_a_match_score_and_nothing_to_explain_it_a_person_looks()
    {
        var decision = Policy().Decide(Clean with { MatchScore = null });
        Assert.Equal(VerificationState.NeedsReview, decision.State);
        Assert.Equal([DecisionReasons.FaceMatchNotEvaluated], decision.Reasons);
    }
}
