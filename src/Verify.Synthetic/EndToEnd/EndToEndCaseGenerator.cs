using Verify.Documents.Chip;
using Verify.Documents.Mrz;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.Imaging.Codecs;
using Verify.Synthetic.Attacks;
using Verify.Synthetic.Chip;
using Verify.Synthetic.Licences;

namespace Verify.Synthetic.EndToEnd;

/// <summary>
/// Generates the submissions of an end-to-end run: case <c>i</c> carries document <c>i</c> of a
/// <see cref="SyntheticDocumentGenerator"/> run (valid on <see cref="EndToEndCaseOptions.ValidOn"/>) and a selfie made
/// from the LFW photos, as its kind (<see cref="EndToEndMix.Assign"/>) says. A case depends only on the options and
/// its index.
/// </summary>
/// <remarks>
/// Selfies: a face photo other than the one printed on the document (of the holder, or of someone else for an
/// impostor), enlarged to <see cref="EndToEndCaseOptions.SelfieSide"/> so the face is phone-sized, then taken by the
/// honest selfie camera or presented as a print or screen attack (enlarged first, so the attack's halftone or pixel
/// grid is drawn at the camera's resolution, as a sensor would record it). Not thread-safe; one generator per thread.
/// </remarks>
public sealed class EndToEndCaseGenerator : IDisposable
{
    // Random streams of a case beyond the document generator's (0 to 3): the selfie, the damage to the document, the chip.
    private const int SelfieStream = 16;
    private const int DocumentDamageStream = 17;
    private const int ChipStream = 18;

    // A chip's face: ICAO's 35:45 portrait at a size chips store (about 420 x 540), JPEG 2000 or JPEG.
    private const int ChipFaceWidth = 420;
    private const int ChipFaceHeight = 540;

    // How a tampered chip is made in a run: each gives its own reason.
    private static readonly ChipTamper[] ChipTampers =
    [
        ChipTamper.Dg1ByteChanged, ChipTamper.Dg2ByteChanged, ChipTamper.SignatureBroken, ChipTamper.ForgedSigner, ChipTamper.UnknownCsca,
        ChipTamper.ExpiredSigner, ChipTamper.RevokedSigner,
    ];

    // An unreadable document is photographed at this fraction of its size and enlarged back: the MRZ's characters
    // shrink to a few pixels and cannot be recovered.
    private const int UnreadableReduction = 16;

    private readonly EndToEndCaseOptions _options;
    private readonly SyntheticDocumentGenerator _documents;
    private readonly SyntheticLicenceGenerator _licences;
    private readonly PortraitLibrary _photos;
    private readonly PresentationAttackSimulator _attacks = new();
    private readonly ImageDecoder _decoder = new();

    public EndToEndCaseGenerator(EndToEndCaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SelfieSide, PresentationAttackSimulator.MinimumSide);
        _options = options;
        _photos = PortraitLibrary.Open(options.Documents.FacesFolder);
        _documents = new SyntheticDocumentGenerator(options.Documents with { ValidOn = options.ValidOn });
        _licences = new SyntheticLicenceGenerator(options.Documents with { ValidOn = options.ValidOn });
        if (options.DocumentTypes.Count == 0)
        {
            throw new ArgumentException("Name at least one document type.", nameof(options));
        }

