using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Verify.Evaluation;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Models;
using Verify.Pipeline.Faces;

namespace Verify.Cli.Lfw;

/// <summary>
/// A pairs file embedded with every embedder, and the matchers to score it with: each embedder on its own
/// (with the thresholds of its manifest) and, when models/fusion.json exists, their fusion.
/// </summary>
internal sealed class LfwSession(string pairsName, PairsFile pairs, LfwEmbeddingSet set, IReadOnlyList<FaceMatcher> matchers)
{
    /// <summary>File name of the pairs file.</summary>
    public string PairsName => pairsName;

    public PairsFile Pairs => pairs;

    public LfwEmbeddingSet Set => set;

    public IReadOnlyList<FaceMatcher> Matchers => matchers;

    public static LfwSession Load(ServiceProvider services, string pairsPath, string imagesDirectory, TextWriter status)
    {
        var pairs = PairsFile.Load(pairsPath);
        var catalog = services.GetRequiredService<ModelCatalog>();
        IFaceEmbedder[] embedders = [services.GetRequiredService<ArcFaceEmbedder>(), services.GetRequiredService<DlibResNetEmbedder>()];
        var everyEmbedder = new FaceMatcher("all", embedders.Select(e => new MatcherComponent(e, 0, 1, 1)).ToArray(), null);
        var analyzer = new FaceAnalyzer(services.GetRequiredService<ImageDecoder>(), services.GetRequiredService<IFaceDetector>(), everyEmbedder);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(status) });
        var set = LfwEmbeddingSet.Compute(pairs, imagesDirectory, analyzer, console);

        var matchers = embedders.Select(embedder => FaceMatcher.ForModel(embedder, catalog.Get(embedder.ModelId))).ToList();
        if (File.Exists(Path.Combine(catalog.ManifestDirectory, ScoreFusion.FileName)))
        {
            matchers.Add(FaceMatcher.ForFusion(ScoreFusion.Load(catalog.ManifestDirectory), embedders));
        }

        return new LfwSession(Path.GetFileName(pairsPath), pairs, set, matchers);
    }
}
