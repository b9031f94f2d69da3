namespace Verify.Documents.Reading;

/// <summary>
/// What a submission offers as its identity document: photos of the document (its front, and its back for a card
/// or licence), the data groups read from its chip, or both.
/// </summary>
/// <param name="Front">The front photo (a passport's data page); null when only chip data were sent.</param>
/// <param name="Back">The back photo of a card or licence; null when none was sent.</param>
/// <param name="Chip">The chip's DG1, DG2 and SOD as the phone read them; null when none were sent.</param>
/// <remarks>Arrays rather than memory: a null array silently converts to an empty memory, which would read as a side that cannot be decoded.</remarks>
public sealed record DocumentEvidence(byte[]? Front, byte[]? Back = null, ChipEvidence? Chip = null)
{
    // Images and chip data are personal data: never printed.
    public override string ToString() => $"DocumentEvidence {{ Front = {Front is not null}, Back = {Back is not null}, Chip = {Chip is not null} }}";
}

/// <summary>The three files of an ePassport or eID chip that passive authentication needs, as read over NFC.</summary>
/// <param name="Dg1">Data group 1: the MRZ.</param>
/// <param name="Dg2">Data group 2: the holder's face image.</param>
/// <param name="Sod">The document security object: the issuer's signature over the data groups' hashes.</param>
public sealed record ChipEvidence(byte[] Dg1, byte[] Dg2, byte[] Sod)
{
    public override string ToString() => $"ChipEvidence {{ Dg1 = {Dg1.Length} B, Dg2 = {Dg2.Length} B, Sod = {Sod.Length} B }}";
}
