using Verify.Pipeline.Submissions;

namespace Verify.Pipeline.Impersonation;

/// <summary>
/// An impersonation report that passed every check, ready to store: the reported account, the subject it is said to
/// pretend to be, and its images (each decodes as a supported image within the limits), in the order sent.
/// </summary>
public sealed record ReportSubmission(string ReportedAccountId, string ClaimedSubjectId, IReadOnlyList<byte[]> Images)
{
    /// <summary>SHA-256 over the fields and every image, so a reused Idempotency-Key with other content is told apart.</summary>
    public byte[] RequestHash { get; } = ContentHash.Of($"impersonation_report\n{ReportedAccountId}\n{ClaimedSubjectId}\n",
        Images.Select((image, index) => ($"image:{index}", image)));

    // The images show a person: never printed.
    public override string ToString() => $"ReportSubmission {{ Images = {Images.Count} }}";
}
