using Verify.Documents.Aamva;
using Verify.Documents.Mrz;
using Verify.Documents.PrintedZone;

namespace Verify.Documents.Checks;

/// <summary>Judges a parsed MRZ, and optionally its printed-zone cross-check, against today's date and the check options.</summary>
public sealed class DocumentChecks(DocumentCheckOptions options)
{
    /// <summary>The finding for an MRZ whose OCR reading the check digits and glyphs leave open between look-alikes.</summary>
    public const string MrzAmbiguous = "mrz_ambiguous";

    /// <summary>The findings for <paramref name="reading"/>; empty when the document passes.</summary>
    public IReadOnlyList<DocumentFinding> Evaluate(MrzReading reading, DateOnly today, PrintedZoneComparison? printed = null)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var findings = new List<DocumentFinding>();
        void Add(string code, FindingSeverity severity, string? field = null) => AddOnce(findings, new DocumentFinding(code, severity, field));

        var failedChecks = reading.CheckDigits.Where(c => !c.Passed).Select(c => c.Check).ToHashSet();
        foreach (var check in failedChecks)
        {
            Add("check_digit_failed", FindingSeverity.Reject, CheckName(check));
        }

        foreach (var field in reading.Fields.Where(f => !f.IsValid))
        {
            if (reading.Has(MrzIssue.InvalidDate, field.Name))
            {
                Add("invalid_date", FindingSeverity.Reject, FieldName(field.Name));
            }
            else if (!IsExplainedByCheckDigit(field.Name, failedChecks))
            {
                Add("invalid_field", FindingSeverity.Reject, FieldName(field.Name));
            }
        }

        if (reading.IssuingState.IsValid && !IcaoCountryCodes.IsKnown(reading.IssuingState.Value, options.AllowSpecimenCodes))
        {
            // Review rather than reject: a code assigned after this list was written should not turn holders away.
            Add("unknown_issuing_state", FindingSeverity.Review, FieldName(MrzFieldName.IssuingState));
        }

        if (reading.Nationality.IsValid && !IcaoCountryCodes.IsKnown(reading.Nationality.Value, options.AllowSpecimenCodes))
        {
            Add("unknown_nationality", FindingSeverity.Review, FieldName(MrzFieldName.Nationality));
        }

        if (reading.ExpiryDate.Date is { } expiry && expiry < today)
        {
            Add("document_expired", FindingSeverity.Reject, FieldName(MrzFieldName.ExpiryDate));
        }

        if (reading.BirthDate.Date is { } birth && birth.AddYears(options.MinimumAge) > today)
        {
            Add("under_minimum_age", FindingSeverity.Reject, FieldName(MrzFieldName.BirthDate));
        }

        AddFlagFindings(reading, printed, Add);

        // A printed zone that disagrees with a valid MRZ may be OCR noise in the printed font or an altered page:
        // a person decides. Near names are OCR noise and raise nothing.
        foreach (var (field, agreement) in printed?.Fields ?? [])
        {
            if (agreement == FieldAgreement.Mismatch)
            {
                Add("mrz_printed_mismatch", FindingSeverity.Review, field);
            }
        }

