namespace Verify.Synthetic;

/// <summary>A real issuing state used for synthetic documents: its MRZ code and the words printed on its documents.</summary>
/// <param name="Code">The code as the MRZ writes it (Germany is "D", everyone else the ICAO three-letter code).</param>
/// <param name="Name">The state's name, as printed in the header.</param>
/// <param name="Nationality">The nationality, as printed in the nationality field.</param>
/// <param name="Cities">Places of birth and issue.</param>
public sealed record IssuingCountry(string Code, string Name, string Nationality, IReadOnlyList<string> Cities)
{
    /// <summary>
    /// The states drawn from. UTO (Utopia) is deliberately absent: it is the Doc 9303 specimen code, and a reader
    /// must be tested on the codes it will meet.
    /// </summary>
    public static IReadOnlyList<IssuingCountry> All { get; } =
    [
        new("D", "FEDERAL REPUBLIC OF GERMANY", "GERMAN", ["BERLIN", "MÜNCHEN", "KÖLN", "DÜSSELDORF", "GÖRLITZ"]),
        new("FRA", "RÉPUBLIQUE FRANÇAISE", "FRENCH", ["PARIS", "LYON", "MARSEILLE", "SAINT-ÉTIENNE", "ORLÉANS"]),
        new("GBR", "UNITED KINGDOM", "BRITISH CITIZEN", ["LONDON", "MANCHESTER", "CARDIFF", "EDINBURGH", "BELFAST"]),
        new("ITA", "REPUBBLICA ITALIANA", "ITALIAN", ["ROMA", "MILANO", "NAPOLI", "TORINO", "FORLÌ"]),
        new("ESP", "REINO DE ESPAÑA", "SPANISH", ["MADRID", "BARCELONA", "A CORUÑA", "MÁLAGA", "CÁDIZ"]),
        new("NLD", "KINGDOM OF THE NETHERLANDS", "DUTCH", ["AMSTERDAM", "ROTTERDAM", "'S-GRAVENHAGE", "UTRECHT", "EINDHOVEN"]),
        new("POL", "RZECZPOSPOLITA POLSKA", "POLISH", ["WARSZAWA", "KRAKÓW", "ŁÓDŹ", "GDAŃSK", "WROCŁAW"]),
        new("CAN", "CANADA", "CANADIAN", ["TORONTO", "MONTRÉAL", "VANCOUVER", "QUÉBEC", "HALIFAX"]),
        new("USA", "UNITED STATES OF AMERICA", "UNITED STATES OF AMERICA", ["NEW YORK", "CHICAGO", "HOUSTON", "SAN ANTONIO", "DENVER"]),
        new("BRA", "REPÚBLICA FEDERATIVA DO BRASIL", "BRAZILIAN", ["SÃO PAULO", "RIO DE JANEIRO", "BRASÍLIA", "BELÉM", "GOIÂNIA"]),
        new("IND", "REPUBLIC OF INDIA", "INDIAN", ["MUMBAI", "NEW DELHI", "BENGALURU", "CHENNAI", "KOLKATA"]),
        new("JPN", "JAPAN", "JAPANESE", ["TOKYO", "OSAKA", "KYOTO", "SAPPORO", "FUKUOKA"]),
        new("NGA", "FEDERAL REPUBLIC OF NIGERIA", "NIGERIAN", ["LAGOS", "ABUJA", "KANO", "IBADAN", "PORT HARCOURT"]),
        new("SWE", "KONUNGARIKET SVERIGE", "SWEDISH", ["STOCKHOLM", "GÖTEBORG", "MALMÖ", "UPPSALA", "VÄSTERÅS"]),
    ];
}
