using System.Text.Json;
using Verify.Cli.Service;
using Verify.Synthetic;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.Load;

/// <summary>
/// Where a load run's submissions come from, handed out in order: each batch is made in memory before it is sent, so
/// the client's own work (generating, reading files) is not part of the timed run.
/// </summary>
internal abstract class LoadCases
{
    /// <summary>The next <paramref name="count"/> submissions.</summary>
    public abstract IReadOnlyList<SubmissionImages> Take(int count, CancellationToken cancellationToken);
}

/// <summary>
/// Submissions from the end-to-end generator (`verify evaluate-e2e`'s cases): case i of a run of
/// <see cref="EndToEndCaseOptions.Count"/>, each with a document of its own, made on every core at once.
/// </summary>
internal sealed class GeneratedLoadCases(EndToEndCaseOptions options) : LoadCases
{
    private int _next;

    public override IReadOnlyList<SubmissionImages> Take(int count, CancellationToken cancellationToken)
    {
        int first = _next;
        if (first + count > options.Count)
        {
            throw new InvalidOperationException($"Only {options.Count} cases were planned; {first + count} asked for.");
        }

        _next += count;
        var cases = new SubmissionImages[count];
        // The generator is not thread-safe: one per worker thread.
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, () => new EndToEndCaseGenerator(options), (i, _, generator) =>
        {
            var made = generator.Generate(first + i);
            cases[i] = new SubmissionImages(made.DocumentFront, made.DocumentBack, made.Selfie) { Chip = made.Chip };
            return generator;
        }, generator => generator.Dispose());
        return cases;
    }
}

/// <summary>
/// Submissions from a folder written by `verify samples generate`, each document with another LFW photo of its holder
/// as the selfie, taken in turn and from the start again when the folder runs out.
/// </summary>
internal sealed class FolderLoadCases : LoadCases
{
    private readonly (string[] Images, string Selfie)[] _cases;
    private int _next;

    public FolderLoadCases(string folder, string faces)
    {
        var manifest = JsonSerializer.Deserialize<SyntheticManifest>(File.ReadAllText(Path.Combine(folder, "manifest.json")), DocumentGroundTruth.JsonOptions)!;
        _cases = [.. manifest.Items.Select(item =>
        {
            var truth = JsonSerializer.Deserialize<DocumentGroundTruth>(File.ReadAllText(Path.Combine(folder, item.GroundTruth)), DocumentGroundTruth.JsonOptions)!;
            string selfie = Directory.GetFiles(Path.Combine(faces, truth.Face.Person), "*.jpg").Order(StringComparer.Ordinal)
                .First(file => !file.EndsWith(Path.GetFileName(truth.Face.File), StringComparison.Ordinal));
            return (item.Images.Select(image => Path.Combine(folder, image)).ToArray(), selfie);
        })];
        if (_cases.Length == 0)
        {
            throw new InvalidOperationException($"{folder} holds no documents.");
        }
    }

    public override IReadOnlyList<SubmissionImages> Take(int count, CancellationToken cancellationToken)
    {
        var cases = new SubmissionImages[count];
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (images, selfie) = _cases[_next++ % _cases.Length];
            // The generator lists a card's front first and its back (with the MRZ) second.
            cases[i] = new SubmissionImages(File.ReadAllBytes(images[0]), images.Length > 1 ? File.ReadAllBytes(images[1]) : null, File.ReadAllBytes(selfie));
        }

        return cases;
    }
}
