using Verify.Documents.Checks;
using Verify.Documents.Mrz;
using Verify.Documents.PrintedZone;

namespace Verify.UnitTests.Documents;

public sealed class DocumentChecksTests
{
    private static readonly DocumentChecks Checks = new(new DocumentCheckOptions { AllowSpecimenCodes = true });

    [Fact]
    public void A_current_specimen_passes_when_specimen_codes_are_allowed() =>
        Assert.Empty(Checks.Evaluate(MrzSpecimens.Parse("TD3"), MrzSpecimens.Today));

    [Fact]
    public void The_specimen_state_is_unknown_by_default()
    {
        var findings = new DocumentChecks(new DocumentCheckOptions()).Evaluate(MrzSpecimens.Parse("TD3"), MrzSpecimens.Today);

        Assert.Contains(new DocumentFinding("unknown_issuing_state", FindingSeverity.Review, "issuing_state"), findings);
        Assert.Contains(new DocumentFinding("unknown_nationality", FindingSeverity.Review, "nationality"), findings);
    }

    [Theory]
    [InlineData("D")]
    [InlineData("D<<")]
    [InlineData("GBR")]
    [InlineData("XXA")]
    [InlineData("EUE")]
    [InlineData("RKS")]
    [InlineData("TZA")]
    public void ICAO_and_ISO_codes_are_known(string code) => Assert.True(IcaoCountryCodes.IsKnown(code));

    [Theory]
    [InlineData("UTO")]
    [InlineData("XYZ")]
    [InlineData("GBX")]
    public void Specimen_and_unassigned_codes_are_unknown(string code) => Assert.False(IcaoCountryCodes.IsKnown(code));

    [Fact]
    public void The_code_list_holds_every_ISO_code_and_the_Doc_9303_additions() => Assert.Equal(249 + 28, IcaoCountryCodes.All.Count);

    [Fact]
    public void Optional_data_with_fillers_inside_goes_unreviewed_when_its_check_digits_pass()
    {
        // TD3: the personal number "ZE1<84226" with its own check digit and the composite recomputed.
        var lines = MrzSpecimens.Lines["TD3"].ToArray();
        string optional = "ZE1<84226<<<<<";
        string line2 = lines[1][..28] + optional + MrzCheckDigit.ComputeChar(optional);
        string composite = line2[..10] + line2[13..20] + line2[21..43];
        lines[1] = line2 + MrzCheckDigit.ComputeChar(composite);
        var reading = MrzParser.Parse(lines, MrzSpecimens.Today)!;
        Assert.True(reading.Has(MrzIssue.DataAfterFiller, MrzFieldName.OptionalData1));

        Assert.DoesNotContain(Checks.Evaluate(reading, MrzSpecimens.Today), finding => finding.Code == "mrz_data_after_filler");
    }

    [Fact]
    public void Optional_data_with_fillers_inside_goes_to_review_when_no_check_digit_covers_it()
    {
        // An MRV-B visa has no composite and no optional-data check digit.
        var lines = MrzSpecimens.Lines["MRV-B"].ToArray();
        lines[1] = lines[1][..28] + "AB<12<<<";
        var reading = MrzParser.Parse(lines, MrzSpecimens.Today)!;

        Assert.Contains(new DocumentFinding("mrz_data_after_filler", FindingSeverity.Review, "optional_data_1"), Checks.Evaluate(reading, MrzSpecimens.Today));
    }

    [Fact]
    public void An_expired_document_is_rejected() =>
        Assert.Contains(
            new DocumentFinding("document_expired", FindingSeverity.Reject, "expiry_date"),
            Checks.Evaluate(MrzSpecimens.Parse("TD3"), new DateOnly(2012, 4, 16)));

    [Fact]
    public void A_document_is_valid_on_its_expiry_date() =>
        Assert.DoesNotContain(Checks.Evaluate(MrzSpecimens.Parse("TD3"), new DateOnly(2012, 4, 15)), f => f.Code == "document_expired");

