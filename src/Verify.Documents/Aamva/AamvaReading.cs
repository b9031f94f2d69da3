namespace Verify.Documents.Aamva;

/// <summary>Why a barcode text could not be read as an AAMVA DL/ID file at all.</summary>
public enum AamvaError
{
    /// <summary>The text does not start with the compliance indicator and separators ('@', LF, RS, CR).</summary>
    MissingHeader,

    /// <summary>The file type is neither "ANSI " nor the older "AAMVA".</summary>
    WrongFileType,

    /// <summary>The IIN, version, jurisdiction version or number of entries is not decimal digits.</summary>
    MalformedHeader,

    /// <summary>The AAMVA version is 0 (pre-standard) or not one this parser knows the rules of.</summary>
    UnsupportedVersion,

    /// <summary>The text ends inside the header or the subfile directory.</summary>
    Truncated,

    /// <summary>A subfile designator is not two upper-case letters, a four-digit offset and a four-digit length.</summary>
    MalformedDesignator,

    /// <summary>The number of entries disagrees with the designators actually present.</summary>
    EntryCountMismatch,

    /// <summary>A subfile's offset and length reach outside the data (or into the directory).</summary>
    SubfileOutOfRange,

    /// <summary>The data at a subfile's offset does not start with the type its designator names.</summary>
    SubfileTypeMismatch,

    /// <summary>The last byte of a subfile is not the segment terminator (CR): its length is wrong.</summary>
    SubfileUnterminated,

    /// <summary>A data element whose id is not three upper-case letters.</summary>
    InvalidElementId,

    /// <summary>No DL or ID subfile, so there is no holder data.</summary>
    NoDocumentSubfile,
}

/// <summary>One data element: its three-letter id and its value as encoded (personal data: never logged).</summary>
public sealed record AamvaElement(string Id, string Value)
{
    public override string ToString() => $"AamvaElement {{ Id = {Id} }}";
}

/// <summary>A subfile as its directory entry locates it; jurisdiction subfiles (Z*) keep only their raw text.</summary>
/// <param name="Type">Two letters: DL, ID, or a jurisdiction's Zx.</param>
/// <param name="Offset">Offset of the subfile from the start of the file, as the directory gives it.</param>
/// <param name="Length">Length of the subfile including its type and terminator.</param>
/// <param name="Elements">The data elements in order; empty for jurisdiction subfiles.</param>
/// <param name="Raw">The subfile's text after its type, without the terminator.</param>
public sealed record AamvaSubfile(string Type, int Offset, int Length, IReadOnlyList<AamvaElement> Elements, string Raw)
{
    /// <summary>Whether this is a jurisdiction-defined subfile (type Z*), whose content the standard leaves open.</summary>
    public bool IsJurisdictionSpecific => Type.StartsWith('Z');

    /// <summary>The value of the first element with <paramref name="id"/>, or null.</summary>
    public string? Find(string id) => Elements.FirstOrDefault(e => e.Id == id)?.Value;

    public override string ToString() => $"AamvaSubfile {{ Type = {Type}, Offset = {Offset}, Length = {Length}, Elements = {Elements.Count} }}";
}

/// <summary>A parsed AAMVA DL/ID barcode file: header, subfiles, the holder's document and what the checks found.</summary>
public sealed record AamvaReading
{
    /// <summary>"ANSI " or "AAMVA".</summary>
    public required string FileType { get; init; }

    /// <summary>The six-digit issuer identification number.</summary>
    public required string Iin { get; init; }

    /// <summary>The AAMVA version (1 = DL/ID-2000 ... 10 = 2020 standard).</summary>
    public required int Version { get; init; }

    /// <summary>The jurisdiction's own version; null for version 1, whose header has no such field.</summary>
    public required int? JurisdictionVersion { get; init; }

    public required IReadOnlyList<AamvaSubfile> Subfiles { get; init; }

    /// <summary>The holder and document fields from the first DL or ID subfile.</summary>
    public required AamvaDocument Document { get; init; }

    /// <summary>Missing mandatory elements, invalid values, jurisdiction mismatches.</summary>
    public required IReadOnlyList<AamvaFinding> Findings { get; init; }

    /// <summary>Whether a finding of <paramref name="issue"/> was raised, for <paramref name="elementId"/> when given.</summary>
    public bool Has(AamvaIssue issue, string? elementId = null) =>
        Findings.Any(f => f.Issue == issue && (elementId is null || f.ElementId == elementId));

    // Barcode data is personal data: ToString names the structure and the findings only.
    public override string ToString() =>
        $"AamvaReading {{ Version = {Version}, Subfiles = [{string.Join(", ", Subfiles.Select(s => s.Type))}], Findings = [{string.Join(", ", Findings)}] }}";
}

/// <summary>The outcome of <see cref="AamvaParser"/>: a reading, or the error that stopped it and where.</summary>
/// <param name="Reading">The reading; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the text is not a readable AAMVA file; null on success.</param>
/// <param name="Position">Character offset in the text where the error was detected (0 on success).</param>
public sealed record AamvaParseResult(AamvaReading? Reading, AamvaError? Error, int Position)
{
    public static AamvaParseResult Failed(AamvaError error, int position) => new(null, error, position);

    public override string ToString() =>
        Reading is { } reading ? $"AamvaParseResult {{ {reading} }}" : $"AamvaParseResult {{ Error = {Error}, Position = {Position} }}";
}
