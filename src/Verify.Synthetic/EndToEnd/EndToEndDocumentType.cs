namespace Verify.Synthetic.EndToEnd;

/// <summary>What identity document a generated submission carries, and how the service reads it.</summary>
public enum EndToEndDocumentType
{
    /// <summary>A TD3 passport data page, photographed: its MRZ.</summary>
    Passport,

    /// <summary>A TD1 identity card, front and back photographed: the MRZ on its back.</summary>
    IdCard,

    /// <summary>A US or Canadian driver's licence, front and back photographed: the AAMVA PDF417 on its back.</summary>
    Licence,

    /// <summary>An ePassport's chip as a phone reads it over NFC: DG1, DG2 and the SOD, no photo.</summary>
    Chip,
}

/// <summary>Names of the <see cref="EndToEndDocumentType"/>s.</summary>
public static class EndToEndDocumentTypes
{
    /// <summary>Every type, in the order reports list them.</summary>
    public static IReadOnlyList<EndToEndDocumentType> All { get; } = Enum.GetValues<EndToEndDocumentType>();

    /// <summary>passport, id_card, licence, chip.</summary>
    public static string ToName(this EndToEndDocumentType type) => type switch
    {
        EndToEndDocumentType.Passport => "passport",
        EndToEndDocumentType.IdCard => "id_card",
        EndToEndDocumentType.Licence => "licence",
        EndToEndDocumentType.Chip => "chip",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a document type."),
    };

    /// <summary>Parses names separated by commas (e.g. <c>passport,id_card</c>), in the order given.</summary>
    /// <exception cref="FormatException">A name is not a type's, or none is given.</exception>
    public static IReadOnlyList<EndToEndDocumentType> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var types = new List<EndToEndDocumentType>();
        foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var type = All.Cast<EndToEndDocumentType?>().FirstOrDefault(t => t!.Value.ToName() == name)
                ?? throw new FormatException($"'{name}' is not a document type; use {string.Join(", ", All.Select(t => t.ToName()))}.");
            types.Add(type);
        }

        return types.Count > 0 ? types : throw new FormatException("Name at least one document type.");
    }
}
