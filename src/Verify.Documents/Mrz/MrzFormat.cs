namespace Verify.Documents.Mrz;

/// <summary>The machine readable zone layouts of ICAO Doc 9303.</summary>
public enum MrzFormat
{
    /// <summary>ID-1 size card: 3 lines of 30 characters (Doc 9303 part 5).</summary>
    Td1,

    /// <summary>ID-2 size card: 2 lines of 36 characters (Doc 9303 part 6).</summary>
    Td2,

    /// <summary>Passport data page: 2 lines of 44 characters (Doc 9303 part 4).</summary>
    Td3,

    /// <summary>Full-size machine readable visa: 2 lines of 44 characters (Doc 9303 part 7).</summary>
    MrvA,

    /// <summary>Small machine readable visa: 2 lines of 36 characters (Doc 9303 part 7).</summary>
    MrvB,
}

/// <summary>Line count and length of each <see cref="MrzFormat"/>.</summary>
public static class MrzLayout
{
    /// <summary>Every line length a format has, shortest first: 30 (TD1), 36 (TD2, MRV-B), 44 (TD3, MRV-A).</summary>
    public static IReadOnlyList<int> LineLengths { get; } =
        [.. Enum.GetValues<MrzFormat>().Select(LineLength).Distinct().Order()];

    /// <summary>The number of lines of a format.</summary>
    public static int LineCount(MrzFormat format) => format == MrzFormat.Td1 ? 3 : 2;

    /// <summary>The number of characters per line of a format.</summary>
    public static int LineLength(MrzFormat format) => format switch
    {
        MrzFormat.Td1 => 30,
        MrzFormat.Td2 or MrzFormat.MrvB => 36,
        MrzFormat.Td3 or MrzFormat.MrvA => 44,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