    [Fact]
    public void A_holder_under_the_minimum_age_is_rejected()
    {
        var checks = new DocumentChecks(new DocumentCheckOptions { AllowSpecimenCodes = true, MinimumAge = 40 });

        Assert.Contains(
            new DocumentFinding("under_minimum_age", FindingSeverity.Reject, "birth_date"),
            checks.Evaluate(MrzSpecimens.Parse("TD3"), MrzSpecimens.Today));
    }

    [Fact]
    public void A_failed_check_digit_is_rejected_and_names_which()
    {
        var lines = MrzSpecimens.Lines["TD3"].ToArray();
        lines[1] = lines[1][..19] + "3" + lines[1][20..];

        var findings = Checks.Evaluate(MrzParser.Parse(lines, MrzSpecimens.Today)!, MrzSpecimens.Today);

        Assert.Contains(new DocumentFinding("check_digit_failed", FindingSeverity.Reject, "birth_date"), findings);
        Assert.Contains(new DocumentFinding("check_digit_failed", FindingSeverity.Reject, "composite"), findings);
    }

    [Fact]
    public void An_impossible_date_is_rejected_as_invalid()
    {
        var lines = MrzSpecimens.Lines["TD1"].ToArray();
        lines[1] = "741312" + MrzCheckDigit.ComputeChar("741312") + lines[1][7..];

        Assert.Contains(
            new DocumentFinding("invalid_date", FindingSeverity.Reject, "birth_date"),
            Checks.Evaluate(MrzParser.Parse(lines, MrzSpecimens.Today)!, MrzSpecimens.Today));
    }

    [Fact]
    public void A_printed_zone_mismatch_is_sent_to_review_with_the_field_name()
    {
        var reading = MrzSpecimens.Parse("TD3");
        var printed = MrzSpecimens.Printed("TD3") with { BirthDate = new DateOnly(1974, 8, 13), Surname = "SMITH" };

        var findings = Checks.Evaluate(reading, MrzSpecimens.Today, PrintedZoneCrossCheck.Compare(reading, printed));

        Assert.Equal(
            [new("mrz_printed_mismatch", FindingSeverity.Review, "surname"), new("mrz_printed_mismatch", FindingSeverity.Review, "birth_date")],
            findings);
    }

    [Fact]
    public void An_ambiguous_document_number_is_reviewed_unless_the_printed_number_confirms_it()
    {
        var lines = MrzComposer.Compose(new MrzIdentity(
            MrzFormat.Td3, "P", "UTO", "Eriksson", "Anna Maria", "L868902C3", "UTO",
            new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2012, 4, 15)));
        var reading = MrzParser.Parse(lines, MrzSpecimens.Today)!;
        var printed = MrzSpecimens.Printed("TD3") with { DocumentNumber = "L868902C3" };

        Assert.Contains(new DocumentFinding("mrz_ambiguous", FindingSeverity.Review, "document_number"), Checks.Evaluate(reading, MrzSpecimens.Today));
        Assert.Empty(Checks.Evaluate(reading, MrzSpecimens.Today, PrintedZoneCrossCheck.Compare(reading, printed)));
    }

    [Fact]
    public void Findings_carry_no_names_numbers_or_dates()
    {
        var lines = MrzSpecimens.Lines["TD3"].ToArray();
        lines[1] = lines[1][..19] + "3" + lines[1][20..];
        var reading = MrzParser.Parse(lines, MrzSpecimens.Today)!;
        var printed = new PrintedZoneReading("SMITH", "JOHN", new DateOnly(1980, 1, 1), "X1", new DateOnly(2030, 1, 1));
        var findings = new DocumentChecks(new DocumentCheckOptions { MinimumAge = 99 })
            .Evaluate(reading, new DateOnly(2020, 1, 1), PrintedZoneCrossCheck.Compare(reading, printed));
        var text = string.Join("|", findings);

        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Matches("^[a-z_]+$", f.Code));
        Assert.All(findings, f => Assert.Matches("^[a-z_0-9]*$", f.Field ?? ""));
        foreach (var secret in new[] { "ERIKSSON", "ANNA", "L898902C3", "1974", "740812", "SMITH", "X1", "UTO" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
