using System.Text.RegularExpressions;

namespace Verify.Api;

/// <summary>What a subject id may be: the platform's opaque id, ASCII, short enough to index and to log safely.</summary>
internal static partial class SubjectIds
{
    public const string Rule = "subject_id is 1 to 128 characters of A-Z, a-z, 0-9 and . _ : @ -.";

    public static bool IsValid(string? subjectId) => subjectId is not null && Pattern().IsMatch(subjectId);

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}$")]
    private static partial Regex Pattern();
}
