using System.Text;
using Verify.Documents.Mrz;

namespace Verify.Synthetic;

/// <summary>How synthetic document numbers are drawn.</summary>
public enum DocumentNumberStyle
{
    /// <summary>Generic shapes with 40 % of positions an OCR look-alike (O/0, I/1, S/5, B/8): the hard set.</summary>
    Hard,

    /// <summary>The shapes and letter sets each issuer prints, so look-alikes appear only as often as they naturally do.</summary>
    Production,
}

/// <summary>Document numbers in the shapes the issuing states of <see cref="IssuingCountry.All"/> print, per document type.</summary>
/// <remarks>
/// The table is an approximation from public descriptions and specimens, not a specification: real series change over
/// time and some issuers reserve letters or prefixes not modelled here. Every number fits the 9-character MRZ field;
/// TD1 numbers longer than 9 characters (continued in the optional data) are deliberately absent.
/// </remarks>
public static class IssuerDocumentNumbers
{
    private const string Digits = "0123456789";
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    // Many issuers leave out I and O so that their numbers cannot be misread as 1 and 0.
    private const string LettersWithoutIO = "ABCDEFGHJKLMNPQRSTUVWXYZ";

    // The Netherlands leaves out only the letter O.
    private const string DutchLetters = "ABCDEFGHIJKLMNPQRSTUVWXYZ";

    // Germany uses digits and these consonants only: no vowels, and none of B, D, Q, S that read like digits.
    private const string GermanLetters = "CFGHJKLMNPRTVWXYZ";

    private static readonly Dictionary<(string Issuer, MrzFormat Format), Shape[]> Shapes = new()
    {
        // Germany: 9 characters; the first letter tells passports (C F G H J K) from identity cards (L to Z).
        [("D", MrzFormat.Td3)] = [new(("CFGHJK", 1), (GermanLetters + Digits, 8))],
        [("D", MrzFormat.Td1)] = [new(("LMNPRTVWXYZ", 1), (GermanLetters + Digits, 8))],

        // France: passports 2 digits, 2 letters, 5 digits; the 2021 identity card 9 letters and digits.
        [("FRA", MrzFormat.Td3)] = [new((Digits, 2), (Letters, 2), (Digits, 5))],
        [("FRA", MrzFormat.Td1)] = [new((LettersWithoutIO + Digits, 9))],

        // United Kingdom: passports 9 digits; no national identity card, so a residence permit's 2 letters and 7 digits.
        [("GBR", MrzFormat.Td3)] = [new((Digits, 9))],
        [("GBR", MrzFormat.Td1)] = [new((LettersWithoutIO, 2), (Digits, 7))],

        // Italy: passports 2 letters and 7 digits; the electronic identity card 2 letters, 5 digits, 2 letters.
        [("ITA", MrzFormat.Td3)] = [new((LettersWithoutIO, 2), (Digits, 7))],
        [("ITA", MrzFormat.Td1)] = [new((LettersWithoutIO, 2), (Digits, 5), (LettersWithoutIO, 2))],

        // Spain: 3 letters and 6 digits on passports and on the identity card (its support number).
        [("ESP", MrzFormat.Td3)] = [new((LettersWithoutIO, 3), (Digits, 6))],
        [("ESP", MrzFormat.Td1)] = [new((LettersWithoutIO, 3), (Digits, 6))],

        // Netherlands: 2 letters, 6 letters or digits, 1 digit, never the letter O.
        [("NLD", MrzFormat.Td3)] = [new((DutchLetters, 2), (DutchLetters + Digits, 6), (Digits, 1))],
        [("NLD", MrzFormat.Td1)] = [new((DutchLetters, 2), (DutchLetters + Digits, 6), (Digits, 1))],

        // Poland: passports 2 letters and 7 digits, identity cards 3 letters and 6 digits.
        [("POL", MrzFormat.Td3)] = [new((Letters, 2), (Digits, 7))],
        [("POL", MrzFormat.Td1)] = [new((Letters, 3), (Digits, 6))],

        // Canada: 2 letters and 6 digits, 8 characters, so the MRZ field ends in a filler; the card (a permanent
        // resident card) is given the same shape.
        [("CAN", MrzFormat.Td3)] = [new((LettersWithoutIO, 2), (Digits, 6))],
        [("CAN", MrzFormat.Td1)] = [new((LettersWithoutIO, 2), (Digits, 6))],

        // United States: passport books 9 digits, newer books A and 8 digits; the passport card C and 8 digits.
        [("USA", MrzFormat.Td3)] = [new((Digits, 9)), new(("A", 1), (Digits, 8))],
        [("USA", MrzFormat.Td1)] = [new(("C", 1), (Digits, 8))],

        // Brazil: 2 letters and 6 digits (8 characters).
        [("BRA", MrzFormat.Td3)] = [new((LettersWithoutIO, 2), (Digits, 6))],
        [("BRA", MrzFormat.Td1)] = [new((LettersWithoutIO, 2), (Digits, 6))],

        // India: 1 letter and 7 digits (8 characters); no identity card with an MRZ, so cards take the passport shape.
        [("IND", MrzFormat.Td3)] = [new((LettersWithoutIO, 1), (Digits, 7))],
        [("IND", MrzFormat.Td1)] = [new((LettersWithoutIO, 1), (Digits, 7))],

        // Japan: 2 letters and 7 digits; cards (residence cards) take the same shape.
        [("JPN", MrzFormat.Td3)] = [new((LettersWithoutIO, 2), (Digits, 7))],
        [("JPN", MrzFormat.Td1)] = [new((LettersWithoutIO, 2), (Digits, 7))],

        // Nigeria: 1 letter and 8 digits; cards take the same shape.
        [("NGA", MrzFormat.Td3)] = [new((LettersWithoutIO, 1), (Digits, 8))],
        [("NGA", MrzFormat.Td1)] = [new((LettersWithoutIO, 1), (Digits, 8))],

        // Sweden: 8 digits on passports and identity cards.
        [("SWE", MrzFormat.Td3)] = [new((Digits, 8))],
        [("SWE", MrzFormat.Td1)] = [new((Digits, 8))],
    };

    /// <summary>A number in one of the shapes <paramref name="issuer"/> prints on documents of <paramref name="format"/> (TD1 or TD3).</summary>
    /// <exception cref="ArgumentException">The issuer or format has no shapes in the table.</exception>
    public static string Draw(Random random, string issuer, MrzFormat format)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Shapes.TryGetValue((issuer, format), out var shapes))
        {
            throw new ArgumentException($"No document number shapes for issuer {issuer} and format {format}.", nameof(issuer));
        }

        var shape = shapes[random.Next(shapes.Length)];
        var number = new StringBuilder(9);
        foreach (var (characters, count) in shape.Runs)
        {
            for (int i = 0; i < count; i++)
            {
                number.Append(characters[random.Next(characters.Length)]);
            }
        }

        return number.ToString();
    }

    /// <summary>One shape of number: runs of positions, each drawing from one character set.</summary>
    private sealed record Shape(params (string Characters, int Count)[] Runs);
}
