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
            DocumentNumbers(printed.DocumentNumber, mrz.DocumentNumber.Value),
            Exact(printed.ExpiryDate, mrz.ExpiryDate.Date));
    }

    /// <summary>Agree when equal, near within <see cref="NameTolerance"/>, else mismatch.</summary>
    internal static FieldAgreement Names(string printed, string mrz) =>
        printed == mrz ? FieldAgreement.Agree
        : EditDistance.Normalised(printed, mrz) <= NameTolerance ? FieldAgreement.Near
        : FieldAgreement.Mismatch;

    /// <summary>
    /// Exact, except that a printed number differing from the MRZ's only by characters OCR confuses in print
    /// (0/O/D/Q, 1/I, 2/Z, 5/S, 8/B) is <see cref="FieldAgreement.Near"/>: for those pairs the MRZ check digit tells the
    /// readings apart, so it already vouches for the MRZ's. 6/G and 1/L are left exact: their values differ by 10,
    /// which the check digit cannot see, so the printed number is the only witness there. The licence cross-check uses
    /// the same rule against the barcode, whose error correction vouches for its number as the check digit does.
    /// </summary>
    internal static FieldAgreement DocumentNumbers(string? printed, string mrz)
    {
        if (printed is null || mrz.Length == 0)
        {
            return FieldAgreement.Missing;
        }

        if (printed == mrz)
        {
            return FieldAgreement.Agree;
        }

        return printed.Length == mrz.Length && printed.Zip(mrz).All(pair => LookAlike(pair.First) == LookAlike(pair.Second))
            ? FieldAgreement.Near
            : FieldAgreement.Mismatch;
    }

    private static char LookAlike(char c) => c switch
    {
        'O' or 'D' or 'Q' => '0',
        'I' => '1',
        'Z' => '2',
        'S' => '5',
        'B' => '8',
        _ => c,
    };

    /// <summary>Missing when either date is absent, else agree or mismatch.</summary>
    internal static FieldAgreement Exact(DateOnly? printed, DateOnly? mrz) =>
        printed is null || mrz is null ? FieldAgreement.Missing
        : printed == mrz ? FieldAgreement.Agree
        : FieldAgreement.Mismatch;
}
