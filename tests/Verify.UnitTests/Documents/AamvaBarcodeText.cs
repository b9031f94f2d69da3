using System.Globalization;
using System.Text;
using Verify.Synthetic.Licences;

namespace Verify.UnitTests.Documents;

/// <summary>AAMVA barcode texts for the parser tests: laid out by <see cref="AamvaComposer"/>, with the faults a test asks for.</summary>
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

    /// <summary>The file as <see cref="AamvaComposer.Assemble"/> lays it out, then spoilt as the subfiles and <see cref="Entries"/> ask.</summary>
    public string Build()
    {
        var subfiles = Subfiles.Select(s => new AamvaSubfileText(s.Type, s.RawBody ?? string.Join('\n', s.Elements))).ToList();
        var text = new StringBuilder(AamvaComposer.Assemble(FileType, Iin, Version, JurisdictionVersion, subfiles));
        // The directory is the ten characters per subfile before the subfiles' data, the entry count the two before it.
        int directory = text.Length - subfiles.Sum(s => s.Type.Length + s.Body.Length + 1) - (10 * subfiles.Count);
        if (Entries is { } entries)
        {
            Overwrite(text, directory - 2, Number(entries, 2));
        }

        for (var i = 0; i < Subfiles.Count; i++)
        {
            var subfile = Subfiles[i];
            int designator = directory + (10 * i);
            int offset = int.Parse(text.ToString(designator + 2, 4), CultureInfo.InvariantCulture);
            int length = int.Parse(text.ToString(designator + 6, 4), CultureInfo.InvariantCulture);
            if (subfile.DataType is { } dataType)
            {
                Overwrite(text, offset, dataType);
            }

            Overwrite(text, designator + 2, Number(offset + subfile.OffsetError, 4) + Number(length + subfile.LengthError, 4));
        }

        return text.ToString();
    }

    private static void Overwrite(StringBuilder text, int position, string value) => text.Remove(position, value.Length).Insert(position, value);

    /// <summary>The elements of <paramref name="elements"/> with <paramref name="id"/>'s value replaced (or removed when null).</summary>
    public static IEnumerable<string> Replace(IEnumerable<string> elements, string id, string? value) =>
        elements.Select(e => e.StartsWith(id, StringComparison.Ordinal) ? value is null ? null : id + value : e).OfType<string>();

    private static string Number(int value, int digits) => value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
}
