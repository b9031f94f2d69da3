namespace Verify.Documents.Mrz;

/// <summary>Where an MRZ's data sits and whether its check digits pass: the cells that parsing, repairs and the reading share.</summary>
internal static class MrzCells
{
    /// <summary>Every cell that can only hold a digit: the dates and the check digits.</summary>
    public static IEnumerable<(int Line, int Index)> Numeric(MrzFieldMap map) =>
        map.Slots.Where(slot => slot.Class == MrzCharClass.Numeric).Select(slot => slot.Span)
            .Concat(map.Slots.Select(slot => slot.CheckDigit).OfType<MrzSpan>())
            .Concat(map.Composite is { } composite ? [composite] : [])
            .SelectMany(span => Enumerable.Range(span.Start, span.Length).Select(index => (span.Line, index)));

    /// <summary>The cells of a field that hold data: the document number includes a long TD1 number's continuation.</summary>
    public static List<(int Line, int Index)> DataCells(char[][] grid, MrzFieldMap map, MrzSlot slot)
    {
        var cells = Enumerable.Range(slot.Span.Start, slot.Span.Length).Select(i => (slot.Span.Line, i)).ToList();
        if (map.Format == MrzFormat.Td1 && LongTd1Number(grid) is { } number)
        {
            var continuation = Enumerable.Range(Td1OptionalStart, number.Continuation).Select(i => (0, i)).ToList();
            if (slot.Name == MrzFieldName.DocumentNumber)
            {
                cells.AddRange(continuation);
            }
            else if (slot.Name == MrzFieldName.OptionalData1)
            {
                cells.RemoveAll(continuation.Contains);
            }
        }

        return cells;
    }

    public static bool AllChecksPass(char[][] grid, MrzFieldMap map) =>
        map.Slots.All(s => OwnCheckPasses(grid, s)) && CompositePasses(grid, map);

    /// <summary>Where a TD1 card's optional data 1 starts on the first line.</summary>
    public const int Td1OptionalStart = 15;

    /// <summary>
    /// ICAO 9303 part 5 (TD1), a document number longer than nine characters: the first nine fill the number field, its
    /// check digit position holds a filler, and the rest of the number, its check digit over the whole number and a
    /// filler open the optional data. Null when the first line is not written that way.
    /// </summary>
    /// <returns>The whole number, its check digit, and how many optional-data cells the rest and the check digit take.</returns>
    public static (string Number, char Check, int Continuation)? LongTd1Number(char[][] grid)
    {
        var line = grid[0];
        if (grid.Length != 3 || line.Length != 30 || line[14] != '<' || Array.IndexOf(line, '<', 5, 9) >= 0)
        {
            return null;
        }

        int end = Array.IndexOf(line, '<', Td1OptionalStart);
        int continuation = (end < 0 ? line.Length : end) - Td1OptionalStart;
        return continuation < 2
            ? null
            : (new string(line, 5, 9) + new string(line, Td1OptionalStart, continuation - 1), line[Td1OptionalStart + continuation - 1], continuation);
    }

    public static bool OwnCheckPasses(char[][] grid, MrzSlot slot) =>
        slot.Name == MrzFieldName.DocumentNumber && LongTd1Number(grid) is { } number
            ? MrzCheckDigit.IsValid(number.Number, number.Check)
            : slot.CheckDigit is not { } digit || MrzCheckDigit.IsValid(slot.Span.Read(grid), grid[digit.Line][digit.Start]);

    public static bool CompositePasses(char[][] grid, MrzFieldMap map) =>
        map.Composite is not { } composite
        || MrzCheckDigit.IsValid(string.Concat(map.CompositeCovers.Select(s => s.Read(grid))), grid[composite.Line][composite.Start]);
}
