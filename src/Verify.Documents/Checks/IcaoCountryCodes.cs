namespace Verify.Documents.Checks;

/// <summary>The three-letter codes an MRZ may carry for issuing state and nationality: ISO 3166-1 alpha-3 plus the ICAO Doc 9303 part 3 codes.</summary>
public static class IcaoCountryCodes
{
    /// <summary>The ICAO specimen state, Utopia, found on the Doc 9303 sample documents only.</summary>
    public const string Specimen = "UTO";

    // ISO 3166-1 alpha-3, the officially assigned codes.
    private static readonly string[] Iso3166 =
    [
        "ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN",
        "BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN",
        "CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU",
        "DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR",
        "GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV",
        "HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM",
        "KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA",
        "MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM",
        "NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL",
        "PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE",
        "SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK",
        "TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB",
        "VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE",
    ];

    // Doc 9303 part 3: Germany's D, the British nationality classes, the UN and other issuing organisations,
    // the stateless, refugee and unspecified nationality codes, the EU laissez-passer and Kosovo.
    private static readonly string[] Icao =
    [
        "D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XPO",
        "XES", "XMP", "XOM", "XDC", "XXA", "XXB", "XXC", "XXX", "EUE", "RKS", "ANT", "NTZ",
    ];

    private static readonly HashSet<string> Known = new(Iso3166.SelectMany(line => line.Split(' ')).Concat(Icao), StringComparer.Ordinal);

    /// <summary>Every known code, in natural form (D, not D&lt;&lt;).</summary>
    public static IReadOnlyCollection<string> All => Known;

    /// <summary>Whether <paramref name="code"/> (natural form, or MRZ form with trailing fillers) is a known code;
    /// the specimen code counts only when <paramref name="allowSpecimen"/> is set.</summary>
    public static bool IsKnown(string code, bool allowSpecimen = false)
    {
        ArgumentNullException.ThrowIfNull(code);
        var natural = code.TrimEnd('<');
        return Known.Contains(natural) || (allowSpecimen && natural == Specimen);
    }
}