        Kinds = options.Mix.Assign(options.Count, options.Documents.Seed);
        // Keys are made for the run, a day before the documents' date, so the signer is valid on it.
        ChipIssuer = SyntheticChipIssuer.Create(now: new DateTimeOffset(options.ValidOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1));
    }

    /// <summary>The run's test CSCA and Document Signer: the service must trust the CSCA (<see cref="SyntheticChipIssuer.WriteTrustStore"/>) to authenticate the run's chips.</summary>
    public SyntheticChipIssuer ChipIssuer { get; }

    /// <summary>The document type of case <paramref name="index"/>: the run's types in turn, as its kind allows (<see cref="EndToEndCaseOptions.DocumentTypes"/>).</summary>
    public EndToEndDocumentType DocumentTypeOf(int index)
    {
        var types = _options.DocumentTypes;
        var type = types[index % types.Count];
        return Kinds[index] switch
        {
            EndToEndCaseKind.IncompleteDocument => type == EndToEndDocumentType.Licence ? type : EndToEndDocumentType.IdCard,
            EndToEndCaseKind.UnreadableDocument when type == EndToEndDocumentType.Chip => EndToEndDocumentType.Passport,
            EndToEndCaseKind.TamperedDocument => type switch
            {
                EndToEndDocumentType.Passport => EndToEndDocumentType.Chip,
                EndToEndDocumentType.IdCard => EndToEndDocumentType.Licence,
                _ => type,
            },
            _ => type,
        };
    }

    public EndToEndCaseOptions Options => _options;

    /// <summary>The kind of each case of the run.</summary>
    public IReadOnlyList<EndToEndCaseKind> Kinds { get; }

    /// <summary>Generates case <paramref name="index"/> of the run.</summary>
    public EndToEndCase Generate(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Kinds.Count);
        var kind = Kinds[index];
        var type = DocumentTypeOf(index);
        var format = type == EndToEndDocumentType.Passport || type == EndToEndDocumentType.Chip ? MrzFormat.Td3 : MrzFormat.Td1;
        byte[]? front;
        byte[]? back;
        ChipEvidence? chip = null;
        FaceSource face;
        string? tampered = null;
        if (type == EndToEndDocumentType.Licence)
        {
            var licenceTamper = kind == EndToEndCaseKind.TamperedDocument ? LicenceTamper.PrintedBirthDate : LicenceTamper.None;
            var licence = _licences.Generate(index, licenceTamper);
            (front, back, face) = (licence.Front, licence.Back, licence.GroundTruth.Face);
            tampered = licenceTamper == LicenceTamper.None ? null : "printed_birth_date";
        }
        else
        {
            var document = _documents.Generate(index, format);
            face = document.GroundTruth.Face;
            front = document.Files[0].Jpeg;
            back = document.Files.Count > 1 ? document.Files[1].Jpeg : null;
            if (type == EndToEndDocumentType.Chip)
            {
                var chipRandom = new Random(StreamSeed(index, ChipStream));
                var tamper = kind == EndToEndCaseKind.TamperedDocument ? ChipTampers[chipRandom.Next(ChipTampers.Length)] : ChipTamper.None;
                chip = Chip(document.GroundTruth.Identity, face, tamper, chipRandom);
                (front, back) = (null, null);
                tampered = tamper == ChipTamper.None ? null : tamper.ToString();
            }
        }

        if (kind == EndToEndCaseKind.IncompleteDocument)
        {
            back = null;
        }
        else if (kind == EndToEndCaseKind.UnreadableDocument)
        {
            // The MRZ is on the passport page, or on the card's back; a licence's barcode on its back.
            var damage = new Random(StreamSeed(index, DocumentDamageStream));
            if (back is null)
            {
                front = Unreadable(front!, damage);
            }
            else
            {
                back = Unreadable(back, damage);
            }
        }

        var random = new Random(StreamSeed(index, SelfieStream));
        var photo = kind == EndToEndCaseKind.Impostor
            ? _photos.PickOtherThan(face.Person, random)
            : _photos.OtherPhotoOf(face.Person, face.File, random);
        using var original = _decoder.Decode(File.ReadAllBytes(photo.FullPath));
        using var enlarged = SelfieFraming.Prepare(original, _options.SelfieFraming, _options.SelfieSide);
        string? variant = null;
        RgbImage selfie;
        switch (kind)
        {
            case EndToEndCaseKind.PrintSpoof:
                selfie = _attacks.Simulate(enlarged, PresentationAttackType.Print, random);
                break;
            case EndToEndCaseKind.ScreenSpoof:
                selfie = _attacks.Simulate(enlarged, PresentationAttackType.ScreenReplay, random);
                break;
            case EndToEndCaseKind.UnusableSelfie:
                bool noFace = random.Next(2) == 0;
                variant = noFace ? "no_face" : "dark";
                selfie = noFace ? BareSurface(enlarged.Width, enlarged.Height, random) : Dark(enlarged, random);
                break;
            default:
                selfie = PresentationAttackSimulator.CaptureBonaFide(enlarged, random);
                break;
        }

        using (selfie)
        {
            return new EndToEndCase(index, kind, format, front, back, ImageEncoder.EncodePng(selfie), variant ?? tampered)
            {
                DocumentType = type,
                Chip = chip,
            };
        }
    }

    public void Dispose()
    {
        _documents.Dispose();
        _licences.Dispose();
        _attacks.Dispose();
        ChipIssuer.Dispose();
    }

    /// <summary>
    /// The holder's chip: DG1 from the document's MRZ, DG2 from the photo printed on it, cut to the portrait's 35:45 and
    /// stored as JPEG 2000 (as most passports do) or JPEG, every other case; signed by the run's Document Signer.
    /// </summary>
    private ChipEvidence Chip(MrzIdentity identity, FaceSource face, ChipTamper tamper, Random random)
    {
        using var photo = _decoder.Decode(File.ReadAllBytes(Path.Combine(_options.Documents.FacesFolder, face.File)));
        int width = Math.Min(photo.Width, photo.Height * ChipFaceWidth / ChipFaceHeight);
        int height = Math.Min(photo.Height, width * ChipFaceHeight / ChipFaceWidth);
        using var cut = photo.Crop((photo.Width - width) / 2, (photo.Height - height) / 2, width, height);
        using var portrait = ImageResampler.Resize(cut, ChipFaceWidth, ChipFaceHeight);
        bool jpeg2000 = random.Next(2) == 0;
        var image = jpeg2000
            ? new ChipFaceImage(ChipImageFormat.Jpeg2000, Jpeg2000Encoder.Encode(portrait, compressionRatio: 20), ChipFaceWidth, ChipFaceHeight)
            : new ChipFaceImage(ChipImageFormat.Jpeg, ImageEncoder.EncodeJpeg(portrait, 80), ChipFaceWidth, ChipFaceHeight);
        var files = ChipIssuer.Issue(identity, image, tamper);
        return new ChipEvidence(files.Dg1, files.Dg2, files.Sod);
    }

    private int StreamSeed(int index, int stream) => RandomStreams.Seed(_options.Documents.Seed, index, stream);

    /// <summary>The document photo taken far out of focus: reduced, enlarged back to its size and saved as JPEG.</summary>
    private byte[] Unreadable(byte[] jpeg, Random random)
    {
        using var image = _decoder.Decode(jpeg);
        int reduction = UnreadableReduction + random.Next(5);
        using var small = ImageResampler.Resize(image, Math.Max(1, image.Width / reduction), Math.Max(1, image.Height / reduction));
        using var blurred = ImageResampler.Resize(small, image.Width, image.Height);
        return ImageEncoder.EncodeJpeg(blurred, 88);
    }

    /// <summary>The camera pointed at a wall, table or fabric: no face at all.</summary>
    private static RgbImage BareSurface(int width, int height, Random random)
    {
        using var surface = RgbImage.Allocate(width, height);
        int grey = random.Next(70, 200);
        BackgroundTexture.Paint(surface, BackgroundTexture.Kinds[random.Next(BackgroundTexture.Kinds.Length)],
            new RgbColor((byte)grey, (byte)Math.Clamp(grey + random.Next(-30, 31), 0, 255), (byte)Math.Clamp(grey + random.Next(-30, 31), 0, 255)),
            new Random(random.Next()));
        return PresentationAttackSimulator.CaptureBonaFide(surface, random);
    }

    /// <summary>The holder's selfie in a dark room: the honest capture at 4-10% of its brightness.</summary>
    private static RgbImage Dark(RgbImage photo, Random random)
    {
        var captured = PresentationAttackSimulator.CaptureBonaFide(photo, random);
        double gain = 0.04 + (random.NextDouble() * 0.06);
        var pixels = captured.Pixels;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((pixels[i] * gain) + 0.5);
        }

        return captured;
    }
}
