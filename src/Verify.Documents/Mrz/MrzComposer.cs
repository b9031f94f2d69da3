using System.Globalization;
using System.Text;

namespace Verify.Documents.Mrz;

/// <summary>Writes the MRZ lines of a document per ICAO Doc 9303, check digits included.</summary>
public static class MrzComposer
{
    /// <summary>The MRZ lines for <paramref name="identity"/>.</summary>
    /// <exception cref="ArgumentException">A field does not fit its MRZ field.</exception>
    public static string[] Compose(MrzIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var length = MrzLayout.LineLength(identity.Format);
        var code = Field(identity.DocumentCode, 2, nameof(MrzIdentity.DocumentCode));
        var state = Field(identity.IssuingState, 3, nameof(MrzIdentity.IssuingState));
        var number = Field(identity.DocumentNumber, 9, nameof(MrzIdentity.DocumentNumber));
        var nationality = Field(identity.Nationality, 3, nameof(MrzIdentity.Nationality));
        var birth = Date(identity.BirthDate);
        var expiry = Date(identity.ExpiryDate);
        var sex = identity.Sex switch { MrzSex.Male => "M", MrzSex.Female => "F", _ => "<" };
        var numberPart = number + MrzCheckDigit.ComputeChar(number);
        var birthPart = birth + MrzCheckDigit.ComputeChar(birth);
        var expiryPart = expiry + MrzCheckDigit.ComputeChar(expiry);

        if (identity.Format == MrzFormat.Td1)
        {
            var optional1 = Field(identity.OptionalData, 15, nameof(MrzIdentity.OptionalData));
            var optional2 = Field(identity.OptionalData2, 11, nameof(MrzIdentity.OptionalData2));
            var line1 = code + state + numberPart + optional1;
            var partial = birthPart + sex + expiryPart + nationality + optional2;
            var composite = MrzCheckDigit.ComputeChar(numberPart + optional1 + birthPart + expiryPart + optional2);
            return [line1, partial + composite, NameField(identity.Surname, identity.GivenNames, 30)];
        }

        var first = code + state + NameField(identity.Surname, identity.GivenNames, length - 5);
        // Line 2 holds 28 fixed characters, then optional data, its check digit (TD3 only) and the composite (not on visas).
        var optionalLength = length - 28 - identity.Format switch { MrzFormat.Td3 => 2, MrzFormat.Td2 => 1, _ => 0 };
        var optional = Field(identity.OptionalData, optionalLength, nameof(MrzIdentity.OptionalData));
        string second;
        if (IsVisa(identity.Format))
        {
            second = numberPart + nationality + birthPart + sex + expiryPart + optional;
        }
        else
        {
            var optionalPart = identity.Format == MrzFormat.Td3
                ? optional + MrzCheckDigit.ComputeChar(optional)
                : optional;
            var composite = MrzCheckDigit.ComputeChar(numberPart + birthPart + expiryPart + optionalPart);
            second = numberPart + nationality + birthPart + sex + expiryPart + optionalPart + composite;
        }

        return [first, second];
    }

    /// <summary>A name as MRZ characters per the Doc 9303 part 3 Latin transliteration (Ä as AE, Ñ as N, ß as SS),
    /// apostrophes removed and other separators written as single fillers.</summary>
    public static string Transliterate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 4);
        foreach (var c in name.ToUpperInvariant())
        {
            if (c is >= 'A' and <= 'Z')
            {
                builder.Append(c);
            }
            else if (c is '\'' or '\u2019')
            {
                continue;
            }
            else if (LatinTransliteration.TryGetValue(c, out var replacement))
            {
                builder.Append(replacement);
            }
            else if (builder.Length > 0 && builder[^1] != '<')
            {
                builder.Append('<');
            }
        }

        return builder.ToString().TrimEnd('<');
    }

    // Doc 9303 part 3, section 6: the recommended transliteration of Latin letters with diacritics.
    private static readonly Dictionary<char, string> LatinTransliteration = BuildLatinTransliteration();

    private static Dictionary<char, string> BuildLatinTransliteration()
    {
        var table = new Dictionary<char, string>
        {
            ['Ä'] = "AE", ['Å'] = "AA", ['Æ'] = "AE", ['Ö'] = "OE", ['Ø'] = "OE", ['Œ'] = "OE", ['Ü'] = "UE",
            ['ß'] = "SS", ['Þ'] = "TH", ['Ĳ'] = "IJ", ['Ð'] = "D", ['Đ'] = "D", ['Ł'] = "L", ['Ħ'] = "H", ['ı'] = "I",
        };
        foreach (var (letters, plain) in new[]
        {
            ("ÀÁÂÃĀĂĄ", "A"), ("ÇĆĈĊČ", "C"), ("ĎÐ", "D"), ("ÈÉÊËĒĔĖĘĚ", "E"), ("ĜĞĠĢ", "G"), ("ĤĦ", "H"),
            ("ÌÍÎÏĨĪĬĮİ", "I"), ("Ĵ", "J"), ("Ķ", "K"), ("ĹĻĽĿŁ", "L"), ("ÑŃŅŇ", "N"), ("ÒÓÔÕŌŎŐ", "O"),
            ("ŔŖŘ", "R"), ("ŚŜŞŠȘ", "S"), ("ŢŤŦȚ", "T"), ("ÙÚÛŨŪŬŮŰŲ", "U"), ("Ŵ", "W"), ("ÝŶŸ", "Y"), ("ŹŻŽ", "Z"),
        })
        {
            foreach (var letter in letters)
            {
                table.TryAdd(letter, plain);
            }
        }

        return table;
    }

    /// <summary>The name field: surname, two fillers, given names with single fillers, padded or truncated to <paramref name="length"/>.</summary>
    public static string NameField(string surname, string givenNames, int length)
    {
        var primary = Transliterate(surname);
        var secondary = Transliterate(givenNames);
        var name = secondary.Length == 0 ? primary : primary + "<<" + secondary;
        return name.Length >= length ? name[..length] : name.PadRight(length, '<');
    }

    private static bool IsVisa(MrzFormat format) => format is MrzFormat.MrvA or MrzFormat.MrvB;

    private static string Date(DateOnly date) => date.ToString("yyMMdd", CultureInfo.InvariantCulture);

    private static string Field(string value, int length, string name)
    {
        var text = value.ToUpperInvariant().Replace(' ', '<');
        if (text.Length > length || text.AsSpan().ContainsAnyExcept(MrzAlphabet))
        {
            throw new ArgumentException($"{name} must be at most {length} characters of A-Z, 0-9 and '<'.", name);
        }

        return text.PadRight(length, '<');
    }

    private static readonly System.Buffers.SearchValues<char> MrzAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<");
}
