using Verify.Documents.Mrz;
using Verify.Documents.Reading;
using Verify.Evaluation;

namespace Verify.Synthetic.EndToEnd;

/// <summary>
/// One generated submission as a client would send it: the document (photos of a card's or licence's front and back,
/// a passport page alone, or a chip's data groups) and one selfie, with what it is and the decision it should get.
/// </summary>
/// <param name="Index">The case's number in its run.</param>
/// <param name="Kind">What the submission is.</param>
/// <param name="DocumentFormat">TD1 card or TD3 passport page (the chip's DG1 is TD3); for a licence, TD1, the card size.</param>
/// <param name="DocumentFront">JPEG of the card's or licence's front or the passport page; null for chip data.</param>
/// <param name="DocumentBack">JPEG of the card's or licence's back; null for a passport page, chip data and an incomplete document.</param>
/// <param name="Selfie">PNG of the selfie as the camera encoded it (stored losslessly, so nothing is compressed twice).</param>
/// <param name="Variant">How an unusable selfie is unusable (no_face or dark), or how a document was tampered with; null otherwise.</param>
public sealed record EndToEndCase(int Index, EndToEndCaseKind Kind, MrzFormat DocumentFormat, byte[]? DocumentFront, byte[]? DocumentBack,
    byte[] Selfie, string? Variant = null)
{
    /// <summary>The document's type.</summary>
    public EndToEndDocumentType DocumentType { get; init; } = DocumentFormat == MrzFormat.Td3 ? EndToEndDocumentType.Passport : EndToEndDocumentType.IdCard;

    /// <summary>The chip's DG1, DG2 and SOD, for <see cref="EndToEndDocumentType.Chip"/>.</summary>
    public ChipEvidence? Chip { get; init; }

    /// <summary>The document as the pipeline takes it.</summary>
    public DocumentEvidence Document => new(DocumentFront, DocumentBack, Chip);

    public ExpectedDecision Expected => Kind.Expected();

    public override string ToString() => $"EndToEndCase {{ Index = {Index}, Kind = {Kind.ToName()}, DocumentType = {DocumentType.ToName()} }}";
}

/// <summary>What an end-to-end run generates: the documents' settings, the date they must be valid on, the mix of kinds, how many cases, and the selfie size.</summary>
public sealed record EndToEndCaseOptions
{
    /// <summary>Faces folder, capture effects, seed and the other document settings (its <c>ValidOn</c> is replaced by <see cref="ValidOn"/>).</summary>
    public required SyntheticGeneratorOptions Documents { get; init; }

    /// <summary>Every document is valid on this date and its holder of age then: the date the pipeline decides on.</summary>
    public required DateOnly ValidOn { get; init; }

    public EndToEndMix Mix { get; init; } = EndToEndMix.Default;

    /// <summary>
    /// The document types, in turn by case number (a kind that cannot use a type takes the nearest that it can: an
    /// incomplete document is a card's or licence's front alone, an unreadable one is photographed, a tampered one is a
    /// chip or a licence).
    /// </summary>
    public IReadOnlyList<EndToEndDocumentType> DocumentTypes { get; init; } = EndToEndDocumentTypes.All;

    public int Count { get; init; } = 300;

    /// <summary>
    /// The long side, in pixels, the face photo is enlarged to before the camera stage. LFW photos are 250 pixels
    /// square with faces below the service's 80-pixel minimum; phone selfies are far larger.
    /// </summary>
    public int SelfieSide { get; init; } = global::Verify.Synthetic.SelfieFraming.DefaultSide;

    /// <summary>
    /// The share of the face photo's width and height kept around its centre before enlarging, as a phone selfie is
    /// framed on its subject; 1 keeps the whole photo. LFW press photos are centred on one face but show bystanders at
    /// their edges, which the service counts as a second person (see docs/evaluation.md).
    /// </summary>
    public double SelfieFraming { get; init; } = global::Verify.Synthetic.SelfieFraming.DefaultShare;
}
