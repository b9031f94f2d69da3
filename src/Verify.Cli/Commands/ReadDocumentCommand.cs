using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Verify.Documents.Checks;
using Verify.Documents.PrintedZone;
using Verify.Documents.Reading;
using Verify.Inference.Models;

namespace Verify.Cli.Commands;

/// <summary>`verify read-document FILE [BACK]`: what the document reader makes of a document photo, field by field.</summary>
/// <remarks>
/// It prints MRZ and printed-zone values to the operator's terminal (that is its job) and nothing of them to the log:
/// the only logger is the services' console logger, which the reader never hands personal data.
/// </remarks>
internal static class ReadDocumentCommand
{
    public const string ExitCodeSummary =
        "Exit codes: 0 MRZ read and valid with no reject finding (review findings are listed), 1 MRZ read but invalid or " +
        "with a reject finding, 2 usage error, 3 no MRZ found or MRZ unreadable, 4 unreadable input file, 5 models unavailable.";

    private static readonly JsonSerializerOptions Json = new()
    {
        // Printed to a terminal or piped to a tool, never embedded in HTML: MRZ fillers stay '<'.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Command Create()
    {
        var front = new Argument<FileInfo>("FILE") { Description = "Photo of the document: a passport data page, or the front of a card." };
        var back = new Argument<FileInfo?>("BACK") { Description = "Photo of the back of a card, where TD1 cards carry the MRZ (optional).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (snake_case names)." };
        var specimen = new Option<bool>("--allow-specimen-codes") { Description = "Accept the ICAO specimen state UTO (tests and demonstrations only)." };
        var threads = CommonOptions.Threads();
        var gpu = CommonOptions.Gpu();
        var command = new Command("read-document",
            "Read a document photo (and the back of a card): MRZ fields and check digits, corrections, findings, portrait, capture signals, " +
            "printed-zone cross-check and timings. " + ExitCodeSummary)
        {
            front, back, json, specimen, threads, gpu,
        };
        command.SetAction(parse =>
        {
            var overrides = CommonOptions.Overrides(threads: parse.GetValue(threads), gpu: parse.GetValue(gpu));
            if (parse.GetValue(specimen))
            {
                overrides[$"{DocumentCheckOptions.SectionName}:{nameof(DocumentCheckOptions.AllowSpecimenCodes)}"] = "true";
            }

            return Run(parse.GetRequiredValue(front), parse.GetValue(back), parse.GetValue(json), overrides,
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(FileInfo front, FileInfo? back, bool json, Dictionary<string, string?> overrides, TextWriter output, TextWriter error)
    {
        byte[] frontBytes;
        byte[]? backBytes;
        try
        {
            frontBytes = File.ReadAllBytes(front.FullName);
            backBytes = back is null ? null : File.ReadAllBytes(back.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot read input: {exception.Message}");
            return ExitCodes.BadInput;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            using var services = CliServices.Build(overrides);
            var reader = services.GetRequiredService<DocumentReader>();
            double startupMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            using var result = reader.Read(frontBytes, backBytes is null ? (ReadOnlyMemory<byte>?)null : backBytes);
            var outcome = Outcome(result);
            var files = new Files(front.Name, back?.Name);
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(ToJson(files, result, outcome, startupMs), Json));
            }
            else
            {
                WriteText(output, files, result, outcome, startupMs);
            }

            return outcome switch
            {
                ReadOutcome.Valid or ReadOutcome.NeedsReview => ExitCodes.Success,
                ReadOutcome.Rejected => ExitCodes.DocumentRejected,
                ReadOutcome.NoMrz or ReadOutcome.MrzUnreadable => ExitCodes.NoMrz,
                _ => ExitCodes.BadInput,
            };
        }
        catch (ModelUnavailableException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.ModelsUnavailable;
        }
    }

    /// <summary>What the command concludes, one word per exit code (valid and needs_review both exit 0).</summary>
    private enum ReadOutcome
    {
        Valid,
        NeedsReview,
        Rejected,
        NoMrz,
        MrzUnreadable,
        ImageUnreadable,
    }

    private sealed record Files(string Front, string? Back);

    private static ReadOutcome Outcome(DocumentReadResult result) => result.Status switch
    {
        DocumentReadStatus.Read when !result.Mrz!.IsValid || result.Findings.Any(f => f.Severity == FindingSeverity.Reject) => ReadOutcome.Rejected,
        DocumentReadStatus.Read when result.Findings.Count > 0 => ReadOutcome.NeedsReview,
        DocumentReadStatus.Read => ReadOutcome.Valid,
        DocumentReadStatus.NoMrz => ReadOutcome.NoMrz,
        DocumentReadStatus.MrzUnreadable => ReadOutcome.MrzUnreadable,
        _ => ReadOutcome.ImageUnreadable,
    };

    private static string StatusText(DocumentReadStatus status) => status switch
    {
        DocumentReadStatus.Read => "read",
        DocumentReadStatus.NoMrz => "no MRZ",
        DocumentReadStatus.MrzUnreadable => "MRZ unreadable",
        _ => "image unreadable",
    };

    private static string OutcomeText(ReadOutcome outcome) => outcome switch
    {
        ReadOutcome.Valid => "valid",
        ReadOutcome.NeedsReview => "needs review (valid, but a person should look at the findings)",
        ReadOutcome.Rejected => "rejected (the MRZ is invalid or a finding rejects the document)",
        ReadOutcome.NoMrz => "no MRZ found",
        ReadOutcome.MrzUnreadable => "an MRZ-like band was found but could not be read",
        _ => "an image could not be decoded",
    };

    private static void WriteText(TextWriter output, Files files, DocumentReadResult result, ReadOutcome outcome, double startupMs)
    {
        output.WriteLine(files.Back is null ? $"file:          {files.Front}" : $"files:         front {files.Front}, back {files.Back}");
        string side = result.Side is { } s ? $" ({(result.Status == DocumentReadStatus.ImageUnreadable ? "failed on" : "MRZ on")} the {s.ToString().ToLowerInvariant()})" : "";
        output.WriteLine($"status:        {StatusText(result.Status)}{side}");
        if (result.DecodeError is { } decodeError)
        {
            output.WriteLine($"decode error:  {decodeError.Error}: {decodeError.Message}");
        }

        if (result.Mrz is { } mrz)
        {
            output.WriteLine($"MRZ format:    {mrz.Format.ToString().ToUpperInvariant()}, {(mrz.IsValid ? "valid" : "invalid")}");
            for (int line = 0; line < mrz.Lines.Count; line++)
            {
                output.WriteLine($"  line {line + 1}       {mrz.Lines[line]}");
            }

            output.WriteLine("fields:");
            foreach (var field in mrz.Fields.Where(field => field.Raw.Length > 0))
            {
                output.WriteLine($"  {DocumentChecks.FieldName(field.Name),-17}{(field.Value.Length > 0 ? field.Value : "(empty)"),-32}{(field.IsValid ? "valid" : "invalid")}");
            }

            output.WriteLine($"  {"surname",-17}{mrz.Surname}");
            output.WriteLine($"  {"given_names",-17}{mrz.GivenNames}");
            output.WriteLine("check digits:  " + string.Join(", ", mrz.CheckDigits.Select(check => $"{DocumentChecks.CheckName(check.Check)} {(check.Passed ? "passed" : "failed")}")));
            output.WriteLine($"corrections:   {mrz.Corrections.Count}");
            output.WriteLine("flags:         " + (mrz.Flags.Count == 0 ? "none" : string.Join(", ", mrz.Flags.Select(flag => flag.Field is { } name ? $"{flag.Issue} ({DocumentChecks.FieldName(name)})" : flag.Issue.ToString()))));
        }

        if (result.Status == DocumentReadStatus.Read)
        {
            output.WriteLine("findings:      " + (result.Findings.Count == 0 ? "none" : string.Join(", ", result.Findings.Select(finding =>
                $"{finding.Code} ({finding.Severity.ToString().ToLowerInvariant()}{(finding.Field is { } field ? ", " + field : "")})"))));
        }

        if (result.Status != DocumentReadStatus.ImageUnreadable)
        {
            output.WriteLine("portrait:      " + (result.Portrait is { } portrait
                ? string.Create(CultureInfo.InvariantCulture, $"found at ({portrait.Centre.X:0},{portrait.Centre.Y:0}), detector score {portrait.Face.Score:0.00}")
                : "not found"));
            output.WriteLine("capture:       " + (result.CaptureSignals.Count == 0 ? "no signals" : string.Join(", ", result.CaptureSignals)));
        }

        if (result.Comparison is { } comparison)
        {
            output.WriteLine("printed zone:");
            foreach (var (field, agreement, printed) in PrintedFields(comparison, result.Printed))
            {
                output.WriteLine($"  {field,-17}{AgreementText(agreement),-10}{printed ?? ""}");
            }
        }
        else if (result.Status == DocumentReadStatus.Read)
        {
            output.WriteLine("printed zone:  not read (the MRZ is settled, the read is switched off, or no upright direction is known)");
        }

        output.WriteLine("timings:       " + string.Join(", ", StageTimings(result).Select(stage => string.Create(CultureInfo.InvariantCulture, $"{stage.Key} {stage.Value:0.0} ms"))) +
            string.Create(CultureInfo.InvariantCulture, $"; total {result.Timings.Values.Sum():0.0} ms, after {startupMs:0} ms loading models"));
        output.WriteLine($"outcome:       {OutcomeText(outcome)}");
    }

    private static object ToJson(Files files, DocumentReadResult result, ReadOutcome outcome, double startupMs) => new
    {
        Front = files.Front,
        Back = files.Back,
        Status = result.Status,
        Outcome = outcome,
        Side = result.Side,
        DecodeError = result.DecodeError is { } decodeError ? new { decodeError.Error, decodeError.Format, decodeError.Message } : null,
        Mrz = result.Mrz is { } mrz
            ? new
            {
                mrz.Format,
                Valid = mrz.IsValid,
                mrz.Lines,
                Fields = mrz.Fields.Where(field => field.Raw.Length > 0).Select(field => new
                {
                    Name = DocumentChecks.FieldName(field.Name),
                    field.Value,
                    field.Raw,
                    Valid = field.IsValid,
                }),
                mrz.Surname,
                mrz.GivenNames,
                CheckDigits = mrz.CheckDigits.Select(check => new { Check = DocumentChecks.CheckName(check.Check), check.Passed }),
                Corrections = mrz.Corrections.Count,
                Flags = mrz.Flags.Select(flag => new { flag.Issue, Field = flag.Field is { } name ? DocumentChecks.FieldName(name) : null }),
            }
            : null,
        Findings = result.Findings.Select(finding => new { finding.Code, finding.Severity, finding.Field }),
        Portrait = result.Portrait is { } portrait
            ? (object)new { Found = true, Centre = new[] { portrait.Centre.X, portrait.Centre.Y }, DetectorScore = portrait.Face.Score }
            : new { Found = false },
        result.CaptureSignals,
        PrintedZone = result.Comparison is { } comparison
            ? PrintedFields(comparison, result.Printed).Select(field => new { field.Field, field.Agreement, Printed = field.Value })
            : null,
        TimingsMs = StageTimings(result),
        StartupMs = startupMs,
    };

    /// <summary>The reader's stages in order, the MRZ stage followed by its locate and OCR parts (which the total does not count again).</summary>
    private static Dictionary<string, double> StageTimings(DocumentReadResult result)
    {
        var timings = new Dictionary<string, double>();
        foreach (var (stage, milliseconds) in result.Timings)
        {
            timings[stage] = milliseconds;
            if (stage == "mrz" && result.Scan is { } scan)
            {
                timings["mrz_locate"] = scan.LocateMilliseconds;
                timings["mrz_ocr"] = scan.OcrMilliseconds;
            }
        }

        return timings;
    }

    private static IEnumerable<(string Field, FieldAgreement Agreement, string? Value)> PrintedFields(PrintedZoneComparison comparison, PrintedZoneReading? printed) =>
        comparison.Fields.Select(field => (field.Field, field.Agreement, field.Field switch
        {
            "surname" => printed?.Surname,
            "given_names" => printed?.GivenNames,
            "birth_date" => printed?.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "document_number" => printed?.DocumentNumber,
            "expiry_date" => printed?.ExpiryDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => null,
        }));

    private static string AgreementText(FieldAgreement agreement) => agreement switch
    {
        FieldAgreement.Agree => "agree",
        FieldAgreement.Near => "near",
        FieldAgreement.Mismatch => "mismatch",
        _ => "missing",
    };
}
