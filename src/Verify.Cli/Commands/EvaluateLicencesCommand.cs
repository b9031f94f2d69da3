using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Verify.Cli.Lfw;
using Verify.Documents.Aamva;
using Verify.Documents.Portrait;
using Verify.Evaluation;
using Verify.Imaging;
using Verify.Inference.Models;
using Verify.Synthetic;
using Verify.Synthetic.Licences;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify evaluate-licences`: generates driver's licences, reads each back's PDF417 with the service's
/// <see cref="AamvaBarcodeReader"/> and each front's portrait with its <see cref="PortraitLocator"/>, and reports the
/// read rate, the share with every AAMVA field right, per-field accuracy, the errors, the time and CPU of a read.
/// </summary>
internal static class EvaluateLicencesCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Licences to generate and read.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 21 };
        var capture = new Option<string>("--capture") { Description = "Capture effects preset: none, mild or strong.", DefaultValueFactory = _ => "mild" };
        capture.AcceptOnlyFromAmong([.. CaptureEffects.PresetNames]);
        var validOn = new Option<string?>("--valid-on") { Description = "Every licence is valid and its holder of age on this date (yyyy-MM-dd; default today)." };
        var faces = new Option<DirectoryInfo?>("--faces") { Description = "LFW-layout faces folder (default: ../shared/data/lfw/images)." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the Markdown report to this file." };
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate-licences", "Generate driver's licences and measure reading their AAMVA PDF417 and finding their portrait.")
        {
            count, seed, capture, validOn, faces, report, threads,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            DateOnly date = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            if (parse.GetValue(validOn) is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                error.WriteLine("error: --valid-on must be a date written yyyy-MM-dd.");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(count) < 1)
            {
                error.WriteLine("error: --count must be at least 1.");
                return ExitCodes.Usage;
            }

            var options = new SyntheticGeneratorOptions
            {
                FacesFolder = parse.GetValue(faces)?.FullName ?? SamplesCommand.DefaultFacesFolder(),
                Capture = CaptureEffects.Preset(parse.GetRequiredValue(capture))!,
                Seed = parse.GetValue(seed),
                ValidOn = date,
            };
            string invocation = string.Create(CultureInfo.InvariantCulture,
                $"verify evaluate-licences --count {parse.GetValue(count)} --seed {options.Seed} --capture {options.Capture.Name} --valid-on {date:yyyy-MM-dd}");
            try
            {
                using var services = CliServices.Build(CommonOptions.Overrides(threads: parse.GetValue(threads)));
                var outcomes = Evaluate(services, options, parse.GetValue(count), error);
                string markdown = Report(outcomes, invocation);
                parse.InvocationConfiguration.Output.Write(markdown);
                if (parse.GetValue(report) is { } file)
                {
                    File.WriteAllText(file.FullName, markdown);
                }

                return ExitCodes.Success;
            }
            catch (ModelUnavailableException exception)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.ModelsUnavailable;
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    /// <summary>What reading one licence gave, against its ground truth.</summary>
    private sealed record LicenceOutcome(
        LicenceGroundTruth Truth,
        AamvaBarcodeScan Scan,
        IReadOnlyList<string> WrongFields,
        double ReadMilliseconds,
        double ReadCpuMilliseconds,
        bool PortraitFound,
        bool PortraitInPlace)
    {
        public bool Read => Scan.Status == AamvaBarcodeStatus.Read;

        public bool AllFieldsRight => Read && WrongFields.Count == 0;
    }

    private static List<LicenceOutcome> Evaluate(ServiceProvider services, SyntheticGeneratorOptions options, int count, TextWriter progress)
    {
        var decoder = services.GetRequiredService<ImageDecoder>();
        var reader = services.GetRequiredService<AamvaBarcodeReader>();
        var portraits = services.GetRequiredService<PortraitLocator>();
        using var generator = new SyntheticLicenceGenerator(options);
        var outcomes = new List<LicenceOutcome>();
        for (int index = 0; index < count; index++)
        {
            var licence = generator.Generate(index);
            var truth = licence.GroundTruth;
            AamvaBarcodeScan scan;
            double milliseconds, cpu;
            using (var back = decoder.Decode(licence.Back))
            {
                var cpuBefore = Environment.CpuUsage.TotalTime;
                long started = Stopwatch.GetTimestamp();
                scan = reader.Read(back);
                milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
            }

            using var front = decoder.Decode(licence.Front);
            using var portrait = portraits.Locate(front);
            var wrong = scan.Reading is { } reading ? truth.Barcode.Mismatches(reading.Document) : LicenceBarcodeFields.FieldNames;
            outcomes.Add(new LicenceOutcome(truth, scan, wrong, milliseconds, cpu, portrait is not null,
                portrait is not null && truth.Images[0].PortraitContains(portrait.Centre.X, portrait.Centre.Y)));
            if ((index + 1) % 50 == 0)
            {
                progress.WriteLine($"{index + 1}/{count} licences read");
            }
        }

        return outcomes;
    }

    private static string Report(List<LicenceOutcome> outcomes, string invocation)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Driver's licences: `{invocation}`").AppendLine();
        var summary = new MarkdownTable("measure", $"{outcomes.Count} licences");
        summary.Row("barcode read (PDF417 decoded and parsed as AAMVA)", Rate(outcomes.Count(o => o.Read), outcomes.Count));
        summary.Row("**every AAMVA field right**", Rate(outcomes.Count(o => o.AllFieldsRight), outcomes.Count));
        summary.Row("read with no parser finding", Rate(outcomes.Count(o => o.Read && o.Scan.Reading!.Findings.Count == 0), outcomes.Count));
        summary.Row("read from the whole image / from the barcode-like region",
            $"{outcomes.Count(o => o.Read && !o.Scan.FromRegion)} / {outcomes.Count(o => o.Read && o.Scan.FromRegion)}");
        summary.Row("not found (no PDF417 decoded)", outcomes.Count(o => o.Scan.Status == AamvaBarcodeStatus.NotFound).ToString(CultureInfo.InvariantCulture));
        summary.Row("decoded but not AAMVA", outcomes.Count(o => o.Scan.Status == AamvaBarcodeStatus.NotAamva).ToString(CultureInfo.InvariantCulture));
        summary.Row("portrait found (front)", Rate(outcomes.Count(o => o.PortraitFound), outcomes.Count));
        summary.Row("portrait found in the right place", Rate(outcomes.Count(o => o.PortraitInPlace), outcomes.Count));
        var times = LatencyStatistics.From(outcomes.Select(o => o.ReadMilliseconds).ToList());
        var cpu = LatencyStatistics.From(outcomes.Select(o => o.ReadCpuMilliseconds).ToList());
        summary.Row("barcode read time p50 / p95 (ms, one thread)", $"{LfwCommand.Ms(times.P50)} / {LfwCommand.Ms(times.P95)}");
        summary.Row("barcode read CPU p50 / p95 / mean (ms)", $"{LfwCommand.Ms(cpu.P50)} / {LfwCommand.Ms(cpu.P95)} / {LfwCommand.Ms(cpu.Mean)}");
        text.Append(summary).AppendLine();

        var fields = new MarkdownTable("AAMVA field", "right");
        foreach (string field in LicenceBarcodeFields.FieldNames)
        {
            fields.Row(field, Rate(outcomes.Count(o => o.Read && !o.WrongFields.Contains(field)), outcomes.Count));
        }

        text.AppendLine("Per field (a licence whose barcode was not read counts as wrong in every field):").AppendLine().Append(fields).AppendLine();

        var versions = new MarkdownTable("AAMVA versions", "licences", "every field right");
        foreach (var group in outcomes.GroupBy(o => o.Truth.Version switch { 1 => "1", <= 3 => "2-3", <= 7 => "4-7", _ => "8-10" }).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            versions.Row(group.Key, group.Count().ToString(CultureInfo.InvariantCulture), Rate(group.Count(o => o.AllFieldsRight), group.Count()));
        }

        text.Append(versions).AppendLine();
        var errors = outcomes.Where(o => o.Scan.Parse?.Error is not null).GroupBy(o => o.Scan.Parse!.Error!.Value.ToString())
            .Concat(outcomes.Where(o => o.Read).SelectMany(o => o.Scan.Reading!.Findings.Select(f => (Finding: f.ToString(), Outcome: o)))
                .GroupBy(pair => pair.Finding, pair => pair.Outcome))
            .ToList();
        text.AppendLine(errors.Count == 0
            ? "Parse errors and findings: none."
            : "Parse errors and findings: " + string.Join(", ", errors.Select(g => $"{g.Key} {g.Count()}")) + ".").AppendLine();

        var failures = outcomes.Where(o => !o.AllFieldsRight).ToList();
        if (failures.Count > 0)
        {
            var table = new MarkdownTable("licence", "outcome", "turn", "tilt", "blur", "glare", "modules (mm)", "EC level");
            foreach (var o in failures)
            {
                var capture = o.Truth.Images[1].Capture;
                table.Row(o.Truth.Id, o.Read ? "wrong: " + string.Join(" ", o.WrongFields) : o.Scan.Status.ToString(),
                    capture.RotationDegrees.ToString(CultureInfo.InvariantCulture), capture.TiltDegrees.ToString("0.0", CultureInfo.InvariantCulture),
                    capture.BlurSigma.ToString("0.00", CultureInfo.InvariantCulture),
                    capture.Glare is { } glare ? glare.Strength.ToString("0", CultureInfo.InvariantCulture) : "-",
                    o.Truth.BarcodeLayout.ModuleWidthMm.ToString("0.000", CultureInfo.InvariantCulture),
                    o.Truth.BarcodeLayout.ErrorCorrectionLevel.ToString(CultureInfo.InvariantCulture));
            }

            text.AppendLine("Licences not read right (back photo's capture draw):").AppendLine().Append(table).AppendLine();
        }

        return text.ToString();
    }

    private static string Rate(int count, int total) =>
        total == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{count * 100.0 / total:0.0}% ({count}/{total})");
}
