using Verify.Documents.Aamva;
using Verify.Documents.Checks;
using Verify.Documents.PrintedZone;

namespace Verify.UnitTests.Documents;

/// <summary>The document checks on a licence's barcode: what rejects, what a person looks at, and what passes.</summary>
public sealed class AamvaChecksTests
{
    private static readonly DocumentChecks Checks = new(new DocumentCheckOptions());
    private static readonly DateOnly Today = new(2026, 12, 4);

    [Fact]
    public void A_current_complete_licence_passes() => Assert.Empty(Checks.Evaluate(Read(), Today));

    [Fact]
    public void An_expired_licence_is_rejected() =>
        Assert.Contains(new DocumentFinding("document_expired", FindingSeverity.Reject, "expiry_date"), Checks.Evaluate(Read(), new DateOnly(2030, 8, 15)));

    [Fact]
    public void A_holder_under_the_minimum_age_is_rejected() =>
        Assert.Contains(new DocumentFinding("under_minimum_age", FindingSeverity.Reject, "birth_date"),
            Checks.Evaluate(Read(("DBB", "DBB06012010")), Today));

    [Theory]
    [InlineData("DAQ", "document_number")]
    [InlineData("DCS", "surname")]
    [InlineData("DBB", "birth_date")]
    [InlineData("DBA", "expiry_date")]
    public void A_missing_field_the_decision_rests_on_is_rejected(string element, string field) =>
        Assert.Contains(new DocumentFinding("invalid_field", FindingSeverity.Reject, field), Checks.Evaluate(Read((element, null)), Today));

    [Fact]
    public void An_impossible_birth_date_is_rejected_as_an_invalid_date() =>
        Assert.Contains(new DocumentFinding("invalid_date", FindingSeverity.Reject, "birth_date"), Checks.Evaluate(Read(("DBB", "DBB13451990")), Today));

    [Fact]
    public void A_missing_mandatory_element_the_decision_does_not_use_raises_nothing()
    {
        var reading = Read(("DDE", null));
        Assert.True(reading.Has(AamvaIssue.MissingMandatoryElement, "DDE"));
        Assert.Empty(Checks.Evaluate(reading, Today));
    }

    [Fact]
    public void An_issuer_outside_the_table_and_a_state_other_than_the_issuers_go_to_review()
    {
        Assert.Contains(new DocumentFinding("unknown_issuing_state", FindingSeverity.Review, "iin"), Checks.Evaluate(Read(iin: "990001"), Today));
        Assert.Contains(new DocumentFinding("barcode_jurisdiction_mismatch", FindingSeverity.Review, "jurisdiction"), Checks.Evaluate(Read(("DAJ", "DAJMD")), Today));
    }

    [Fact]
    public void A_printed_front_that_disagrees_with_the_barcode_goes_to_review_and_near_names_do_not()
    {
        var printed = new PrintedZoneComparison(FieldAgreement.Near, FieldAgreement.Agree, FieldAgreement.Mismatch, FieldAgreement.Missing, FieldAgreement.Agree);

        var findings = Checks.Evaluate(Read(), Today, printed);

        Assert.Equal([new DocumentFinding("barcode_printed_mismatch", FindingSeverity.Review, "birth_date")], findings);
    }

    /// <summary>The version 10 Virginia licence of <see cref="AamvaBarcodeText"/>, with elements replaced (or removed, for a null text).</summary>
    private static AamvaReading Read(params (string Element, string? Text)[] changes) => Read("636000", changes);

    private static AamvaReading Read(string iin, params (string Element, string? Text)[] changes)
    {
        var elements = AamvaBarcodeText.Version10Licence
            .Select(element => changes.FirstOrDefault(change => element.StartsWith(change.Element, StringComparison.Ordinal)) is { Element: not null } change ? change.Text : element)
            .OfType<string>();
        var parsed = AamvaParser.Parse(new AamvaBarcodeText { Iin = iin }.With("DL", elements).Build());
        return parsed.Reading ?? throw new InvalidOperationException($"The test barcode does not parse: {parsed}");
    }
}
