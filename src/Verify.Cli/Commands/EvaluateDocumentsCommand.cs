using System.CommandLine;
using System.Globalization;
using System.Text;
using Verify.Cli.Documents;
using Verify.Cli.Lfw;
using Verify.Documents.Mrz;
using Verify.Documents.PrintedZone;
using Verify.Evaluation;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Models;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify evaluate-documents DIR`: reads generated documents (from `verify samples generate`) and reports, by
/// capture level, MRZ line and field accuracy, check-digit pass rate, portrait-found rate, printed-zone agreement,
/// latency, and how well the printed portrait matches a different photo of the same person.
/// </summary>
internal static class EvaluateDocumentsCommand
{
    private static readonly double[] FalseAcceptRates = [1e-3, 1e-4];

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "A folder from `verify samples generate`, or a folder of such folders (one per capture level)." };
        var faces = new Option<DirectoryInfo?>("--faces") { Description = "The faces folder the documents were generated from (default: ../shared/data/lfw/images)." };
        var printed = new Option<bool>("--printed-zone") { Description = "Also read the printed zone and cross-check it with the MRZ.", DefaultValueFactory = _ => true };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown report to this file." };
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate-documents", "Measure MRZ, portrait and printed-zone reading on generated documents.")
        {
            folder, faces, printed, report, threads,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var root = parse.GetRequiredValue(folder);
            if (!root.Exists)
            {
                error.WriteLine($"error: {root.FullName} does not exist.");
                return ExitCodes.BadInput;
            }

            var sets = DocumentEvaluator.FindSets(root.FullName);
            if (sets.Count == 0)
            {
                error.WriteLine($"error: no manifest.json in {root.FullName} or its sub-folders; generate documents with `verify samples generate`.");
                return ExitCodes.BadInput;
            }

            try
            {
                using var services = CliServices.Build(CommonOptions.Overrides(threads: parse.GetValue(threads)));
                var evaluator = new DocumentEvaluator(services, parse.GetValue(faces)?.FullName ?? SamplesCommand.DefaultFacesFolder(), parse.GetValue(printed));
                var outcomes = new List<DocumentOutcome>();
                foreach (var (setFolder, manifest) in sets)
                {
                    foreach (var item in manifest.Items)
                    {
                        outcomes.Add(evaluator.Evaluate(setFolder, manifest.Capture, item));
                    }

                    error.WriteLine($"{manifest.Capture}: {manifest.Items.Count} documents read from {setFolder}");
                }

                string text = Report(outcomes, evaluator, $"verify evaluate-documents {parse.GetResult(folder)!.Tokens[0].Value}");
                output.Write(text);
                if (parse.GetValue(report) is { } file)
                {
                    File.WriteAllText(file.FullName, text);
                }

                return ExitCodes.Success;
            }
            catch (ModelUnavailableException exception)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.ModelsUnavailable;
            }
            catch (ImageDecodeException exception)
            {
                error.WriteLine($"error: a generated image could not be decoded: {exception.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static string Report(List<DocumentOutcome> outcomes, DocumentEvaluator evaluator, string invocation)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Document reading: {invocation}").AppendLine();
        var levels = outcomes.GroupBy(outcome => outcome.Capture).ToList();

        var summary = new MarkdownTable(["measure", .. levels.Select(level => $"{level.Key} ({level.Count()} docs)")]);
        Row(summary, levels, "MRZ found", outcome => outcome.MrzFound);
        Row(summary, levels, "MRZ parsed", outcome => outcome.MrzParsed);
        Row(summary, levels, "**every MRZ field right**", outcome => outcome.AllFieldsRight);
        summary.Row(["MRZ lines exactly right", .. levels.Select(level => Rate(level.Sum(o => o.LinesExact), level.Sum(o => o.LineCount)))]);
        summary.Row(["check digits passing", .. levels.Select(level => Rate(level.Sum(o => o.ChecksPassed), level.Sum(o => o.ChecksTotal)))]);
        Row(summary, levels, "reader says valid", outcome => outcome.ReportedValid);
        Row(summary, levels, "settled (valid, real codes, nothing ambiguous)", outcome => outcome.Settled);
        summary.Row(["**settled but a field wrong**", .. levels.Select(level => level.Count(o => o.SettledButWrong).ToString(CultureInfo.InvariantCulture))]);
        Row(summary, levels, "portrait found", outcome => outcome.PortraitFound);
        Row(summary, levels, "portrait found in the right place", outcome => outcome.PortraitCorrect);
        text.AppendLine("### MRZ and portrait").AppendLine().Append(summary).AppendLine();

        var fields = new MarkdownTable(["MRZ field", .. levels.Select(level => level.Key)]);
        foreach (var name in Enum.GetValues<MrzFieldName>().Where(name => outcomes.Any(o => o.Fields.ContainsKey(name))))
        {
            fields.Row([name.ToString(), .. levels.Select(level =>
                Rate(level.Count(o => o.Fields.TryGetValue(name, out var right) && right), level.Count(o => o.Fields.ContainsKey(name))))]);
        }

        text.AppendLine("### Per-field accuracy (value equal to the ground truth)").AppendLine().Append(fields).AppendLine();

        if (outcomes.Any(o => o.Printed is not null))
        {
            var printed = new MarkdownTable(["printed field", .. levels.Select(level => level.Key)]);
            foreach (var field in outcomes.First(o => o.Printed is not null).Printed!.Fields.Select(f => f.Field))
            {
                printed.Row([field, .. levels.Select(level =>
                {
                    var read = level.Where(o => o.Printed is not null).Select(o => o.Printed!.Fields.First(f => f.Field == field).Agreement).ToList();
                    return $"agree {Rate(read.Count(a => a is FieldAgreement.Agree or FieldAgreement.Near), read.Count)}, mismatch {read.Count(a => a == FieldAgreement.Mismatch)}, missing {read.Count(a => a == FieldAgreement.Missing)}";
                })]);
            }

            text.AppendLine("### Printed zone against the MRZ (cross-check signals; agree includes near)").AppendLine().Append(printed).AppendLine();
        }

        var latency = new MarkdownTable("capture", "stage", "p50 ms", "p95 ms", "mean ms");
        foreach (var level in levels)
        {
            LatencyRow(latency, level.Key, "MRZ (decode, locate, OCR, parse)", level.Select(o => o.MrzMilliseconds));
            LatencyRow(latency, level.Key, "portrait (detect in up to 4 turns)", level.Select(o => o.PortraitMilliseconds));
            LatencyRow(latency, level.Key, "printed zone (OCR, parse)", level.Where(o => o.PrintedMilliseconds > 0).Select(o => o.PrintedMilliseconds));
        }

        text.AppendLine("### Latency per document image").AppendLine().Append(latency).AppendLine();
        AppendFaceMatching(text, outcomes, evaluator);
        return text.ToString();
    }

    private static void AppendFaceMatching(StringBuilder text, List<DocumentOutcome> outcomes, DocumentEvaluator evaluator)
    {
        var matcher = evaluator.Matcher;
        var table = new MarkdownTable(["capture", "pair type", "genuine", "impostor", "EER", .. FalseAcceptRates.Select(far => $"TAR @ FAR {EvaluateCommand.Far(far)}"),
            .. (matcher.Calibration?.OperatingPoints ?? []).Select(point => $"TAR / FAR at LFW threshold {EvaluateCommand.Number(point.Threshold)}")]);
        var thresholds = new MarkdownTable(["capture", "pair type", .. FalseAcceptRates.Select(far => $"threshold @ FAR {EvaluateCommand.Far(far)}")]);
        foreach (var level in outcomes.GroupBy(outcome => outcome.Capture))
        {
            var documents = level.ToList();
            var references = documents.Select(o => evaluator.Reference(o.Person, o.FaceFile)).ToList();
            var kinds = new List<(string Name, IReadOnlyList<IReadOnlyList<FaceEmbedding>?> Probes)>
            {
                ("photo vs photo (baseline)", documents.Select(o => evaluator.SourcePhoto(o.FaceFile)).ToList()),
            };
            kinds.AddRange(DocumentEvaluator.PortraitVariants.Select(variant =>
                ($"portrait {variant.Name} vs photo", (IReadOnlyList<IReadOnlyList<FaceEmbedding>?>)documents.Select(o => o.Portrait[variant.Name]).ToList())));
            foreach (var (name, probes) in kinds)
            {
                var (genuine, impostor) = Scores(matcher, documents, probes, references);
                var equalError = VerificationMetrics.EqualErrorRate(genuine, impostor).Rate;
                table.Row([level.Key, name, genuine.Count.ToString(CultureInfo.InvariantCulture), impostor.Count.ToString("N0", CultureInfo.InvariantCulture),
                    EvaluateCommand.Percent(equalError),
                    .. FalseAcceptRates.Select(far => VerificationMetrics.ThresholdAtFalseAcceptRate(impostor, far) is double t
                        ? EvaluateCommand.Percent(VerificationMetrics.AcceptRate(genuine, t)) : "n/a"),
                    .. (matcher.Calibration?.OperatingPoints ?? []).Select(point =>
                        $"{EvaluateCommand.Percent(VerificationMetrics.AcceptRate(genuine, point.Threshold))} / {EvaluateCommand.Percent(VerificationMetrics.AcceptRate(impostor, point.Threshold), 3)}")]);
                thresholds.Row([level.Key, name, .. FalseAcceptRates.Select(far =>
                    VerificationMetrics.ThresholdAtFalseAcceptRate(impostor, far) is double t ? EvaluateCommand.Number(t) : "n/a")]);
            }
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"### Portrait against a different photo of the same person ({matcher.Version})").AppendLine();
        text.AppendLine("Genuine: each document's portrait (or, for the baseline, the photo it was printed from) against another photo of that person. "
            + "Impostor: the same probe against the other photo of every other document's person. No face found scores as a rejection.").AppendLine();
        text.Append(table).AppendLine();
        text.AppendLine("Thresholds measured on this set's impostor pairs, per pair type:").AppendLine().Append(thresholds).AppendLine();
    }

    private static (List<double> Genuine, List<double> Impostor) Scores(FaceMatcher matcher, List<DocumentOutcome> documents,
        IReadOnlyList<IReadOnlyList<FaceEmbedding>?> probes, List<IReadOnlyList<FaceEmbedding>?> references)
    {
        var genuine = new List<double>();
        var impostor = new List<double>();
        for (int i = 0; i < documents.Count; i++)
        {
            for (int j = 0; j < documents.Count; j++)
            {
                bool same = documents[i].Person == documents[j].Person;
                if (!same && references[j] is null)
                {
                    continue;
                }

                if (same && i != j)
                {
                    continue;
                }

                double score = probes[i] is { } probe && references[j] is { } reference ? matcher.Score(probe, reference) : -1;
                (same ? genuine : impostor).Add(score);
            }
        }

        return (genuine, impostor);
    }

    private static void Row(MarkdownTable table, List<IGrouping<string, DocumentOutcome>> levels, string name, Func<DocumentOutcome, bool> measure) =>
        table.Row([name, .. levels.Select(level => Rate(level.Count(measure), level.Count()))]);

    internal static void LatencyRow(MarkdownTable table, string level, string stage, IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var statistics = LatencyStatistics.From(list);
        table.Row(level, stage, LfwCommand.Ms(statistics.P50), LfwCommand.Ms(statistics.P95), LfwCommand.Ms(statistics.Mean));
    }

    internal static string Rate(int count, int total) =>
        total == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{count * 100.0 / total:0.0}% ({count}/{total})");
}
