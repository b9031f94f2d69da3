using Verify.Documents.Aamva;

namespace Verify.Synthetic.Licences;

/// <summary>A US state, territory or Canadian province as a synthetic licence shows it.</summary>
/// <param name="Code">Two-letter code (DAJ).</param>
/// <param name="Country">USA or CAN.</param>
/// <param name="Name">The name printed as the card's title.</param>
/// <param name="Iin">Its issuer identification number, from <see cref="AamvaJurisdictions"/>.</param>
/// <param name="NumberPattern">The licence number's shape: L a letter, D a digit, anything else as written.</param>
/// <param name="Cities">Cities for the address.</param>
public sealed record LicenceJurisdiction(string Code, string Country, string Name, string Iin, string NumberPattern, IReadOnlyList<string> Cities)
{
    // Names and number shapes. The shapes follow what the jurisdictions are known to print (California a letter and
    // seven digits, New York nine digits, Ontario a letter and fourteen digits, Quebec a letter and twelve digits...);
    // the rest get one of a few common shapes. The numbers themselves are random.
    private static readonly Dictionary<string, (string Name, string Pattern)> Known = new()
    {
        ["AL"] = ("ALABAMA", "DDDDDDD"), ["AK"] = ("ALASKA", "DDDDDDD"), ["AZ"] = ("ARIZONA", "LDDDDDDDD"),
        ["AR"] = ("ARKANSAS", "DDDDDDDDD"), ["CA"] = ("CALIFORNIA", "LDDDDDDD"), ["CO"] = ("COLORADO", "DDDDDDDDD"),
        ["CT"] = ("CONNECTICUT", "DDDDDDDDD"), ["DE"] = ("DELAWARE", "DDDDDDD"), ["DC"] = ("DISTRICT OF COLUMBIA", "DDDDDDD"),
        ["FL"] = ("FLORIDA", "LDDDDDDDDDDDD"), ["GA"] = ("GEORGIA", "DDDDDDDDD"), ["HI"] = ("HAWAII", "LDDDDDDDD"),
        ["ID"] = ("IDAHO", "LLDDDDDDL"), ["IL"] = ("ILLINOIS", "LDDDDDDDDDDD"), ["IN"] = ("INDIANA", "DDDDDDDDDD"),
        ["IA"] = ("IOWA", "DDDLLDDDD"), ["KS"] = ("KANSAS", "LDDDDDDDD"), ["KY"] = ("KENTUCKY", "LDDDDDDDD"),
        ["LA"] = ("LOUISIANA", "DDDDDDDDD"), ["ME"] = ("MAINE", "DDDDDDD"), ["MD"] = ("MARYLAND", "LDDDDDDDDDDDD"),
        ["MA"] = ("MASSACHUSETTS", "LDDDDDDDD"), ["MI"] = ("MICHIGAN", "LDDDDDDDDDDDD"), ["MN"] = ("MINNESOTA", "LDDDDDDDDDDDD"),
        ["MS"] = ("MISSISSIPPI", "DDDDDDDDD"), ["MO"] = ("MISSOURI", "LDDDDDDDDD"), ["MT"] = ("MONTANA", "DDDDDDDDDDDDD"),
        ["NE"] = ("NEBRASKA", "LDDDDDDDD"), ["NV"] = ("NEVADA", "DDDDDDDDDD"), ["NH"] = ("NEW HAMPSHIRE", "DDLLLDDDDD"),
        ["NJ"] = ("NEW JERSEY", "LDDDDDDDDDDDDDD"), ["NM"] = ("NEW MEXICO", "DDDDDDDDD"), ["NY"] = ("NEW YORK", "DDDDDDDDD"),
        ["NC"] = ("NORTH CAROLINA", "DDDDDDDDDDDD"), ["ND"] = ("NORTH DAKOTA", "LLLDDDDDD"), ["OH"] = ("OHIO", "LLDDDDDD"),
        ["OK"] = ("OKLAHOMA", "LDDDDDDDDD"), ["OR"] = ("OREGON", "DDDDDDD"), ["PA"] = ("PENNSYLVANIA", "DDDDDDDD"),
        ["RI"] = ("RHODE ISLAND", "DDDDDDD"), ["SC"] = ("SOUTH CAROLINA", "DDDDDDDDD"), ["SD"] = ("SOUTH DAKOTA", "DDDDDDDD"),
        ["TN"] = ("TENNESSEE", "DDDDDDDDD"), ["TX"] = ("TEXAS", "DDDDDDDD"), ["UT"] = ("UTAH", "DDDDDDDDD"),
        ["VT"] = ("VERMONT", "DDDDDDDD"), ["VA"] = ("VIRGINIA", "LDDDDDDDD"), ["WA"] = ("WASHINGTON", "LLLLLLLDDDLD"),
        ["WV"] = ("WEST VIRGINIA", "LDDDDDD"), ["WI"] = ("WISCONSIN", "LDDDDDDDDDDDDD"), ["WY"] = ("WYOMING", "DDDDDDDDD"),
        ["AS"] = ("AMERICAN SAMOA", "DDDDDDD"), ["GU"] = ("GUAM", "LDDDDDDDDDDDDD"), ["MP"] = ("NORTHERN MARIANA ISLANDS", "DDDDDDD"),
        ["PR"] = ("PUERTO RICO", "DDDDDDD"), ["VI"] = ("VIRGIN ISLANDS", "DDDDDDDDD"),
        ["AB"] = ("ALBERTA", "DDDDDD-DDD"), ["BC"] = ("BRITISH COLUMBIA", "DDDDDDD"), ["MB"] = ("MANITOBA", "LLLLLLLDDDLL"),
        ["NB"] = ("NEW BRUNSWICK", "DDDDDDD"), ["NL"] = ("NEWFOUNDLAND AND LABRADOR", "LDDDDDDDDD"), ["NS"] = ("NOVA SCOTIA", "LLLLLDDDDDDDDD"),
        ["NT"] = ("NORTHWEST TERRITORIES", "DDDDDD"), ["NU"] = ("NUNAVUT", "DDDDDD"), ["ON"] = ("ONTARIO", "LDDDD-DDDDD-DDDDD"),
        ["PE"] = ("PRINCE EDWARD ISLAND", "DDDDDD"), ["QC"] = ("QUÉBEC", "LDDDDDDDDDDDD"), ["SK"] = ("SASKATCHEWAN", "DDDDDDDD"),
        ["YT"] = ("YUKON", "DDDDDD"),
    };

    private static readonly string[] UsCities =
        ["SPRINGFIELD", "RIVERSIDE", "FAIRVIEW", "FRANKLIN", "GREENVILLE", "BRISTOL", "CLINTON", "MADISON", "GEORGETOWN", "SALEM"];

    private static readonly string[] CanadianCities = ["RIVERVIEW", "LAKESHORE", "MAPLE RIDGE", "PORT HOPE", "SAINT-LAURENT", "FORT ALBERT"];

    /// <summary>Every jurisdiction of <see cref="AamvaJurisdictions"/>, ordered by IIN so that a seed draws the same one everywhere.</summary>
    // Declared after the tables it is built from: static fields initialise in order.
    public static IReadOnlyList<LicenceJurisdiction> All { get; } = Build();

    private static LicenceJurisdiction[] Build() =>
        [.. AamvaJurisdictions.Iins.Order(StringComparer.Ordinal).Select(iin =>
        {
            var issuer = AamvaJurisdictions.Find(iin)!;
            var (name, pattern) = Known[issuer.Code];
            return new LicenceJurisdiction(issuer.Code, issuer.Country, name, iin, pattern, issuer.Country == "CAN" ? CanadianCities : UsCities);
        })];
}
