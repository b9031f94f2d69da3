using System.Text;
using Verify.Documents.Mrz;

namespace Verify.Synthetic;

/// <summary>Draws invented but plausible holders and documents from a random source.</summary>
/// <remarks>
/// The names are made up. Some carry diacritics, hyphens and apostrophes (to exercise transliteration), and some are
/// long enough to be truncated in the MRZ name field. Document numbers deliberately mix the characters OCR confuses,
/// unless the <see cref="DocumentNumberStyle.Production"/> style asks for the shapes issuers really print.
/// </remarks>
public static class IdentitySampler
{
    /// <summary>"Today" for synthetic documents: fixed, so that a seed gives the same documents on any day.</summary>
    public static DateOnly ReferenceDate { get; } = new(2025, 6, 1);

    /// <summary>The age <see cref="SampleValidOn"/> holders have reached: the service's default minimum age.</summary>
    public const int AdultAge = 18;

    private static readonly string[] Surnames =
    [
        "VALKENBORG", "MÜLLENHOFF", "DRAVELLI", "OKONJEREMI", "TANAGAWARA", "BRÆKSTAD", "ŁOZIŃSKA", "DE LA FUENTE-MARISCAL",
        "VAN DER HOOGVLIET", "O'MALLORAN", "SCHWARZENBACH-LÖWENSTEIN-ERLINGHAUSEN", "NAKAMORIBAYASHI", "PELLEGRINOTTI",
        "QUÉVRELLE", "ARGÜELLANO", "ÇELIKDEMIRCAN", "SZCZEPANOWICZ-BRZĘCZYKOWSKA", "ŠTEFANIČOVÁ", "FAIRWEATHERBY", "OYELARANDE",
        "MBEKWUNDE", "HALVORSTAD", "DUCHAMPIER", "RAVENSCROFT-DELACROIXVILLE", "GRØNBECKHUS", "ESTRELLADO", "KIRCHMEYERLING",
        "WÓJCIKOWIAK", "VENKATARAGHAVANAMURTHY", "ABOUBAKARIMWENE", "SANTOS-ÁLVAREZ DE LA VEGA", "THORNBERRIDGE", "BJÖRKLINDH",
        "CASTELNOVARO", "NGUYEN-TREMBLAYE", "LI", "OU", "KHÜRELBAATARSAIKHANBILEGT",
    ];

    private static readonly string[] GivenNames =
    [
        "ANNA", "JEAN-BAPTISTE", "MARÍA JOSÉ", "ZOË", "CHIDINMA", "HIROKO", "LUKAS", "SØREN", "FRANÇOIS", "ÉLODIE",
        "BARTHOLOMEW ALEXANDER", "OLUWASEUN", "PRIYA", "KRZYSZTOF", "ÅSA", "JOÃO PEDRO", "MARIE-CHRISTINE", "ANNELIESE",
        "GIOVANNI", "NGOZI", "ISABEL", "TOMÁŠ", "MAXIMILIAN FERDINAND GOTTFRIED", "SIOBHÁN", "KENJI", "LEÏLA", "ÖZGE",
        "WOJCIECH", "AMARACHI", "EMILY", "RAFAEL", "",
    ];

    private static readonly string[] Streets =
    [
        "AM KIRCHBERG", "RUE DES TILLEULS", "CALLE DEL OLMO", "MAPLE AVENUE", "ULICA LIPOWA", "VIA DEI CASTAGNI",
        "KANAALWEG", "BIRCH ROAD", "RUA DAS FLORES", "SJÖVÄGEN",
    ];

    private const string ConfusableLetters = "OISB";
    private const string OtherLetters = "ACDEFGHJKLMNPRTUVWXYZ";
    private const string ConfusableDigits = "0158";
    private const string OtherDigits = "234679";

    // L a letter, D a digit, A either: shapes seen on real documents, one of them shorter than the 9-character field.
    private static readonly string[] NumberPatterns = ["LLDDDDDDD", "LDDDDDDDD", "AAAAAAAAA", "DDDDDDDDD", "LLDDDDDD"];

    /// <summary>Draws one holder and document of the given MRZ format (TD1 or TD3), with a number in the hard style.</summary>
    public static SyntheticIdentity Sample(Random random, MrzFormat format) => Sample(random, format, DocumentNumberStyle.Hard, random);

    /// <summary>Draws one holder and document of the given MRZ format (TD1 or TD3), with a number in <paramref name="style"/>.</summary>
    /// <remarks>
    /// The hard number is drawn from <paramref name="random"/> in both styles, so that a seed gives the same holders in
    /// both; the production style then replaces it with one drawn from <paramref name="numbers"/>, which the hard style
    /// leaves untouched.
    /// </remarks>
    public static SyntheticIdentity Sample(Random random, MrzFormat format, DocumentNumberStyle style, Random numbers)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(numbers);
        var country = Pick(random, IssuingCountry.All);
        var birth = ReferenceDate.AddDays(-random.Next(17 * 365, 85 * 365));
        if (birth.Year < 1940)
        {
            birth = new DateOnly(1940, 1, 1).AddDays(random.Next(365));
        }

