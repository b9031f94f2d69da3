using Verify.Data.Entities;

namespace Verify.Pipeline.Submissions;

/// <summary>One image of a submission, checked: its bytes decode as a supported image within the limits.</summary>
public sealed record SubmittedImage(BlobKind Kind, int Sequence, byte[] Bytes)
{
    // The bytes are a person's image: never printed.
    public override string ToString() => $"SubmittedImage {{ Kind = {Kind}, Sequence = {Sequence}, Length = {Bytes.Length} }}";
}

/// <summary>
/// A submission that passed every check, ready to store: the consent's terms, the images, and the liveness challenge
/// nonce the frames answer, if any. <see cref="RequestHash"/> identifies its content for idempotent retries.
/// </summary>
public sealed record Submission(string SubjectId, bool TemplateStorage, string PolicyVersion, IReadOnlyList<SubmittedImage> Images,
    string? ChallengeNonce = null)
{
    /// <summary>SHA-256 over the fields and every image, so a reused Idempotency-Key with other content is told apart.</summary>
    public byte[] RequestHash { get; } = Hash(SubjectId, TemplateStorage, PolicyVersion, ChallengeNonce, Images);

    public override string ToString() => $"Submission {{ Images = {Images.Count}, TemplateStorage = {TemplateStorage}, Challenge = {ChallengeNonce is not null} }}";

    private static byte[] Hash(string subjectId, bool templateStorage, string policyVersion, string? challenge, IReadOnlyList<SubmittedImage> images) =>
        ContentHash.Of($"{subjectId}\n{templateStorage}\n{policyVersion}\n{(challenge is null ? "" : $"challenge:{challenge}\n")}",
            images.Select(image => ($"{image.Kind}:{image.Sequence}", image.Bytes)));
}
