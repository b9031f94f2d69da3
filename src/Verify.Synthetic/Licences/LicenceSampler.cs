using System.Text;
using Verify.Documents.Aamva;

namespace Verify.Synthetic.Licences;

/// <summary>Draws invented licence holders and licences: names, dates, a jurisdiction and the AAMVA version its barcode uses.</summary>
/// <remarks>
/// Names are upper-case ASCII with the hyphens, apostrophes and spaces licences carry; dates are drawn around
/// <see cref="IdentitySampler.ReferenceDate"/>, as the passports' are, or made valid on a given day.
/// </remarks>
public static class LicenceSampler
{
    private static readonly string[] FamilyNames =
    [
        "HARRINGTON", "OKAFOR", "NGUYEN", "MCALLISTER", "O'BRIEN", "DELACROIX-MARTIN", "VAN HOUTEN", "TREMBLAY", "GAGNON",
        "WASHINGTON", "KOWALCZYK", "RODRIGUEZ", "DE LA CRUZ", "BLACKWOOD", "ABERNATHY", "CHEN", "SINGH", "MACKENZIE",
        "FITZGERALD-HOLLOWAY", "LI", "ESPOSITO", "BERGSTROM", "YAMAMOTO", "WHITEHORSE", "ST. PIERRE", "LAFLEUR",
        "CUNNINGHAM-VANDERSLOOT", "OYELARAN", "PETROVSKI", "JOHANSSON",
    ];

    private static readonly string[] FirstNames =
    [
        "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH", "CHIDI",
        "GENEVIEVE", "MAXIMILIAN", "ZOE", "JEAN-LUC", "MARY-KATE", "KAI", "PRIYA", "DESHAWN", "ANASTASIA", "WEI",
        "CHRISTOPHER", "ISABELLA", "OLUWASEUN", "TY",
    ];

    private static readonly string[] MiddleNames = ["", "", "", "ANN", "LEE", "MARIE", "JAMES", "ALEXANDER", "JO", "RAY", "ELIZABETH"];

    private static readonly string[] Streets = ["MAIN ST", "OAK AVE", "MAPLE DR", "ELM ST", "PINE RD", "CEDAR LN", "LAKE SHORE BLVD", "HILLCREST WAY"];

    private static readonly string[] Eyes = ["BRO", "BLU", "GRN", "HAZ", "GRY", "BLK"];

    // Barcodes in the field are mostly of the 2013 to 2020 standards (versions 8 to 10); some older ones are still valid.
    private static readonly int[] VersionWeights = [0, 2, 3, 4, 5, 5, 5, 6, 20, 25, 25];

    /// <summary>Draws one holder and licence; dates around <see cref="IdentitySampler.ReferenceDate"/>, some expired.</summary>
    public static LicenceIdentity Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var issuer = Pick(random, LicenceJurisdiction.All);
        int version = Version(random);
        var reference = IdentitySampler.ReferenceDate;
        var birth = reference.AddDays(-random.Next(16 * 365, 85 * 365));
        // Issued up to eight years ago; a licence runs to the holder's birthday four to eight years on.
        var issue = reference.AddDays(-random.Next(0, 8 * 365));
        if (issue < birth.AddYears(16))
        {
            issue = birth.AddYears(16).AddDays(random.Next(200));
        }

        int years = random.Next(4, 9);
        var expiry = Birthday(birth, issue.Year + years);
        double sexDraw = random.NextDouble();
        // X (9) arrived with the 2016 standard's gender-neutral option; older barcodes carry 1 or 2 only.
        var sex = sexDraw < 0.48 ? AamvaSex.Male : sexDraw < 0.96 || version < 8 ? AamvaSex.Female : AamvaSex.NotSpecified;
        string family = Pick(random, FamilyNames), first = Pick(random, FirstNames), middle = Pick(random, MiddleNames);
        string number = Fill(random, issuer.NumberPattern);
        bool canadian = issuer.Country == "CAN";
        var address = (
            $"{random.Next(1, 9999)} {Pick(random, Streets)}",
            Pick(random, issuer.Cities),
            canadian ? PostalCode(random) : $"{random.Next(10000, 99999)}{random.Next(0, 10000):D4}  ");
        int inches = random.Next(58, 78);
        var physical = (Pick(random, Eyes), canadian ? $"{(int)Math.Round(inches * 2.54):D3} CM" : $"{inches:D3} IN");
        string vehicleClass = canadian ? Pick(random, ["G", "5", "G2", "C"]) : Pick(random, ["D", "C", "M", "DM"]);
        string discriminator = Fill(random, Pick(random, ["DDDDDDDDDDDDDDDD", "LDDDDDDDDDLL", "DDDDDDDDDD"]));
        return new LicenceIdentity(family, first, middle, birth, issue, expiry, number, sex, issuer, issuer.Iin, version,
            random.Next(0, 10), address, physical, vehicleClass, discriminator);
    }

    /// <summary>
    /// Draws a holder of at least <see cref="IdentitySampler.AdultAge"/> whose licence is valid on <paramref name="validOn"/>:
    /// drawn as by <see cref="Sample"/>, the dates moved by the days from the reference date to <paramref name="validOn"/>,
    /// and drawn again from the same source while expired or under age.
    /// </summary>
    public static LicenceIdentity SampleValidOn(Random random, DateOnly validOn)
    {
        ArgumentNullException.ThrowIfNull(random);
        int shift = validOn.DayNumber - IdentitySampler.ReferenceDate.DayNumber;
        while (true)
        {
            var identity = Sample(random);
            var moved = identity with
            {
                BirthDate = identity.BirthDate.AddDays(shift),
                IssueDate = identity.IssueDate.AddDays(shift),
                ExpiryDate = identity.ExpiryDate.AddDays(shift),
            };
            if (moved.ExpiryDate >= validOn && moved.BirthDate.AddYears(IdentitySampler.AdultAge) <= validOn && moved.IssueDate <= validOn)
            {
                return moved;
            }
        }
    }

    private static int Version(Random random)
    {
        int draw = random.Next(VersionWeights.Sum());
        for (int version = 1; version < VersionWeights.Length; version++)
        {
            draw -= VersionWeights[version];
            if (draw < 0)
            {
                return version;
            }
        }

        return VersionWeights.Length - 1;
    }

    /// <summary>The holder's birthday in <paramref name="year"/> (28 February for a 29 February birth outside leap years).</summary>
    private static DateOnly Birthday(DateOnly birth, int year) =>
        new(year, birth.Month, Math.Min(birth.Day, DateTime.DaysInMonth(year, birth.Month)));

    private static string PostalCode(Random random)
    {
        const string Letters = "ABCEGHJKLMNPRSTVXY";
        char L() => Letters[random.Next(Letters.Length)];
        char D() => (char)('0' + random.Next(10));
        return $"{L()}{D()}{L()} {D()}{L()}{D()}  ";
    }

    private static string Fill(Random random, string pattern)
    {
        var text = new StringBuilder(pattern.Length);
        foreach (char kind in pattern)
        {
            text.Append(kind switch
            {
                'L' => (char)('A' + random.Next(26)),
                'D' => (char)('0' + random.Next(10)),
                _ => kind,
            });
        }

        return text.ToString();
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