        return findings;
    }

    /// <summary>
    /// The findings for a licence or ID card's barcode (<paramref name="reading"/>), and optionally the cross-check of the
    /// card's printed front with it; empty when the document passes.
    /// </summary>
    /// <remarks>
    /// The fields a decision rests on (family name, birth date, expiry, number) must be present and well formed, as the
    /// MRZ's must. Other missing mandatory elements reject nothing: jurisdictions' barcodes deviate from the standard
    /// in small ways, and those elements carry nothing the decision uses. An IIN outside the US and Canadian table, or
    /// one whose state or country disagrees with the address's, is for a person to look at.
    /// </remarks>
    public IReadOnlyList<DocumentFinding> Evaluate(AamvaReading reading, DateOnly today, PrintedZoneComparison? printed = null)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var findings = new List<DocumentFinding>();
        void Add(string code, FindingSeverity severity, string? field = null) => AddOnce(findings, new DocumentFinding(code, severity, field));

        var document = reading.Document;
        foreach (var (field, name) in EssentialBarcodeFields(document))
        {
            if (field.IsValid)
            {
                continue;
            }

            bool badDate = field.ElementId is { } id && reading.Has(AamvaIssue.InvalidDate, id);
            Add(badDate ? "invalid_date" : "invalid_field", FindingSeverity.Reject, name);
        }

        if (document.IssueDate.ElementId is { } issued && reading.Has(AamvaIssue.InvalidDate, issued))
        {
            Add("invalid_date", FindingSeverity.Review, "issue_date");
        }

        if (reading.Has(AamvaIssue.UnknownIin))
        {
            Add("unknown_issuing_state", FindingSeverity.Review, "iin");
        }

        if (reading.Has(AamvaIssue.JurisdictionMismatch) || reading.Has(AamvaIssue.CountryMismatch))
        {
            Add("barcode_jurisdiction_mismatch", FindingSeverity.Review, "jurisdiction");
        }

        if (document.ExpiryDate.Date is { } expiry && expiry < today)
        {
            Add("document_expired", FindingSeverity.Reject, "expiry_date");
        }

        if (document.BirthDate.Date is { } birth && birth.AddYears(options.MinimumAge) > today)
        {
            Add("under_minimum_age", FindingSeverity.Reject, "birth_date");
        }

        // The front printed otherwise than the barcode says may be OCR noise or an altered card: a person decides.
        foreach (var (field, agreement) in printed?.Fields ?? [])
        {
            if (agreement == FieldAgreement.Mismatch)
            {
                Add("barcode_printed_mismatch", FindingSeverity.Review, field);
            }
        }

        return findings;
    }

    private static void AddOnce(List<DocumentFinding> findings, DocumentFinding finding)
    {
        if (!findings.Contains(finding))
        {
            findings.Add(finding);
        }
    }

    private static IEnumerable<(AamvaField Field, string Name)> EssentialBarcodeFields(AamvaDocument document) =>
    [
        (document.FamilyName, "surname"), (document.BirthDate, "birth_date"), (document.ExpiryDate, "expiry_date"),
        (document.DocumentNumber, "document_number"),
    ];

    private static void AddFlagFindings(MrzReading reading, PrintedZoneComparison? printed, Action<string, FindingSeverity, string?> add)
    {
        // The printed document number, read by other means, settles what the MRZ check digit cannot.
        var numberConfirmed = printed?.DocumentNumber == FieldAgreement.Agree;
        foreach (var flag in reading.Flags)
        {
            var field = flag.Field is { } name ? FieldName(name) : null;
            switch (flag.Issue)
            {
                case MrzIssue.Ambiguous or MrzIssue.ZeroOrFiller or MrzIssue.ChosenByConfidence
                    when !(numberConfirmed && flag.Field == MrzFieldName.DocumentNumber):
                    add(MrzAmbiguous, FindingSeverity.Review, field);
                    break;
                case MrzIssue.CorrectedByCodeList:
                    add("mrz_country_code_corrected", FindingSeverity.Review, field);
                    break;
                case MrzIssue.DataAfterFiller when !IsCoveredByPassingCheckDigits(reading, flag.Field):
                    // Some issuers separate optional data with fillers: where passing check digits cover the field, it
                    // was read as printed and nothing is in doubt.
                    add("mrz_data_after_filler", FindingSeverity.Review, field);
                    break;
                case MrzIssue.DateIncomplete:
                    add("date_incomplete", FindingSeverity.Review, field);
                    break;
                case MrzIssue.UnreadableCharacter:
                    add("mrz_unreadable_character", FindingSeverity.Review, null);
                    break;
                case MrzIssue.LineLengthAdjusted:
                    add("mrz_line_length_adjusted", FindingSeverity.Review, null);
                    break;
                default:
                    // Normalised case and spaces, a truncated name and corrected confusions are expected on real documents.
                    break;
            }
        }
    }

    /// <summary>Whether check digits cover an optional data field (its own or the composite) and all of them pass.</summary>
    private static bool IsCoveredByPassingCheckDigits(MrzReading reading, MrzFieldName? field)
    {
        var covering = reading.CheckDigits.Where(check => check.Check == MrzCheck.Composite
            || (check.Check == MrzCheck.OptionalData && field == MrzFieldName.OptionalData1)).ToList();
        return field is MrzFieldName.OptionalData1 or MrzFieldName.OptionalData2 && covering.Count > 0 && covering.All(check => check.Passed);
    }

    private static bool IsExplainedByCheckDigit(MrzFieldName field, HashSet<MrzCheck> failed) => field switch
    {
        MrzFieldName.DocumentNumber => failed.Contains(MrzCheck.DocumentNumber),
        MrzFieldName.BirthDate => failed.Contains(MrzCheck.BirthDate),
        MrzFieldName.ExpiryDate => failed.Contains(MrzCheck.ExpiryDate),
        MrzFieldName.OptionalData1 => failed.Contains(MrzCheck.OptionalData),
        _ => false,
    };

    /// <summary>The snake_case name of an MRZ field, as findings carry it.</summary>
    public static string FieldName(MrzFieldName field) => field switch
    {
        MrzFieldName.DocumentCode => "document_code",
        MrzFieldName.IssuingState => "issuing_state",
        MrzFieldName.DocumentNumber => "document_number",
        MrzFieldName.Nationality => "nationality",
        MrzFieldName.BirthDate => "birth_date",
        MrzFieldName.Sex => "sex",
        MrzFieldName.ExpiryDate => "expiry_date",
        MrzFieldName.OptionalData1 => "optional_data_1",
        MrzFieldName.OptionalData2 => "optional_data_2",
        MrzFieldName.Name => "name",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>The snake_case name of an MRZ check digit, as check_digit_failed findings carry it.</summary>
    public static string CheckName(MrzCheck check) => check switch
    {
        MrzCheck.DocumentNumber => "document_number",
        MrzCheck.BirthDate => "birth_date",
        MrzCheck.ExpiryDate => "expiry_date",
        MrzCheck.OptionalData => "optional_data",
        MrzCheck.Composite => "composite",
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, null),
    };
}
