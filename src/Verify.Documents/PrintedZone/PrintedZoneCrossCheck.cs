using Verify.Documents.Mrz;

namespace Verify.Documents.PrintedZone;

/// <summary>Compares the printed zone with the MRZ: names fuzzily after transliteration, dates and the document number exactly.</summary>
public static class PrintedZoneCrossCheck
{
    /// <summary>The largest normalised edit distance at which two names still count as <see cref="FieldAgreement.Near"/>.</summary>
    public const double NameTolerance = 0.25;

    /// <summary>The agreement of each field of <paramref name="printed"/> with <paramref name="mrz"/>.</summary>
    public static PrintedZoneComparison Compare(MrzReading mrz, PrintedZoneReading printed)
    {
        ArgumentNullException.ThrowIfNull(mrz);
        ArgumentNullException.ThrowIfNull(printed);

        // Compose the printed name into an MRZ name field of the same length: transliteration and truncation then
        // happen exactly as they did on the document, and what is left is OCR noise or a real difference.
        var length = MrzFieldMap.For(mrz.Format)[MrzFieldName.Name].Span.Length;
        var composed = MrzName.Split(MrzComposer.NameField(printed.Surname ?? "", printed.GivenNames ?? "", length));
        return new PrintedZoneComparison(
            printed.Surname is null ? FieldAgreement.Missing : Names(composed.Surname, mrz.Surname),
            printed.GivenNames is null ? FieldAgreement.Missing : Names(composed.GivenNames, mrz.GivenNames),
            Exact(printed.BirthDate, mrz.BirthDate.Date),
            printed.DocumentNumber is null || mrz.DocumentNumber.Value.Length == 0
                ? FieldAgreement.Missing
                : printed.DocumentNumber == mrz.DocumentNumber.Value ? FieldAgreement.Agree : FieldAgreement.Mismatch,
            Exact(printed.ExpiryDate, mrz.ExpiryDate.Date));
    }

    private static FieldAgreement Names(string printed, string mrz) =>
        printed == mrz ? FieldAgreement.Agree
        : EditDistance.Normalised(printed, mrz) <= NameTolerance ? FieldAgreement.Near
        : FieldAgreement.Mismatch;

    private static FieldAgreement Exact(DateOnly? printed, DateOnly? mrz) =>
        printed is null || mrz is null ? FieldAgreement.Missing
        : printed == mrz ? FieldAgreement.Agree
        : FieldAgreement.Mismatch;
}
