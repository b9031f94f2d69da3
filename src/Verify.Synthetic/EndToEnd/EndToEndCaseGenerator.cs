using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.Synthetic.Attacks;

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
    // Random streams of a case beyond the document generator's (0 to 3): the selfie, and the damage to the document.
    private const int SelfieStream = 16;
    private const int DocumentDamageStream = 17;

    // An unreadable document is photographed at this fraction of its size and enlarged back: the MRZ's characters
    // shrink to a few pixels and cannot be recovered.
    private const int UnreadableReduction = 16;

    private readonly EndToEndCaseOptions _options;
    private readonly SyntheticDocumentGenerator _documents;
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
        Kinds = options.Mix.Assign(options.Count, options.Documents.Seed);
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
        var format = kind == EndToEndCaseKind.IncompleteDocument ? MrzFormat.Td1 : _documents.FormatOf(index);
        var document = _documents.Generate(index, format);
        byte[] front = document.Files[0].Jpeg;
        byte[]? back = document.Files.Count > 1 ? document.Files[1].Jpeg : null;
        if (kind == EndToEndCaseKind.IncompleteDocument)
        {
            back = null;
        }
        else if (kind == EndToEndCaseKind.UnreadableDocument)
        {
            // The MRZ is on the passport page, or on the card's back.
            var damage = new Random(StreamSeed(index, DocumentDamageStream));
            if (back is null)
            {
                front = Unreadable(front, damage);
            }
            else
            {
                back = Unreadable(back, damage);
            }
        }

        var face = document.GroundTruth.Face;
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
            return new EndToEndCase(index, kind, format, front, back, ImageEncoder.EncodePng(selfie), variant);
        }
    }

    public void Dispose()
    {
        _documents.Dispose();
        _attacks.Dispose();
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
