using System.Globalization;

namespace Verify.Evaluation;

/// <summary>One line of an LFW pairs file: two images, of one person or of two.</summary>
public sealed record LfwPair(string FirstName, int FirstNumber, string SecondName, int SecondNumber, bool SamePerson)
{
    public string FirstImage => PairsFile.ImageName(FirstName, FirstNumber);

    public string SecondImage => PairsFile.ImageName(SecondName, SecondNumber);
}

/// <summary>
/// An LFW pairs file. The first line holds the number of pairs of each kind per fold, preceded by the number
/// of folds when there are several (View 2: "10 300"; View 1: "1100"). Each fold lists its same-person
/// pairs ("Name i j") and then its different-person pairs ("Name1 i Name2 j").
/// </summary>
public sealed record PairsFile(IReadOnlyList<IReadOnlyList<LfwPair>> Folds)
{
    public IEnumerable<LfwPair> Pairs => Folds.SelectMany(fold => fold);

    /// <summary>Relative path of an image: Name/Name_0001.jpg.</summary>
    public static string ImageName(string name, int number) =>
        Path.Combine(name, $"{name}_{number.ToString("D4", CultureInfo.InvariantCulture)}.jpg");

    public static PairsFile Load(string path) => Parse(File.ReadLines(path));

    public static PairsFile Parse(IEnumerable<string> lines)
    {
        using var reader = lines.GetEnumerator();
        int lineNumber = 1;
        if (!reader.MoveNext())
        {
            throw new FormatException("The pairs file is empty.");
        }

        var header = Split(reader.Current);
        (int folds, int perKind) = header.Length switch
        {
            1 => (1, ParseCount(header[0], lineNumber)),
            2 => (ParseCount(header[0], lineNumber), ParseCount(header[1], lineNumber)),
            _ => throw new FormatException($"Line 1: expected 'pairs' or 'folds pairs', got '{reader.Current}'."),
        };

        var result = new List<IReadOnlyList<LfwPair>>(folds);
        for (int fold = 0; fold < folds; fold++)
        {
            var pairs = new List<LfwPair>(2 * perKind);
            for (int i = 0; i < 2 * perKind; i++)
            {
                lineNumber++;
                if (!reader.MoveNext())
                {
                    throw new FormatException($"The pairs file ends at line {lineNumber - 1}; the header promises {folds} x {2 * perKind} pairs.");
                }

                bool same = i < perKind;
                var fields = Split(reader.Current);
                pairs.Add((same, fields.Length) switch
                {
                    (true, 3) => new LfwPair(fields[0], ParseCount(fields[1], lineNumber), fields[0], ParseCount(fields[2], lineNumber), true),
                    (false, 4) => new LfwPair(fields[0], ParseCount(fields[1], lineNumber), fields[2], ParseCount(fields[3], lineNumber), false),
                    _ => throw new FormatException(
                        $"Line {lineNumber}: expected a {(same ? "same-person pair 'Name i j'" : "different-person pair 'Name1 i Name2 j'")}, got '{reader.Current}'."),
                });
            }

            result.Add(pairs);
        }

        return new PairsFile(result);
    }

    private static string[] Split(string line) =>
        line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int ParseCount(string text, int lineNumber) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new FormatException($"Line {lineNumber}: '{text}' is not a positive whole number.");
}
