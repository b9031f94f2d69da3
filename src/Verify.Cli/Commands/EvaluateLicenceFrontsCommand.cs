using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Verify.Cli.Lfw;
using Verify.Documents.Portrait;
using Verify.Documents.PrintedZone;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.Inference.Models;
using Verify.Synthetic;
using Verify.Synthetic.Licences;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify evaluate-licence-fronts`: generates licences (genuine, and with a changed printed birth date), reads each
/// front's printed fields upright by its portrait's turn, cross-checks them with the ground truth's barcode fields and
/// reports per field the read rate and agree / near / mismatch / missing, and the read time.
/// </summary>
internal static class EvaluateLicenceFrontsCommand
{
    private const string ReadStage = "licence front (refine, OCR, parse)";

    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Genuine licences per capture level.", DefaultValueFactory = _ => 100 };
        var tampered = new Option<int>("--tampered") { Description = "Licences per capture level whose front prints another birth date.", DefaultValueFactory = _ => 25 };
        var captures = new Option<string[]>("--capture")
        {
            Description = "Capture effects presets to generate at.",
            DefaultValueFactory = _ => ["mild", "strong"],
            AllowMultipleArgumentsPerToken = true,
        };
        captures.AcceptOnlyFromAmong([.. CaptureEffects.PresetNames]);
        var seed = new Option<int>("--seed") { Description = "The generator's seed.", DefaultValueFactory = _ => 18 };
        var faces = new Option<DirectoryInfo?>("--faces") { Description = "The faces folder (default: ../shared/data/lfw/images)." };
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate-licence-fronts", "Measure reading a licence front's printed fields and their cross-check with the barcode.")
        {
            count, tampered, captures, seed, faces, threads,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var services = CliServices.Build(CommonOptions.Overrides(threads: parse.GetValue(threads)));
                var reader = services.GetRequiredService<PrintedZoneReader>();
                var locator = services.GetRequiredService<PortraitLocator>();
                var decoder = services.GetRequiredService<ImageDecoder>();
                var outcomes = new List<FrontOutcome>();
                foreach (var capture in parse.GetRequiredValue(captures))
                {
                    using var generator = new SyntheticLicenceGenerator(new SyntheticGeneratorOptions
                    {
                        FacesFolder = parse.GetValue(faces)?.FullName ?? SamplesCommand.DefaultFacesFolder(),
                        Capture = CaptureEffects.Preset(capture)!,
                        Seed = parse.GetValue(seed),
                    });
                    var cases = Enumerable.Range(0, parse.GetValue(count)).Select(index => (index, LicenceTamper.None))
                        .Concat(Enumerable.Range(0, parse.GetValue(tampered)).Select(index => (index, LicenceTamper.PrintedBirthDate)));
                    foreach (var (index, tamper) in cases)
                    {
                        outcomes.Add(Evaluate(generator.Generate(index, tamper), capture, reader, locator, decoder));
                    }

                    error.WriteLine($"{capture}: {outcomes.Count(o => o.Capture == capture)} licence fronts read");
                }

                output.Write(Report(outcomes, $"verify {string.Join(' ', parse.Tokens.Select(token => token.Value))}"));
                return ExitCodes.Success;
            }
            catch (ModelUnavailableException exception)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.ModelsUnavailable;
            }
        });
        return command;
    }

    private static FrontOutcome Evaluate(SyntheticLicence licence, string capture, PrintedZoneReader reader, PortraitLocator locator, ImageDecoder decoder)
    {
        using var front = decoder.Decode(licence.Front);
        using var portrait = locator.Locate(front);
        if (portrait is null)
        {
            return new FrontOutcome(capture, licence.GroundTruth.Tamper, null, 0);
        }

        var started = Stopwatch.GetTimestamp();
        var printed = reader.ReadLicence(front, portrait.TextAngleDegrees);
        double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new FrontOutcome(capture, licence.GroundTruth.Tamper, BarcodeCrossCheck.Compare(LicenceBarcodeDocument.From(licence.GroundTruth.Barcode), printed), milliseconds);
    }

    private static string Report(List<FrontOutcome> outcomes, string invocation)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Licence fronts against the barcode: {invocation}").AppendLine();
        var sets = outcomes.GroupBy(o => (o.Capture, o.Tamper)).ToList();
        var summary = new MarkdownTable(["measure", .. sets.Select(Name)]);
        summary.Row(["portrait found (the turn to read by)", .. sets.Select(set => EvaluateDocumentsCommand.Rate(set.Count(o => o.Comparison is not null), set.Count()))]);
        summary.Row(["**a field mismatches**", .. sets.Select(set => EvaluateDocumentsCommand.Rate(set.Count(o => o.Comparison?.Fields.Any(f => f.Agreement == FieldAgreement.Mismatch) == true), set.Count()))]);
        summary.Row(["birth date mismatches", .. sets.Select(set => EvaluateDocumentsCommand.Rate(set.Count(o => o.Comparison?.BirthDate == FieldAgreement.Mismatch), set.Count()))]);
        text.AppendLine("### Summary").AppendLine().Append(summary).AppendLine();

        var fields = new MarkdownTable(["field", .. sets.Select(Name)]);
        foreach (var field in new PrintedZoneComparison(default, default, default, default, default).Fields.Select(f => f.Field))
        {
            fields.Row([field, .. sets.Select(set =>
            {
                var read = set.Where(o => o.Comparison is not null).Select(o => o.Comparison!.Fields.First(f => f.Field == field).Agreement).ToList();
                int Count(FieldAgreement agreement) => read.Count(a => a == agreement);
                return string.Create(CultureInfo.InvariantCulture,
                    $"read {EvaluateDocumentsCommand.Rate(read.Count - Count(FieldAgreement.Missing), set.Count())}; agree {Count(FieldAgreement.Agree)}, near {Count(FieldAgreement.Near)}, mismatch {Count(FieldAgreement.Mismatch)}, missing {Count(FieldAgreement.Missing) + set.Count() - read.Count}");
            })]);
        }

        text.AppendLine("### Per field (read: the front gave a value; missing includes fronts whose portrait was not found)").AppendLine().Append(fields).AppendLine();
        var latency = new MarkdownTable("capture", "stage", "p50 ms", "p95 ms", "mean ms");
        foreach (var level in outcomes.GroupBy(o => o.Capture))
        {
            EvaluateDocumentsCommand.LatencyRow(latency, level.Key, ReadStage, level.Where(o => o.Comparison is not null).Select(o => o.Milliseconds));
        }

        text.AppendLine("### Read time per front").AppendLine().Append(latency).AppendLine();
        return text.ToString();
    }

    private static string Name(IGrouping<(string Capture, LicenceTamper Tamper), FrontOutcome> set) =>
        $"{set.Key.Capture}{(set.Key.Tamper == LicenceTamper.None ? " genuine" : " printed birth date changed")} ({set.Count()})";

    private sealed record FrontOutcome(string Capture, LicenceTamper Tamper, PrintedZoneComparison? Comparison, double Milliseconds);
}
