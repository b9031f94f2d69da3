using System.CommandLine;
using System.Globalization;
using System.Text;
using Verify.Cli.Lfw;
using Verify.Inference.Faces;
using Verify.Pipeline.Duplicates;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify evaluate-duplicates`: the 1:N duplicate search on LFW at each calibrated false accept rate. Every person's
/// first photo is enrolled as a template (one subject per person), then every photo searches the gallery: as a new
/// account of the same person (is that person's template found, and first?) and as a stranger (with the person's own
/// template left out, does any other person match: a false duplicate?). Uses the service's own <see cref="TemplateIndex"/>.
/// </summary>
internal static class EvaluateDuplicatesCommand
{
    private const string Client = "lfw";

    /// <summary>The gallery sizes the per-comparison rate is projected to (a client's templates).</summary>
    private static readonly int[] ProjectedGalleries = [10_000, 100_000, 1_000_000];

    public static Command Create()
    {
        var pairs = new Option<FileInfo>("--pairs") { Description = "LFW pairs file whose images are used (pairsDevTest.txt: held out from calibration).", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder with Name/Name_NNNN.jpg images.", Required = true };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown report to this file." };
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate-duplicates",
            "Measure the 1:N duplicate search on LFW: same person found, and false duplicates among different people, per calibrated rate.")
        {
            pairs, images, report, threads,
        };
        command.SetAction(parse =>
        {
            string invocation = $"verify evaluate-duplicates --pairs {parse.GetResult(pairs)!.Tokens[0].Value} --images {parse.GetResult(images)!.Tokens[0].Value}";
            return LfwCommand.Run(parse.GetRequiredValue(pairs), parse.GetRequiredValue(images), CommonOptions.Overrides(threads: parse.GetValue(threads)),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, session => Report(session, invocation), parse.GetValue(report));
        });
        return command;
    }

    private static string Report(LfwSession session, string invocation)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## 1:N duplicate search on LFW: {invocation}").AppendLine();
        LfwCommand.AppendDataset(text, session);
        var matcher = session.Matchers.First(m => m.Name == ArcFaceEmbedder.Id);
        var photos = session.Set.Embedded.Order(StringComparer.Ordinal)
            .Select(image => (Image: image, Person: Path.GetDirectoryName(image)!, Embedding: session.Set.For(image, matcher)![0]))
            .ToArray();
        var enrolled = photos.GroupBy(photo => photo.Person).Select(person => person.First()).ToArray();
        var enrolledImages = enrolled.Select(photo => photo.Image).ToHashSet(StringComparer.Ordinal);
        var others = photos.Where(photo => !enrolledImages.Contains(photo.Image)).ToArray();
        using var index = new TemplateIndex(searchThreads: 1);
        foreach (var photo in enrolled)
        {
            index.Add(new IndexedTemplate(Guid.NewGuid(), Client, photo.Person, matcher.Name, photo.Embedding.ModelVersion, DateTime.MaxValue), photo.Embedding.Vector);
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"Gallery: the first photo of each of {enrolled.Length} people. Same person: {others.Length} other photos of {others.Select(p => p.Person).Distinct().Count()} of them search as a new account. " +
            $"Strangers: all {photos.Length} photos search with their own person's template left out ({(long)photos.Length * (enrolled.Length - 1):N0} comparisons).").AppendLine();

        var table = new MarkdownTable([
            "FAR (calibrated)", "threshold", "same person found", "found first", "searches with a false duplicate",
            "false matches per comparison", "people pairs colliding",
            .. ProjectedGalleries.Select(n => string.Create(CultureInfo.InvariantCulture, $"false duplicate per search at {n:N0} (calibrated / measured)")),
        ]);
        var now = DateTime.UnixEpoch;
        foreach (var point in (matcher.Calibration?.OperatingPoints ?? []).OrderByDescending(p => p.FalseAcceptRate))
        {
            int found = 0, first = 0;
            foreach (var photo in others)
            {
                var matches = index.Search(matcher.Name, photo.Embedding.ModelVersion, Client, "new-account", photo.Embedding.Vector, point.Threshold, now, enrolled.Length);
                found += matches.Any(m => m.SubjectId == photo.Person) ? 1 : 0;
                first += matches.Count > 0 && matches[0].SubjectId == photo.Person ? 1 : 0;
            }

            long falseMatches = 0;
            int falseSearches = 0;
            var colliding = new HashSet<(string, string)>();
            foreach (var photo in photos)
            {
                var matches = index.Search(matcher.Name, photo.Embedding.ModelVersion, Client, photo.Person, photo.Embedding.Vector, point.Threshold, now, enrolled.Length);
                falseMatches += matches.Count;
                falseSearches += matches.Count > 0 ? 1 : 0;
                foreach (var match in matches)
                {
                    colliding.Add(string.CompareOrdinal(photo.Person, match.SubjectId) < 0 ? (photo.Person, match.SubjectId) : (match.SubjectId, photo.Person));
                }
            }

            double measured = (double)falseMatches / ((long)photos.Length * (enrolled.Length - 1));
            table.Row([
                EvaluateCommand.Far(point.FalseAcceptRate), point.Threshold.ToString("0.0000", CultureInfo.InvariantCulture),
                Share(found, others.Length), Share(first, others.Length), Share(falseSearches, photos.Length),
                measured.ToString("0.0e0", CultureInfo.InvariantCulture) + $" ({falseMatches})", colliding.Count.ToString(CultureInfo.InvariantCulture),
                .. ProjectedGalleries.Select(n => $"{Projected(point.FalseAcceptRate, n)} / {Projected(measured, n)}"),
            ]);
        }

        text.Append(table).AppendLine();
        text.AppendLine("A search compares the probe with every template of the client, so at a per-comparison false match rate p a search over n " +
            "templates raises a false duplicate with probability 1 - (1 - p)^n (independent comparisons assumed; look-alikes make it worse).");
        return text.ToString();
    }

    private static string Share(int count, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{(total == 0 ? 0 : 100.0 * count / total):0.0}% ({count}/{total})");

    private static string Projected(double perComparison, int templates) =>
        (1 - Math.Pow(1 - perComparison, templates)).ToString("0.0%", CultureInfo.InvariantCulture);
}
