using System.Globalization;
using System.Text;

namespace Verify.UnitTests.Documents;

/// <summary>Builds AAMVA barcode texts for the tests: header, a directory with computed offsets, then the subfiles.</summary>
internal sealed class AamvaBarcodeText
{
    public string FileType { get; init; } = "ANSI ";
    public string Iin { get; init; } = "636000";
    public int Version { get; init; } = 10;
    public int JurisdictionVersion { get; init; }

    /// <summary>The number of entries the header states; the number of subfiles when null.</summary>
    public int? Entries { get; init; }

    public List<Subfile> Subfiles { get; } = [];

    /// <summary>A subfile: the type written in the directory, the type written in the data, and the element texts.</summary>
    public sealed record Subfile(string Type, IReadOnlyList<string> Elements)
    {
        /// <summary>The type at the subfile's offset; <see cref="Type"/> when null.</summary>
        public string? DataType { get; init; }

        /// <summary>Added to the directory's length of this subfile.</summary>
        public int LengthError { get; init; }

        /// <summary>Added to the directory's offset of this subfile.</summary>
        public int OffsetError { get; init; }

        /// <summary>The body as written; elements joined by LF when null.</summary>
        public string? RawBody { get; init; }
    }

    /// <summary>A version 10 Virginia licence (IIN 636000) with every mandatory element, in US date order.</summary>
    public static IReadOnlyList<string> Version10Licence { get; } =
    [
        "DCAD", "DCBNONE", "DCDNONE", "DBA08142030", "DCSSAMPLE", "DACJANE", "DADANN", "DBD08142022", "DBB01311990",
        "DBC2", "DAYBRO", "DAU065 IN", "DAG1 MAIN ST", "DAIRICHMOND", "DAJVA", "DAK232690000  ", "DAQT12345678",
        "DCFDOC0001", "DCGUSA", "DDEN", "DDFN", "DDGN",
    ];

    public AamvaBarcodeText With(string type, IEnumerable<string> elements)
    {
        Subfiles.Add(new Subfile(type, [.. elements]));
        return this;
    }

    public AamvaBarcodeText With(Subfile subfile)
    {
        Subfiles.Add(subfile);
        return this;
    }

    public string Build()
    {
        var header = new StringBuilder("@\n\u001e\r").Append(FileType).Append(Iin).Append(Number(Version, 2));
        if (Version >= 2)
        {
            header.Append(Number(JurisdictionVersion, 2));
        }

        header.Append(Number(Entries ?? Subfiles.Count, 2));
        var bodies = Subfiles.Select(s => (s.DataType ?? s.Type) + (s.RawBody ?? string.Join('\n', s.Elements)) + "\r").ToList();
        var offset = header.Length + (10 * Subfiles.Count);
        var directory = new StringBuilder();
        for (var i = 0; i < Subfiles.Count; i++)
        {
            directory.Append(Subfiles[i].Type).Append(Number(offset + Subfiles[i].OffsetError, 4))
                .Append(Number(bodies[i].Length + Subfiles[i].LengthError, 4));
            offset += bodies[i].Length;
        }

        return header.Append(directory).Append(string.Concat(bodies)).ToString();
    }

    /// <summary>The elements of <paramref name="elements"/> with <paramref name="id"/>'s value replaced (or removed when null).</summary>
    public static IEnumerable<string> Replace(IEnumerable<string> elements, string id, string? value) =>
        elements.Select(e => e.StartsWith(id, StringComparison.Ordinal) ? value is null ? null : id + value : e).OfType<string>();

    private static string Number(int value, int digits) => value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
}
