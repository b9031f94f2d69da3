using Spectre.Console;
using Verify.Evaluation;
using Verify.Inference.Faces;
using Verify.Pipeline.Faces;

namespace Verify.Cli.Lfw;

/// <summary>
/// The embeddings of every image a pairs file names, computed once per image (many pairs share images),
/// with the images that are missing, unreadable or show no face, and per-stage latencies.
/// </summary>
internal sealed class LfwEmbeddingSet
{
    private readonly Dictionary<string, Dictionary<string, FaceEmbedding>> _embeddings = new(StringComparer.Ordinal);

    public List<string> Missing { get; } = [];

    public List<string> Unreadable { get; } = [];

    public List<string> NoFace { get; } = [];

    /// <summary>Milliseconds per image for each stage.</summary>
    public Dictionary<string, List<double>> StageLatencies { get; } = new(StringComparer.Ordinal);

    public int ImageCount { get; private set; }

    /// <summary>Images whose primary face was embedded, by relative path (Name/Name_0001.jpg).</summary>
    public IReadOnlyCollection<string> Embedded => _embeddings.Keys;

    public static LfwEmbeddingSet Compute(PairsFile pairs, string imagesDirectory, FaceAnalyzer analyzer, IAnsiConsole console)
    {
        var set = new LfwEmbeddingSet();
        var images = pairs.Pairs.SelectMany(pair => new[] { pair.FirstImage, pair.SecondImage }).Distinct(StringComparer.Ordinal).ToArray();
        set.ImageCount = images.Length;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("embedding images", maxValue: images.Length);
                foreach (string image in images)
                {
                    set.Add(image, Path.Combine(imagesDirectory, image), analyzer);
                    task.Increment(1);
                }
            });
        return set;
    }

    /// <summary>The embedding of <paramref name="image"/> for each of the matcher's embedders, or null when it has none.</summary>
    public IReadOnlyList<FaceEmbedding>? For(string image, FaceMatcher matcher) =>
        _embeddings.TryGetValue(image, out var byModel) ? matcher.Embedders.Select(embedder => byModel[embedder.ModelId]).ToArray() : null;

    private void Add(string image, string path, FaceAnalyzer analyzer)
    {
        if (!File.Exists(path))
        {
            Missing.Add(image);
            return;
        }

        var timings = new StageTimings();
        var analysis = analyzer.Analyse(File.ReadAllBytes(path), timings);
        foreach (var (stage, milliseconds) in timings.Milliseconds)
        {
            (StageLatencies.TryGetValue(stage, out var list) ? list : StageLatencies[stage] = []).Add(milliseconds);
        }

        switch (analysis.Outcome)
        {
            case FaceAnalysisOutcome.Unreadable:
                Unreadable.Add(image);
                break;
            case FaceAnalysisOutcome.NoFace:
                NoFace.Add(image);
                break;
            default:
                _embeddings[image] = analyzer.Matcher.Embedders.Zip(analysis.Embeddings)
                    .ToDictionary(pair => pair.First.ModelId, pair => pair.Second, StringComparer.Ordinal);
                break;
        }
    }
}
