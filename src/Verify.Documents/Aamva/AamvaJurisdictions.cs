namespace Verify.Documents.Aamva;

/// <summary>An issuing jurisdiction: its two-letter code and its country (USA or CAN).</summary>
public sealed record AamvaJurisdiction(string Code, string Country);

/// <summary>The issuer identification numbers (IIN) of the US and Canadian licence issuers.</summary>
public static class AamvaJurisdictions
{
    // From AAMVA's published IIN list (https://www.aamva.org/identity/issuer-identification-numbers-(iin)), as read
    // through the table in benhovinga/aamva_barcode_library (aamva/issuing_authority.py, updated 2023-12-29), with its
    // Colorado code corrected to CO and Newfoundland and Labrador written NL (its code since 2001). The US Department of
    // State (636027) issues no jurisdiction code, and the Mexican states on the list are left out: this parser reads US
    // and Canadian documents.
    private static readonly Dictionary<string, AamvaJurisdiction> ByIin = new()
    {
        ["604426"] = Canada("PE"), ["604427"] = Usa("AS"), ["604428"] = Canada("QC"), ["604429"] = Canada("YT"),
        ["604430"] = Usa("MP"), ["604431"] = Usa("PR"), ["604432"] = Canada("AB"), ["604433"] = Canada("NU"),
        ["604434"] = Canada("NT"),
        ["636000"] = Usa("VA"), ["636001"] = Usa("NY"), ["636002"] = Usa("MA"), ["636003"] = Usa("MD"),
        ["636004"] = Usa("NC"), ["636005"] = Usa("SC"), ["636006"] = Usa("CT"), ["636007"] = Usa("LA"),
        ["636008"] = Usa("MT"), ["636009"] = Usa("NM"), ["636010"] = Usa("FL"), ["636011"] = Usa("DE"),
        ["636012"] = Canada("ON"), ["636013"] = Canada("NS"), ["636014"] = Usa("CA"), ["636015"] = Usa("TX"),
        ["636016"] = Canada("NL"), ["636017"] = Canada("NB"), ["636018"] = Usa("IA"), ["636019"] = Usa("GU"),
        ["636020"] = Usa("CO"), ["636021"] = Usa("AR"), ["636022"] = Usa("KS"), ["636023"] = Usa("OH"),
        ["636024"] = Usa("VT"), ["636025"] = Usa("PA"), ["636026"] = Usa("AZ"), ["636028"] = Canada("BC"),
        ["636029"] = Usa("OR"), ["636030"] = Usa("MO"), ["636031"] = Usa("WI"), ["636032"] = Usa("MI"),
        ["636033"] = Usa("AL"), ["636034"] = Usa("ND"), ["636035"] = Usa("IL"), ["636036"] = Usa("NJ"),
        ["636037"] = Usa("IN"), ["636038"] = Usa("MN"), ["636039"] = Usa("NH"), ["636040"] = Usa("UT"),
        ["636041"] = Usa("ME"), ["636042"] = Usa("SD"), ["636043"] = Usa("DC"), ["636044"] = Canada("SK"),
        ["636045"] = Usa("WA"), ["636046"] = Usa("KY"), ["636047"] = Usa("HI"), ["636048"] = Canada("MB"),
        ["636049"] = Usa("NV"), ["636050"] = Usa("ID"), ["636051"] = Usa("MS"), ["636052"] = Usa("RI"),
        ["636053"] = Usa("TN"), ["636054"] = Usa("NE"), ["636055"] = Usa("GA"), ["636058"] = Usa("OK"),
        ["636059"] = Usa("AK"), ["636060"] = Usa("WY"), ["636061"] = Usa("WV"), ["636062"] = Usa("VI"),
    };

    /// <summary>Every IIN in the table.</summary>
    public static IReadOnlyCollection<string> Iins => ByIin.Keys;

    /// <summary>The jurisdiction that <paramref name="iin"/> belongs to, or null when it is not a US or Canadian issuer's.</summary>
    public static AamvaJurisdiction? Find(string iin) => ByIin.GetValueOrDefault(iin);

    private static AamvaJurisdiction Usa(string code) => new(code, "USA");

    private static AamvaJurisdiction Canada(string code) => new(code, "CAN");
}
