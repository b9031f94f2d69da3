using System.Text.RegularExpressions;

namespace Verify.Api;

/// <summary>What a subject id (or any opaque account id of the platform) may be: ASCII, short enough to index and to log safely.</summary>
internal static partial class SubjectIds
{
    public static readonly string Rule = RuleFor("subject_id");

    /// <summary>The rule, said of the field that holds the id (subject_id, claimed_subject_id, reported_account_id).</summary>
    public static string RuleFor(string field) => $"{field} is 1 to 128 characters of A-Z, a-z, 0-9 and . _ : @ -.";

    public static bool IsValid(string? subjectId) => subjectId is not null && Pattern().IsMatch(subjectId);

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}$")]
    private static partial Regex Pattern();
}
