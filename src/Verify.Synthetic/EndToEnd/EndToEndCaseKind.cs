using Verify.Evaluation;

namespace Verify.Synthetic.EndToEnd;

/// <summary>What a generated submission is: the holder themself, or one of the ways a submission should not be verified.</summary>
public enum EndToEndCaseKind
{
    /// <summary>The holder's document and a different photo of the holder, taken by an honest selfie camera.</summary>
    Genuine,

    /// <summary>The holder's document and a selfie of somebody else.</summary>
    Impostor,

    /// <summary>The holder's document and a printed photo of the holder held up to the camera.</summary>
    PrintSpoof,

    /// <summary>The holder's document and a photo of the holder shown on a screen held up to the camera.</summary>
    ScreenSpoof,

    /// <summary>A document photo so blurred that its MRZ cannot be read, with a genuine selfie.</summary>
    UnreadableDocument,

    /// <summary>An identity card sent with its front only (its MRZ is on the back), with a genuine selfie.</summary>
    IncompleteDocument,

    /// <summary>A selfie without a usable face (a bare surface, or far too dark), with the holder's document.</summary>
    UnusableSelfie,

    /// <summary>
    /// The holder's document altered after issue, with a genuine selfie: a chip with a changed data group or a forged,
    /// expired or revoked signer, or a licence whose printed front disagrees with its barcode.
    /// </summary>
    TamperedDocument,
}

/// <summary>Names, expectations and the attack flag of the <see cref="EndToEndCaseKind"/>s.</summary>
public static class EndToEndCaseKinds
{
    /// <summary>Every kind, in the order reports list them.</summary>
    public static IReadOnlyList<EndToEndCaseKind> All { get; } = Enum.GetValues<EndToEndCaseKind>();

    /// <summary>The snake_case name: genuine, impostor, print_spoof, screen_spoof, unreadable_document, incomplete_document, unusable_selfie, tampered_document.</summary>
    public static string ToName(this EndToEndCaseKind kind) => kind switch
    {
        EndToEndCaseKind.Genuine => "genuine",
        EndToEndCaseKind.Impostor => "impostor",
        EndToEndCaseKind.PrintSpoof => "print_spoof",
        EndToEndCaseKind.ScreenSpoof => "screen_spoof",
        EndToEndCaseKind.UnreadableDocument => "unreadable_document",
        EndToEndCaseKind.IncompleteDocument => "incomplete_document",
        EndToEndCaseKind.UnusableSelfie => "unusable_selfie",
        EndToEndCaseKind.TamperedDocument => "tampered_document",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an end-to-end case kind."),
    };

    /// <summary>The kind of that snake_case name; false for any other text.</summary>
    public static bool TryParse(string? name, out EndToEndCaseKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>
    /// What the product should decide: genuine cases are verified; an unusable selfie is rejected (the app asks for
    /// another); anything else must not be verified, whether rejected or sent to a person.
    /// </summary>
    public static ExpectedDecision Expected(this EndToEndCaseKind kind) => kind switch
    {
        EndToEndCaseKind.Genuine => ExpectedDecision.Verified,
        EndToEndCaseKind.UnusableSelfie => ExpectedDecision.Rejected,
        _ => ExpectedDecision.NotVerified,
    };

    /// <summary>Whether the kind is somebody passing as the holder or a forged document: verifying it is a false accept.</summary>
    public static bool IsAttack(this EndToEndCaseKind kind) =>
        kind is EndToEndCaseKind.Impostor or EndToEndCaseKind.PrintSpoof or EndToEndCaseKind.ScreenSpoof or EndToEndCaseKind.TamperedDocument;
}
