namespace Verify.Documents.Mrz;

/// <summary>The ICAO Doc 9303 part 3 check digit: weights 7, 3, 1 repeating, modulo 10.</summary>
public static class MrzCheckDigit
{
    /// <summary>The numeric value of an MRZ character: digits 0-9, A-Z 10-35, the filler 0; -1 if not an MRZ character.</summary>
    public static int ValueOf(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        '<' => 0,
        _ => -1,
    };

    /// <summary>The check digit of <paramref name="field"/>, or -1 if it holds a character that is not an MRZ character.</summary>
    public static int Compute(ReadOnlySpan<char> field)
    {
        var sum = 0;
        for (var i = 0; i < field.Length; i++)
        {
            var value = ValueOf(field[i]);
            if (value < 0)
            {
                return -1;
            }

            sum += value * (i % 3) switch { 0 => 7, 1 => 3, _ => 1 };
        }

        return sum % 10;
    }

    /// <summary>The check digit of <paramref name="field"/> as its MRZ character.</summary>
    public static char ComputeChar(ReadOnlySpan<char> field)
    {
        var digit = Compute(field);
        if (digit < 0)
        {
            throw new ArgumentException("The field holds a character outside A-Z, 0-9 and '<'.", nameof(field));
        }

        return (char)('0' + digit);
    }

    /// <summary>Whether <paramref name="check"/> is the check digit of <paramref name="field"/>.
    /// A filler check character is accepted only for an all-filler field, as Doc 9303 allows for empty optional data.</summary>
    public static bool IsValid(ReadOnlySpan<char> field, char check)
    {
        if (check == '<')
        {
            return !field.ContainsAnyExcept('<');
        }

        var digit = Compute(field);
        return digit >= 0 && check == (char)('0' + digit);
    }
}
