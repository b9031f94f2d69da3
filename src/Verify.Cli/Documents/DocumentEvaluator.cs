using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Verify.Documents.Mrz;
using Verify.Documents.Portrait;
using Verify.Documents.PrintedZone;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Pipeline.Faces;
using Verify.Synthetic;

namespace Verify.Cli.Documents;

/// <summary>Runs the document reader over generated documents and compares each result with its ground truth.</summary>
internal sealed class DocumentEvaluator(IServiceProvider services, string facesFolder, bool readPrintedZone)
{
    /// <summary>Ways of preparing a portrait crop before the face matcher sees it.</summary>
    public static readonly IReadOnlyList<(string Name, double BlurSigma)> PortraitVariants =
        [("as cut", 0), ("descreened σ1", 1.0), ("descreened σ2", 2.0)];

    private readonly ImageDecoder _decoder = services.GetRequiredService<ImageDecoder>();
    private readonly MrzReader _mrz = services.GetRequiredService<MrzReader>();
    private readonly PortraitLocator _portraits = services.GetRequiredService<PortraitLocator>();
    private readonly PrintedZoneReader _printed = services.GetRequiredService<PrintedZoneReader>();
    private readonly FaceAnalyzer _faces = services.GetRequiredService<FaceAnalyzer>();
    private readonly Dictionary<string, IReadOnlyList<FaceEmbedding>?> _references = new(StringComparer.Ordinal);

    public FaceMatcher Matcher => _faces.Matcher;

    /// <summary>The generated sets under <paramref name="folder"/>: the folder itself if it holds a manifest, else its sub-folders that do.</summary>
    public static IReadOnlyList<(string Folder, SyntheticManifest Manifest)> FindSets(string folder)
    {
        var folders = File.Exists(Path.Combine(folder, "manifest.json"))
            ? [folder]
            : Directory.EnumerateDirectories(folder).Where(sub => File.Exists(Path.Combine(sub, "manifest.json"))).Order(StringComparer.Ordinal).ToList();
        return folders.Select(sub => (sub, JsonSerializer.Deserialize<SyntheticManifest>(
            File.ReadAllText(Path.Combine(sub, "manifest.json")), DocumentGroundTruth.JsonOptions)!)).ToList();
    }

    public DocumentOutcome Evaluate(string folder, string capture, ManifestItem item)
    {
        var truth = JsonSerializer.Deserialize<DocumentGroundTruth>(File.ReadAllText(Path.Combine(folder, item.GroundTruth)), DocumentGroundTruth.JsonOptions)!;
        var mrzImage = truth.Images.First(image => image.MrzCorners is not null);
        var portraitImage = truth.Images.First(image => image.PortraitCorners is not null);

        var started = Stopwatch.GetTimestamp();
        MrzScan scan;
        using (var image = _decoder.Decode(File.ReadAllBytes(Path.Combine(folder, mrzImage.File))))
        {
            scan = _mrz.Read(image);
        }

        double mrzMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var expected = MrzParser.Parse(truth.MrzLines, today)!;
        var reading = scan.Reading;
        var fields = reading is null
            ? expected.Fields.ToDictionary(field => field.Name, _ => false)
            : expected.Fields.ToDictionary(field => field.Name, field => reading.Fields.First(read => read.Name == field.Name).Value == field.Value);

        using var portraitPhoto = _decoder.Decode(File.ReadAllBytes(Path.Combine(folder, portraitImage.File)));
        double? hint = ReferenceEquals(mrzImage, portraitImage) && scan.Status == MrzScanStatus.Read ? scan.TextAngleDegrees : null;
        started = Stopwatch.GetTimestamp();
        using var portrait = _portraits.Locate(portraitPhoto, hint);
        double portraitMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        PrintedZoneComparison? printed = null;
        double printedMilliseconds = 0;
        if (readPrintedZone && reading is not null && (hint ?? portrait?.TextAngleDegrees) is { } angle)
        {
            started = Stopwatch.GetTimestamp();
            printed = PrintedZoneCrossCheck.Compare(reading, _printed.Read(portraitPhoto, angle, refine: hint is null));
            printedMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return new DocumentOutcome
        {
            Id = truth.Id,
            Kind = truth.Kind,
            Capture = capture,
            Person = truth.Face.Person,
            FaceFile = truth.Face.File,
            MrzFound = scan.Status != MrzScanStatus.NotFound,
            MrzParsed = reading is not null,
            LinesExact = reading is null ? 0 : reading.Lines.Zip(truth.MrzLines).Count(pair => pair.First == pair.Second),
            LineCount = truth.MrzLines.Count,
            Fields = fields,
            ChecksPassed = reading?.CheckDigits.Count(check => check.Passed) ?? 0,
            ChecksTotal = expected.CheckDigits.Count,
            ReportedValid = reading?.IsValid ?? false,
            Settled = MrzReader.IsSettled(reading),
            MrzMilliseconds = mrzMilliseconds,
            PortraitFound = portrait is not null,
            PortraitCorrect = portrait is not null && portraitImage.PortraitContains(portrait.Centre.X, portrait.Centre.Y),
            PortraitMilliseconds = portraitMilliseconds,
            PortraitFaceSize = portrait?.Face.Size,
            Printed = printed,
            PrintedMilliseconds = printedMilliseconds,
            Portrait = PortraitVariants.ToDictionary(variant => variant.Name, variant => EmbedPortrait(portrait, variant.BlurSigma)),
        };
    }

    /// <summary>The embedding of the photo the portrait was printed from (the photo-to-photo baseline).</summary>
    public IReadOnlyList<FaceEmbedding>? SourcePhoto(string file) => Photo(Path.Combine(facesFolder, file));

    /// <summary>The embedding of a different photo of the same person than the one printed on the document.</summary>
    public IReadOnlyList<FaceEmbedding>? Reference(string person, string printedFile)
    {
        var other = Directory.EnumerateFiles(Path.Combine(facesFolder, person), "*.jpg").Order(StringComparer.Ordinal)
            .FirstOrDefault(path => !path.EndsWith(Path.GetFileName(printedFile), StringComparison.Ordinal));
        return other is null ? null : Photo(other);
    }

    private IReadOnlyList<FaceEmbedding>? Photo(string path)
    {
        if (!_references.TryGetValue(path, out var embedding))
        {
            var analysis = _faces.Analyse(File.ReadAllBytes(path), new StageTimings());
            embedding = analysis.Outcome == FaceAnalysisOutcome.Analysed ? analysis.Embeddings : null;
            _references[path] = embedding;
        }

        return embedding;
    }

    private IReadOnlyList<FaceEmbedding>? EmbedPortrait(DocumentPortrait? portrait, double blurSigma)
    {
        if (portrait is null)
        {
            return null;
        }

        using var prepared = blurSigma > 0 ? GaussianBlur.Apply(portrait.Crop, blurSigma) : null;
        var analysis = _faces.Analyse(prepared ?? portrait.Crop, new StageTimings());
        return analysis.Outcome == FaceAnalysisOutcome.Analysed ? analysis.Embeddings : null;
    }
}
