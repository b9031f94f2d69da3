using System.Text;

namespace Verify.Documents.Aamva;

/// <summary>
/// Reads the text a PDF417 reader returns from a US or Canadian driver's licence or ID card, per the AAMVA DL/ID Card
/// Design Standard (versions 1 to 10): header, subfile directory, subfiles and data elements, then the holder's fields.
/// </summary>
public static class AamvaParser
{
    // Compliance indicator '@', data element separator LF, record separator RS, segment terminator CR.
    private const string Preamble = "@\n\u001e\r";
    private const char ElementSeparator = '\n';
    private const char SegmentTerminator = '\r';
    private const int DesignatorLength = 10;
    private const int LatestVersion = 10;

    /// <summary>Parses the barcode's bytes; each byte is one character (ISO 8859-1), so the directory's offsets hold.</summary>
    public static AamvaParseResult Parse(ReadOnlySpan<byte> data) => Parse(Encoding.Latin1.GetString(data));

    /// <summary>Parses the barcode's text; a structural fault is an <see cref="AamvaError"/>, field problems are findings.</summary>
    public static AamvaParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Preamble, StringComparison.Ordinal))
        {
            return AamvaParseResult.Failed(AamvaError.MissingHeader, 0);
        }

        var header = ReadHeader(text);
        if (header.Error is { } headerError)
        {
            return AamvaParseResult.Failed(headerError, header.Position);
        }

        var directory = ReadDirectory(text, header.Position, header.Entries);
        if (directory.Error is { } directoryError)
        {
            return AamvaParseResult.Failed(directoryError, directory.Position);
        }

        var subfiles = new List<AamvaSubfile>();
        foreach (var designator in directory.Designators)
        {
            var read = ReadSubfile(text, designator, directory.Position);
            if (read.Error is { } subfileError)
            {
                return AamvaParseResult.Failed(subfileError, read.Position);
            }

            subfiles.Add(read.Subfile!);
        }

        if (subfiles.FirstOrDefault(s => s.Type is "DL" or "ID") is not { } documentSubfile)
        {
            return AamvaParseResult.Failed(AamvaError.NoDocumentSubfile, directory.Position);
        }

        var (document, findings) = AamvaDocumentReader.Read(header.Version, header.Iin, documentSubfile);
        var reading = new AamvaReading
        {
            FileType = header.FileType,
            Iin = header.Iin,
            Version = header.Version,
            JurisdictionVersion = header.JurisdictionVersion,
            Subfiles = subfiles,
            Document = document,
            Findings = findings,
        };
        return new AamvaParseResult(reading, null, 0);
    }

    private sealed record Header(string FileType, string Iin, int Version, int? JurisdictionVersion, int Entries, int Position, AamvaError? Error = null)
    {
        public static Header Failed(AamvaError error, int position) => new("", "", 0, null, 0, position, error);
    }

    // "@" LF RS CR, file type (5), IIN (6), AAMVA version (2), jurisdiction version (2, from version 2 on), entries (2).
    private static Header ReadHeader(string text)
    {
        var position = Preamble.Length;
        if (text.Length < position + 5)
        {
            return Header.Failed(AamvaError.Truncated, text.Length);
        }

        var fileType = text.Substring(position, 5);
        if (fileType is not ("ANSI " or "AAMVA"))
        {
            return Header.Failed(AamvaError.WrongFileType, position);
        }

        position += 5;
        if (text.Length < position + 8)
        {
            return Header.Failed(AamvaError.Truncated, text.Length);
        }

        var iin = text.Substring(position, 6);
        if (!IsDigits(iin) || ReadNumber(text, position + 6, 2) is not { } version)
        {
            return Header.Failed(AamvaError.MalformedHeader, position);
        }

        if (version is < 1 or > LatestVersion)
        {
            return Header.Failed(AamvaError.UnsupportedVersion, position + 6);
        }

        position += 8;
        int? jurisdictionVersion = null;
        if (version >= 2)
        {
            if (text.Length < position + 2)
            {
                return Header.Failed(AamvaError.Truncated, text.Length);
            }

            jurisdictionVersion = ReadNumber(text, position, 2);
            if (jurisdictionVersion is null)
            {
                return Header.Failed(AamvaError.MalformedHeader, position);
            }

            position += 2;
        }

        if (text.Length < position + 2)
        {
            return Header.Failed(AamvaError.Truncated, text.Length);
        }

        if (ReadNumber(text, position, 2) is not { } entries)
        {
            return Header.Failed(AamvaError.MalformedHeader, position);
        }

        if (entries == 0)
        {
            return Header.Failed(AamvaError.EntryCountMismatch, position);
        }

        return new Header(fileType, iin, version, jurisdictionVersion, entries, position + 2);
    }

    private sealed record Designator(string Type, int Offset, int Length);

    /// <summary>The designators; <see cref="Position"/> is the end of the directory, or where the error was found.</summary>
    private sealed record DirectoryRead(IReadOnlyList<Designator> Designators, int Position, AamvaError? Error = null);

    private static DirectoryRead ReadDirectory(string text, int start, int entries)
    {
        var designators = new List<Designator>();
        for (var i = 0; i < entries; i++)
        {
            var position = start + (i * DesignatorLength);

            // A designator that runs into the first subfile means the header counts more entries than there are.
            if (designators.Count > 0 && position + DesignatorLength > designators.Min(d => d.Offset))
            {
                return new DirectoryRead([], position, AamvaError.EntryCountMismatch);
            }

            if (text.Length < position + DesignatorLength)
            {
                return new DirectoryRead([], text.Length, AamvaError.Truncated);
            }

            if (ReadDesignator(text, position) is not { } designator)
            {
                return new DirectoryRead([], position, AamvaError.MalformedDesignator);
            }

            designators.Add(designator);
        }

        // A well-formed designator right after the counted ones, before any subfile starts, means the header counts too few.
        var end = start + (entries * DesignatorLength);
        if (designators.Min(d => d.Offset) >= end + DesignatorLength && ReadDesignator(text, end) is not null)
        {
            return new DirectoryRead([], end, AamvaError.EntryCountMismatch);
        }

        return new DirectoryRead(designators, end);
    }

    // Type (two upper-case letters), offset (4 digits), length (4 digits).
    private static Designator? ReadDesignator(string text, int position)
    {
        if (text.Length < position + DesignatorLength || !char.IsAsciiLetterUpper(text[position]) || !char.IsAsciiLetterUpper(text[position + 1]))
        {
            return null;
        }

        return ReadNumber(text, position + 2, 4) is { } offset && ReadNumber(text, position + 6, 4) is { } length
            ? new Designator(text.Substring(position, 2), offset, length)
            : null;
    }

    private sealed record SubfileRead(AamvaSubfile? Subfile, AamvaError? Error, int Position);

    private static SubfileRead ReadSubfile(string text, Designator designator, int directoryEnd)
    {
        var (type, offset, length) = designator;

        // Type and terminator at least; no subfile may start inside the header or the directory.
        if (offset < directoryEnd || offset >= text.Length || length < type.Length + 1)
        {
            return new SubfileRead(null, AamvaError.SubfileOutOfRange, Math.Min(offset, text.Length));
        }

        if (offset + length > text.Length)
        {
            // A text that stops short of a terminator was cut off; one that ends properly has a wrong length in its directory.
            var error = text[^1] == SegmentTerminator ? AamvaError.SubfileOutOfRange : AamvaError.Truncated;
            return new SubfileRead(null, error, text.Length);
        }

        if (string.CompareOrdinal(text, offset, type, 0, type.Length) != 0)
        {
            return new SubfileRead(null, AamvaError.SubfileTypeMismatch, offset);
        }

        var terminator = offset + length - 1;
        if (text[terminator] != SegmentTerminator)
        {
            return new SubfileRead(null, AamvaError.SubfileUnterminated, terminator);
        }

        var bodyStart = offset + type.Length;
        var raw = text[bodyStart..terminator];
        var subfile = new AamvaSubfile(type, offset, length, [], raw);
        if (subfile.IsJurisdictionSpecific)
        {
            // The standard leaves the content of jurisdiction subfiles to the jurisdiction: keep it as it is.
            return new SubfileRead(subfile, null, 0);
        }

        var elements = new List<AamvaElement>();
        var position = bodyStart;
        foreach (var piece in raw.Split(ElementSeparator))
        {
            // Empty pieces come from a separator straight after the type or before the terminator.
            if (piece.Length > 0)
            {
                if (piece.Length < 3 || piece.AsSpan(0, 3).ContainsAnyExceptInRange('A', 'Z'))
                {
                    return new SubfileRead(null, AamvaError.InvalidElementId, position);
                }

                elements.Add(new AamvaElement(piece[..3], piece[3..]));
            }

            position += piece.Length + 1;
        }

        return new SubfileRead(subfile with { Elements = elements }, null, 0);
    }

    private static int? ReadNumber(string text, int position, int digits)
    {
        var span = text.AsSpan(position, digits);
        return IsDigits(span) ? int.Parse(span, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static bool IsDigits(ReadOnlySpan<char> span) => !span.IsEmpty && !span.ContainsAnyExceptInRange('0', '9');
}
