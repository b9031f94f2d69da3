using Verify.Documents.Checks;
using Verify.Documents.Mrz;
using Verify.Documents.PrintedZone;

namespace Verify.UnitTests.Documents;

/// <summary>
/// Every single-character substitution of every specimen is repaired, caught by a check digit or field rule, flagged,
/// or belongs to one of the exemptions below, each of which names what does catch it.
/// </summary>
public sealed class MrzSubstitutionTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

    private static readonly DocumentChecks CountryCheck = new(new DocumentCheckOptions { AllowSpecimenCodes = true });

    [Theory]
    [MemberData(nameof(MrzSpecimens.Names), MemberType = typeof(MrzSpecimens))]
    public void Every_single_character_substitution_is_repaired_caught_flagged_or_explicitly_exempt(string specimen)
    {
        var original = MrzSpecimens.Lines[specimen];
        var map = MrzSpecimens.Parse(specimen);
        var unexplained = new List<string>();
        var exempt = new Dictionary<string, int>();
        for (var line = 0; line < original.Length; line++)
        {
            for (var position = 0; position < original[line].Length; position++)
            {
                foreach (var substitute in Alphabet.Where(c => c != original[line][position]))
                {
                    var lines = original.ToArray();
                    lines[line] = lines[line][..position] + substitute + lines[line][(position + 1)..];
                    var reading = MrzParser.Parse(lines, MrzSpecimens.Today);
                    if (reading is null || !reading.IsValid || reading.Flags.Count > 0 || reading.Lines.SequenceEqual(original))
                    {
                        continue;
                    }

                    var reason = Exemption(specimen, map, reading, line, position);
                    if (reason is null)
                    {
                        unexplained.Add($"line {line + 1} position {position}: '{original[line][position]}' -> '{substitute}'");
                    }
                    else
                    {
                        exempt[reason] = exempt.GetValueOrDefault(reason) + 1;
                    }
                }
            }
        }

        // The exemptions are real, not hypothetical: name substitutions always reach the printed-zone rule.
        Assert.Contains("name: printed-zone cross-check", exempt.Keys);
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} substitutions went unnoticed:\n{string.Join("\n", unexplained.Take(40))}");
    }

    /// <summary>
    /// Why an undetected substitution is acceptable, or null if it is not. The MRZ alone cannot see:
    /// (1) a letter or filler for another in the name: the printed-zone cross-check sees it, and this method asserts so;
    /// (2) one valid document code for another (I, A, C on cards; any letter or filler second);
    /// (3) a three-letter code turned into another real code; one that is not a real code is caught here by the country-code check;
    /// (4) M, F, X and filler for one another in the sex field, which no check digit covers;
    /// (5) in a check-digit-covered alphanumeric field, a character whose value differs by a multiple of 10
    ///     (1/B/L/V, 0/&lt;/A/K/U ...): 7-3-1 weights modulo 10 cannot see it; a document number so changed is caught by
    ///     the exact printed-zone document number, asserted here;
    /// (6) visa optional data, which Doc 9303 gives no check digit.
    /// </summary>
    private static string? Exemption(string specimen, MrzReading specimenReading, MrzReading reading, int line, int position)
    {
        var field = FieldAt(specimenReading.Format, line, position);
        var was = MrzSpecimens.Lines[specimen][line][position];
        var now = reading.Lines[line][position];
        var comparison = PrintedZoneCrossCheck.Compare(reading, MrzSpecimens.Printed(specimen));
        switch (field)
        {
            case MrzFieldName.Name when now is (>= 'A' and <= 'Z') or '<':
                Assert.False(
                    comparison.Surname == FieldAgreement.Agree && comparison.GivenNames == FieldAgreement.Agree,
                    $"name substitution at line {line + 1} position {position} passed the printed-zone cross-check");
                return "name: printed-zone cross-check";
            case MrzFieldName.DocumentCode when position == 1 || "IAC".Contains(now, StringComparison.Ordinal):
                return "document code: another valid code";
            case MrzFieldName.IssuingState or MrzFieldName.Nationality:
                var code = field == MrzFieldName.IssuingState ? reading.IssuingState.Value : reading.Nationality.Value;
                if (IcaoCountryCodes.IsKnown(code, allowSpecimen: true))
                {
                    return "code: another real code";
                }

                Assert.Contains(CountryCheck.Evaluate(reading, MrzSpecimens.Today), f => f.Code is "unknown_issuing_state" or "unknown_nationality");
                return "code: caught by the country-code check";
            case MrzFieldName.Sex when now is 'M' or 'F' or 'X' or '<':
                return "sex: another valid value";
            case MrzFieldName.DocumentNumber or MrzFieldName.OptionalData1 or MrzFieldName.OptionalData2
                when (field == MrzFieldName.DocumentNumber || !IsVisa(specimenReading.Format))
                    && MrzCheckDigit.ValueOf(now) % 10 == MrzCheckDigit.ValueOf(was) % 10:
                if (field == MrzFieldName.DocumentNumber)
                {
                    Assert.Equal(FieldAgreement.Mismatch, comparison.DocumentNumber);
                }

                return "check digit blind to a difference of 10";
            case MrzFieldName.OptionalData1 when IsVisa(specimenReading.Format):
                return "visa optional data: no check digit";
            default:
                return null;
        }
    }

    private static bool IsVisa(MrzFormat format) => format is MrzFormat.MrvA or MrzFormat.MrvB;

    // Which field a position belongs to; check digit positions belong to no field and are never exempt.
    private static MrzFieldName? FieldAt(MrzFormat format, int line, int position)
    {
        var layout = new Dictionary<MrzFormat, (MrzFieldName Name, int Line, int Start, int Length)[]>
        {
            [MrzFormat.Td1] =
            [
                (MrzFieldName.DocumentCode, 0, 0, 2), (MrzFieldName.IssuingState, 0, 2, 3), (MrzFieldName.DocumentNumber, 0, 5, 9),
                (MrzFieldName.OptionalData1, 0, 15, 15), (MrzFieldName.Sex, 1, 7, 1), (MrzFieldName.Nationality, 1, 15, 3),
                (MrzFieldName.OptionalData2, 1, 18, 11), (MrzFieldName.Name, 2, 0, 30),
            ],
        };
        var length = MrzLayout.LineLength(format);
        var optionalLength = format switch { MrzFormat.Td3 => 14, MrzFormat.Td2 => 7, _ => length - 28 };
        var fields = layout.GetValueOrDefault(format) ??
        [
            (MrzFieldName.DocumentCode, 0, 0, 2), (MrzFieldName.IssuingState, 0, 2, 3), (MrzFieldName.Name, 0, 5, length - 5),
            (MrzFieldName.DocumentNumber, 1, 0, 9), (MrzFieldName.Nationality, 1, 10, 3), (MrzFieldName.Sex, 1, 20, 1),
            (MrzFieldName.OptionalData1, 1, 28, optionalLength),
        ];
        return fields.Where(f => f.Line == line && position >= f.Start && position < f.Start + f.Length)
            .Select(f => (MrzFieldName?)f.Name)
            .FirstOrDefault();
    }
}