        // Issued up to 12 years ago, so that some documents have expired by the reference date.
        var issue = ReferenceDate.AddDays(-random.Next(0, 12 * 365));
        if (issue < birth.AddYears(1))
        {
            issue = birth.AddYears(1).AddDays(random.Next(365));
        }

        int years = issue < birth.AddYears(18) ? 5 : 10;
        var expiry = issue.AddYears(years).AddDays(-1);
        double sexDraw = random.NextDouble();
        var sex = sexDraw < 0.47 ? MrzSex.Male : sexDraw < 0.94 ? MrzSex.Female : MrzSex.Unspecified;
        string surname = Pick(random, Surnames), given = Pick(random, GivenNames);
        string optional = random.NextDouble() < 0.3 ? Digits(random, format == MrzFormat.Td3 ? 11 : 10) : "";
        string code = format == MrzFormat.Td3 ? "P" : random.NextDouble() < 0.3 ? "ID" : "I";
        string number = DocumentNumber(random);
        if (style == DocumentNumberStyle.Production)
        {
            number = IssuerDocumentNumbers.Draw(numbers, country.Code, format);
        }

        var mrz = new MrzIdentity(format, code, country.Code, surname, given, number, country.Code, birth, sex, expiry, optional);
        string city = Pick(random, country.Cities);
        string[] address =
        [
            $"{random.Next(1, 180)} {Pick(random, Streets)}",
            $"{random.Next(10000, 99999)} {Pick(random, country.Cities)}",
        ];
        return new SyntheticIdentity(mrz, country, Pick(random, country.Cities), issue, address, $"ISSUING OFFICE {city}");
    }

    /// <summary>
    /// Draws a holder of at least <see cref="AdultAge"/> whose document is valid on <paramref name="validOn"/>: the
    /// dates are drawn as by <see cref="Sample(Random, MrzFormat, DocumentNumberStyle, Random)"/> around <see cref="ReferenceDate"/> and moved by the days from there to
    /// <paramref name="validOn"/>; a draw that would then be expired or under age is drawn again from the same source,
    /// so a source seeded alike gives the same holder for the same date.
    /// </summary>
    /// <param name="random">The holder's random source.</param>
    /// <param name="format">TD1 or TD3.</param>
    /// <param name="validOn">The date on which the document is valid and the holder of age.</param>
    /// <param name="style">The document number's style (see <see cref="Sample(Random, MrzFormat, DocumentNumberStyle, Random)"/>).</param>
    /// <param name="numbers">The production-style number's random source; <paramref name="random"/> when null.</param>
    public static SyntheticIdentity SampleValidOn(Random random, MrzFormat format, DateOnly validOn,
        DocumentNumberStyle style = DocumentNumberStyle.Hard, Random? numbers = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        int shift = validOn.DayNumber - ReferenceDate.DayNumber;
        while (true)
        {
            var identity = Sample(random, format, style, numbers ?? random);
            var mrz = identity.Mrz with { BirthDate = identity.Mrz.BirthDate.AddDays(shift), ExpiryDate = identity.Mrz.ExpiryDate.AddDays(shift) };
            if (mrz.ExpiryDate >= validOn && mrz.BirthDate.AddYears(AdultAge) <= validOn)
            {
                return identity with { Mrz = mrz, IssueDate = identity.IssueDate.AddDays(shift) };
            }
        }
    }

    /// <summary>A hard-style document number: letters and digits with at least one of the characters OCR confuses (O/0, I/1, S/5, B/8).</summary>
    public static string DocumentNumber(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        string pattern = Pick(random, NumberPatterns);
        var number = new StringBuilder(pattern.Length);
        foreach (char kind in pattern)
        {
            bool letter = kind == 'L' || (kind == 'A' && random.Next(2) == 0);
            bool confusable = random.NextDouble() < 0.4;
            string pool = (letter, confusable) switch
            {
                (true, true) => ConfusableLetters,
                (true, false) => OtherLetters,
                (false, true) => ConfusableDigits,
                _ => OtherDigits,
            };
            number.Append(pool[random.Next(pool.Length)]);
        }

        if (number.ToString().AsSpan().IndexOfAny(ConfusableLetters + ConfusableDigits) < 0)
        {
            int position = random.Next(number.Length);
            number[position] = char.IsLetter(number[position])
                ? ConfusableLetters[random.Next(ConfusableLetters.Length)]
                : ConfusableDigits[random.Next(ConfusableDigits.Length)];
        }

        return number.ToString();
    }

    private static string Digits(Random random, int count)
    {
        var digits = new char[count];
        for (int i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }

        return new string(digits);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
