using Verify.Documents.Aamva;
using Verify.Documents.Mrz;

namespace Verify.Documents.PrintedZone;

/// <summary>
/// Compares a licence front's printed fields with its AAMVA barcode: names fuzzily after folding both as the barcode
/// writes names (upper case A-Z, no punctuation), dates exactly, the number exactly but for OCR look-alikes.
/// </summary>
public static class BarcodeCrossCheck
{
    /// <summary>The agreement of each field of <paramref name="printed"/> with <paramref name="barcode"/>.</summary>
    public static PrintedZoneComparison Compare(AamvaDocument barcode, PrintedZoneReading printed)
    {
        ArgumentNullException.ThrowIfNull(barcode);
        ArgumentNullException.ThrowIfNull(printed);
        var givenNames = $"{barcode.GivenNames.Value} {barcode.MiddleNames.Value}";
        return new PrintedZoneComparison(
            Names(printed.Surname, barcode.FamilyName.Value, initials: false),
            Names(printed.GivenNames, givenNames, initials: true),
            PrintedZoneCrossCheck.Exact(printed.BirthDate, barcode.BirthDate.Date),
            printed.DocumentNumber is null ? FieldAgreement.Missing
                : PrintedZoneCrossCheck.DocumentNumbers(Alphanumeric(printed.DocumentNumber), Alphanumeric(barcode.DocumentNumber.Value)),
            PrintedZoneCrossCheck.Exact(printed.ExpiryDate, barcode.ExpiryDate.Date));
    }

    /// <summary>
    /// Given names may be printed shorter than encoded: a middle name as its initial ("JOHN A") or left out ("JOHN"). Those
    /// are <see cref="FieldAgreement.Near"/> when every printed word is the encoded word at its place or its initial.
    /// </summary>
    private static FieldAgreement Names(string? printed, string encoded, bool initials)
    {
        var printedName = printed is null ? "" : Fold(printed);
        var encodedName = Fold(encoded);
        if (printedName.Length == 0 || encodedName.Length == 0)
        {
            return FieldAgreement.Missing;
        }

        var agreement = PrintedZoneCrossCheck.Names(printedName, encodedName);
        if (agreement != FieldAgreement.Mismatch || !initials)
        {
            return agreement;
        }

        var printedWords = printedName.Split(' ');
        var encodedWords = encodedName.Split(' ');
        // The first given name must be printed in full: an initial there would vouch for almost any name.
        bool shortened = printedWords.Length <= encodedWords.Length && printedWords[0] == encodedWords[0]
            && printedWords.Zip(encodedWords).All(pair => pair.First == pair.Second || (pair.First.Length == 1 && pair.Second.StartsWith(pair.First, StringComparison.Ordinal)));
        return shortened ? FieldAgreement.Near : agreement;
    }

    /// <summary>
    /// A name as AAMVA barcodes write names, A-Z and spaces: letters with diacritics as ICAO transliterates them (the
    /// same as for the MRZ; an issuer that wrote Ü as U leaves one letter of difference, within the tolerance),
    /// apostrophes dropped, other punctuation (hyphens, commas, periods) as spaces.
    /// </summary>
    internal static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return MrzComposer.Transliterate(text).Replace('<', ' ');
    }

    // Licence numbers are printed with spaces or hyphens that the barcode may not have (and the other way round).
    private static string Alphanumeric(string value) => string.Concat(value.Where(char.IsLetterOrDigit)).ToUpperInvariant();
}
