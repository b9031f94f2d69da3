using Verify.Documents.Mrz;
using Verify.Documents.PrintedZone;

namespace Verify.UnitTests.Documents;

/// <summary>The ICAO Doc 9303 specimen MRZs and what their printed zones show.</summary>
internal static class MrzSpecimens
{
    /// <summary>A date at which the specimens were current: every date is in the right century and none has expired.</summary>
    public static readonly DateOnly Today = new(2010, 1, 1);

    public static readonly IReadOnlyDictionary<string, string[]> Lines = new Dictionary<string, string[]>
    {
        ["TD3"] = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
        ["TD1"] = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
        ["TD2"] = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
        ["MRV-A"] = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
        ["MRV-B"] = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"],
    };

    public static TheoryData<string> Names => [.. Lines.Keys];

    /// <summary>The printed zone of the specimen, as the printed-zone parser would return it.</summary>
    public static PrintedZoneReading Printed(string specimen) => specimen switch
    {
        "TD3" => new("ERIKSSON", "ANNA MARIA", new(1974, 8, 12), "L898902C3", new(2012, 4, 15)),
        "TD1" or "TD2" => new("ERIKSSON", "ANNA MARIA", new(1974, 8, 12), "D23145890", new(2012, 4, 15)),
        _ => new("ERIKSSON", "ANNA MARIA", new(1940, 9, 7), "L8988901C", new(1996, 12, 10)),
    };

    public static MrzReading Parse(string specimen) =>
        MrzParser.Parse(Lines[specimen], Today) ?? throw new InvalidOperationException("The specimen did not parse.");
}
