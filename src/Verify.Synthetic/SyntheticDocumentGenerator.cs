using System.Text.Json;
using Verify.Documents.Mrz;
using Verify.Imaging;

namespace Verify.Synthetic;

/// <summary>Which documents a run generates.</summary>
public enum SyntheticDocumentKind
{
    /// <summary>TD1 identity cards, front and back.</summary>
    Td1,

    /// <summary>TD3 passport data pages.</summary>
    Td3,

    /// <summary>TD3 at even indices, TD1 at odd ones.</summary>
    Mixed,
}

/// <summary>What to generate: where the faces are, which documents, which capture effects, and the seed.</summary>
public sealed record SyntheticGeneratorOptions
{
    /// <summary>An LFW-layout faces folder (Person/Person_NNNN.jpg).</summary>
    public required string FacesFolder { get; init; }

    public SyntheticDocumentKind Kind { get; init; } = SyntheticDocumentKind.Mixed;

    public CaptureEffects Capture { get; init; } = CaptureEffects.Mild;

    public int Seed { get; init; } = 1;

    /// <summary>Hard (look-alike characters forced, the default that existing sets were made with) or production-like numbers.</summary>
    public DocumentNumberStyle Numbers { get; init; } = DocumentNumberStyle.Hard;

    /// <summary>
    /// When set, every document is valid on this date and its holder of age (<see cref="IdentitySampler.SampleValidOn"/>);
    /// when null, dates are drawn around <see cref="IdentitySampler.ReferenceDate"/>, some expired and some holders 17.
    /// </summary>
    public DateOnly? ValidOn { get; init; }
}

/// <summary>One generated document: its ground truth and its image files (name to JPEG bytes).</summary>
public sealed record SyntheticDocument(DocumentGroundTruth GroundTruth, IReadOnlyList<(string File, byte[] Jpeg)> Files);

/// <summary>
/// Generates synthetic TD3 passport pages and TD1 cards with known ground truth, photographed through
/// <see cref="CaptureEffects"/>. Document <c>i</c> of a run depends only on the seed, <c>i</c> and the options, so
/// the same call gives the same bytes on every run.
/// </summary>
/// <remarks>Not thread-safe (it owns FreeType faces); use one generator per thread.</remarks>
public sealed class SyntheticDocumentGenerator : IDisposable
{
    // Streams 0 and 1 are the holder and the print, 2 and up the captures of each side.
    private const int NumberStream = 255;

    private readonly SyntheticGeneratorOptions _options;
    private readonly PortraitLibrary _portraits;
    private readonly DocumentFonts _fonts;
    private readonly DocumentRenderer _renderer;
    private readonly ImageDecoder _decoder = new();

    public SyntheticGeneratorOptions Options => _options;

    public SyntheticDocumentGenerator(SyntheticGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _portraits = PortraitLibrary.Open(options.FacesFolder);
        _fonts = DocumentFonts.Load();
        _renderer = new DocumentRenderer(_fonts);
    }

    /// <summary>The kind of document number <paramref name="index"/>.</summary>
    public MrzFormat FormatOf(int index) => _options.Kind switch
    {
        SyntheticDocumentKind.Td1 => MrzFormat.Td1,
        SyntheticDocumentKind.Td3 => MrzFormat.Td3,
        _ => index % 2 == 0 ? MrzFormat.Td3 : MrzFormat.Td1,
    };

    /// <summary>Generates document number <paramref name="index"/> of the run.</summary>
    public SyntheticDocument Generate(int index) => Generate(index, FormatOf(index));

    /// <summary>Generates document number <paramref name="index"/> of the run in <paramref name="format"/> (TD1 or TD3), whatever the run's kind.</summary>
    public SyntheticDocument Generate(int index, MrzFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (format is not (MrzFormat.Td1 or MrzFormat.Td3))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Only TD1 cards and TD3 passport pages are generated.");
        }

