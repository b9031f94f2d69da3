using System.Globalization;
using System.Text;
using Verify.Cli.Commands;
using Verify.Data.Entities;
using Verify.Inference.Faces;
using Verify.Pipeline.Impersonation;

namespace Verify.Cli.Lfw;

/// <summary>
/// What impersonation reports suggest on an LFW set (docs/api.md), at the service's default thresholds: the verification
/// threshold (FAR 1e-3) and the lower bound (the FAR 1e-2 threshold). Counted for single comparisons (every genuine
/// and impostor combination of the images) and for simulated reports: one person's first photo is the template, and
/// the reported images are up to ten photos, the same person's other ones (genuine) or another person's (impostor,
/// every ordered pair of people); the report's score is the best of its photos, as the service takes it.
/// </summary>
internal static class ReportSuggestions
{
    private static readonly string[] Suggestions =
        [ImpersonationSuggestions.LikelySamePerson, ImpersonationSuggestions.CannotTell, ImpersonationSuggestions.LikelyNot];

    public static void Append(StringBuilder text, IEnumerable<MatcherScores> scores, LfwEmbeddingSet set)
    {
        double matchRate = new FaceMatchingOptions().FalseAcceptRate;
        double lowerRate = new ImpersonationOptions().LikelyNotFalseAcceptRate;
        var table = new MarkdownTable(["matcher", "thresholds", "compared", "count", .. Suggestions]);
        foreach (var score in scores.Where(s => Calibrated(s.Matcher, matchRate) && Calibrated(s.Matcher, lowerRate)))
        {
            var matcher = score.Matcher;
            var thresholds = new ReportThresholds(matcher.Name, matcher.Version, matcher.ThresholdAt(matchRate), matcher.ThresholdAt(lowerRate));
            string bands = $"{EvaluateCommand.Number(thresholds.LikelyNotBelow)} / {EvaluateCommand.Number(thresholds.MatchThreshold)}";
            var people = set.Embedded.GroupBy(image => Path.GetDirectoryName(image)!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(person => person.Order(StringComparer.Ordinal).Select(image => set.For(image, matcher)!).ToArray())
                .ToArray();
            var genuineReports = people.Where(photos => photos.Length >= 2)
                .Select(photos => ReportScoring.Best(matcher, photos.Skip(1).Take(10), [Template(photos[0])])!.Value).ToArray();
            var impostorReports = people.SelectMany((template, x) => people.Where((_, y) => y != x)
                .Select(other => ReportScoring.Best(matcher, other.Take(10), [Template(template[0])])!.Value)).ToArray();
            Row(table, matcher.Version, bands, "one photo of the same person", score.Genuine, thresholds);
            Row(table, matcher.Version, bands, "one photo of another person", score.Impostor, thresholds);
            Row(table, matcher.Version, bands, "report: the person's other photos", genuineReports, thresholds);
            Row(table, matcher.Version, bands, "report: another person's photos", impostorReports, thresholds);
        }

        text.AppendLine("### Impersonation report suggestions on this set").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Thresholds: likely_not below the FAR {EvaluateCommand.Far(lowerRate)} threshold, likely_same_person from the FAR {EvaluateCommand.Far(matchRate)} one; a report's score is the best of its photos against the template (the person's first photo).");
        text.AppendLine().Append(table).AppendLine();
    }

    private static bool Calibrated(FaceMatcher matcher, double falseAcceptRate) =>
        matcher.Calibration?.OperatingPoints.Any(point => Math.Abs(Math.Log10(point.FalseAcceptRate) - Math.Log10(falseAcceptRate)) < 1e-6) ?? false;

    private static TemplateSet Template(IReadOnlyList<FaceEmbedding> embeddings) => new(Guid.Empty, [], embeddings);

    private static void Row(MarkdownTable table, string matcher, string bands, string compared, double[] scores, ReportThresholds thresholds)
    {
        var counts = scores.CountBy(s => ReportScoring.Suggest(s, thresholds)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        table.Row([matcher, bands, compared, scores.Length.ToString("N0", CultureInfo.InvariantCulture),
            .. Suggestions.Select(suggestion => EvaluateCommand.Percent(scores.Length == 0 ? double.NaN : (double)counts.GetValueOrDefault(suggestion) / scores.Length, 3))]);
    }
}