        string kind = format == MrzFormat.Td3 ? "td3" : "td1";
        string id = $"{kind}-{_options.Seed}-{index:D4}";
        // Separate streams for the holder, the print, each capture and the production-style number, so that changing
        // the capture preset keeps the same people and documents, and changing the number style the same people.
        var holderRandom = new Random(StreamSeed(index, 0));
        var numbers = new Random(StreamSeed(index, NumberStream));
        var identity = _options.ValidOn is { } validOn
            ? IdentitySampler.SampleValidOn(holderRandom, format, validOn, _options.Numbers, numbers)
            : IdentitySampler.Sample(holderRandom, format, _options.Numbers, numbers);
        var portrait = _portraits.Pick(holderRandom);
        using var photo = _decoder.Decode(File.ReadAllBytes(portrait.FullPath));
        var printRandom = new Random(StreamSeed(index, 1));
        var sides = new List<RenderedSide>();
        try
        {
            if (format == MrzFormat.Td3)
            {
                sides.Add(_renderer.RenderPassportPage(identity, photo, printRandom));
            }
            else
            {
                sides.Add(_renderer.RenderCardFront(identity, photo, printRandom));
                sides.Add(_renderer.RenderCardBack(identity, printRandom));
            }

            var files = new List<(string, byte[])>();
            var images = new List<ImageTruth>();
            for (int s = 0; s < sides.Count; s++)
            {
                var side = sides[s];
                var captured = CaptureSimulator.Capture(side, _options.Capture, new Random(StreamSeed(index, 2 + s)));
                string file = side.Side == "page" ? $"{id}.jpg" : $"{id}-{side.Side}.jpg";
                files.Add((file, captured.Jpeg));
                images.Add(ImageTruth.Of(file, side.Side, captured));
            }

            var truth = new DocumentGroundTruth
            {
                Id = id,
                Kind = kind,
                Seed = _options.Seed,
                Index = index,
                Identity = identity.Mrz,
                MrzLines = MrzComposer.Compose(identity.Mrz),
                Printed = sides.SelectMany(side => side.Printed).GroupBy(field => field.Key).ToDictionary(group => group.Key, group => group.First().Value),
                Face = new FaceSource(portrait.Person, portrait.File, portrait.PhotoCount),
                Images = images,
            };
            return new SyntheticDocument(truth, files);
        }
        finally
        {
            sides.ForEach(side => side.Dispose());
        }
    }

    /// <summary>Generates documents 0 to <paramref name="count"/> - 1 into <paramref name="folder"/>, with their ground truth and a manifest.json.</summary>
    public SyntheticManifest WriteBatch(string folder, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Directory.CreateDirectory(folder);
        var items = new List<ManifestItem>();
        for (int index = 0; index < count; index++)
        {
            var document = Generate(index);
            foreach (var (file, jpeg) in document.Files)
            {
                File.WriteAllBytes(Path.Combine(folder, file), jpeg);
            }

            var truth = document.GroundTruth;
            string truthFile = $"{truth.Id}.json";
            File.WriteAllText(Path.Combine(folder, truthFile), JsonSerializer.Serialize(truth, DocumentGroundTruth.JsonOptions));
            items.Add(new ManifestItem(truth.Id, truth.Kind, truthFile, document.Files.Select(f => f.File).ToArray(), truth.Face.Person));
        }

        var manifest = new SyntheticManifest
        {
            Seed = _options.Seed,
            Kind = _options.Kind.ToString().ToLowerInvariant(),
            Capture = _options.Capture.Name,
            Numbers = _options.Numbers.ToString().ToLowerInvariant(),
            Count = count,
            Items = items,
        };
        File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, DocumentGroundTruth.JsonOptions));
        return manifest;
    }

    public void Dispose() => _fonts.Dispose();

    /// <summary>A seed for one random stream of one document.</summary>
    private int StreamSeed(int index, int stream) => RandomStreams.Seed(_options.Seed, index, stream);
}
