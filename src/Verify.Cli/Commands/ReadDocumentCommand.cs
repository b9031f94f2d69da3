using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Verify.Documents.Aamva;
using Verify.Documents.Checks;
using Verify.Documents.PrintedZone;
using Verify.Documents.Reading;
using Verify.Inference.Models;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify read-document FILE [BACK]` or `verify read-document --dg1 F --dg2 F --sod F`: what the document reader makes
/// of a document photo (a passport page, a card's or licence's two sides) or of a chip's data groups, field by field.
/// </summary>
/// <remarks>
/// It prints MRZ and printed-zone values to the operator's terminal (that is its job) and nothing of them to the log:
/// the only logger is the services' console logger, which the reader never hands personal data.
/// </remarks>
internal static class ReadDocumentCommand
{
    public const string ExitCodeSummary =
        "Exit codes: 0 document read and valid with no reject finding (review findings are listed), 1 read but invalid or " +
        "with a reject finding (a chip that fails passive authentication included), 2 usage error, 3 no MRZ or barcode found or " +
        "unreadable, 4 unreadable input file or chip data, 5 models unavailable.";

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
        var front = new Argument<FileInfo?>("FILE") { Description = "Photo of the document: a passport data page, or the front of a card or licence (or none with --dg1, --dg2, --sod).", Arity = ArgumentArity.ZeroOrOne };
        var back = new Argument<FileInfo?>("BACK") { Description = "Photo of the back of a card (its MRZ) or licence (its PDF417 barcode) (optional).", Arity = ArgumentArity.ZeroOrOne };
        var dg1 = new Option<FileInfo?>("--dg1") { Description = "A chip's DG1 file (the MRZ), as a phone read it; with --dg2 and --sod." };
        var dg2 = new Option<FileInfo?>("--dg2") { Description = "A chip's DG2 file (the face image)." };
        var sod = new Option<FileInfo?>("--sod") { Description = "A chip's SOD file (the issuer's signature)." };
        var trustStore = new Option<DirectoryInfo?>("--trust-store") { Description = "Folder of CSCA certificates, master lists (.ml) and CRLs to authenticate chips against (default: Documents:Chip:TrustStore)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (snake_case names)." };
        var specimen = new Option<bool>("--allow-specimen-codes") { Description = "Accept the ICAO specimen state UTO (tests and demonstrations only)." };
        var threads = CommonOptions.Threads();
        var gpu = CommonOptions.Gpu();
        var command = new Command("read-document",
            "Read a document photo (and the back of a card or licence) or a chip's data groups: MRZ or AAMVA barcode fields and checks, " +
            "passive authentication, findings, portrait, capture signals, printed-zone cross-check and timings. " + ExitCodeSummary)
        {
            front, back, dg1, dg2, sod, trustStore, json, specimen, threads, gpu,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var overrides = CommonOptions.Overrides(threads: parse.GetValue(threads), gpu: parse.GetValue(gpu));
            if (parse.GetValue(specimen))
            {
                overrides[$"{DocumentCheckOptions.SectionName}:{nameof(DocumentCheckOptions.AllowSpecimenCodes)}"] = "true";
            }

            if (parse.GetValue(trustStore) is { } store)
            {
                overrides["Documents:Chip:TrustStore"] = store.FullName;
            }

            FileInfo?[] chip = [parse.GetValue(dg1), parse.GetValue(dg2), parse.GetValue(sod)];
            var frontFile = parse.GetValue(front);
            if (chip.Any(file => file is not null) ? chip.Any(file => file is null) : frontFile is null)
            {
                error.WriteLine("error: give a document photo (FILE [BACK]), or all three of --dg1, --dg2 and --sod.");
                return ExitCodes.Usage;
            }

            return Run(new Files(frontFile?.FullName, parse.GetValue(back)?.FullName, chip.All(file => file is not null) ? [.. chip.Select(file => file!.FullName)] : null),
                parse.GetValue(json), overrides, parse.InvocationConfiguration.Output, error);
        });
        return command;
    }

    private static int Run(Files files, bool json, Dictionary<string, string?> overrides, TextWriter output, TextWriter error)
    {
        DocumentEvidence evidence;
        try
        {
            evidence = new DocumentEvidence(files.Front is { } front ? File.ReadAllBytes(front) : null, files.Back is { } back ? File.ReadAllBytes(back) : null,
                files.Chip is { } chip ? new ChipEvidence(File.ReadAllBytes(chip[0]), File.ReadAllBytes(chip[1]), File.ReadAllBytes(chip[2])) : null);
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
            using var result = reader.Read(evidence);
            var outcome = Outcome(result);
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
                ReadOutcome.NoMrz or ReadOutcome.MrzUnreadable or ReadOutcome.BarcodeUnreadable => ExitCodes.NoMrz,
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
        BarcodeUnreadable,
        ImageUnreadable,
    }

    /// <summary>The input files' paths: the photos, or the chip's DG1, DG2 and SOD.</summary>
    private sealed record Files(string? Front, string? Back, string[]? Chip)
    {
        public string Describe() => Chip is { } chip ? $"chip:          DG1 {Path.GetFileName(chip[0])}, DG2 {Path.GetFileName(chip[1])}, SOD {Path.GetFileName(chip[2])}"
            : Back is null ? $"file:          {Path.GetFileName(Front)}"
            : $"files:         front {Path.GetFileName(Front)}, back {Path.GetFileName(Back)}";
    }

    private static ReadOutcome Outcome(DocumentReadResult result) => result.Status switch
    {
        DocumentReadStatus.Read when result.Mrz is { IsValid: false } || result.Findings.Any(f => f.Severity == FindingSeverity.Reject) => ReadOutcome.Rejected,
        DocumentReadStatus.Read when result.Findings.Count > 0 => ReadOutcome.NeedsReview,
        DocumentReadStatus.Read => ReadOutcome.Valid,
        DocumentReadStatus.NoMrz => ReadOutcome.NoMrz,
        DocumentReadStatus.MrzUnreadable => ReadOutcome.MrzUnreadable,
        DocumentReadStatus.BarcodeUnreadable => ReadOutcome.BarcodeUnreadable,
        _ => ReadOutcome.ImageUnreadable,
    };

    private static string StatusText(DocumentReadStatus status) => status switch
    {
        DocumentReadStatus.Read => "read",
        DocumentReadStatus.NoMrz => "no MRZ",
        DocumentReadStatus.MrzUnreadable => "MRZ unreadable",
        DocumentReadStatus.BarcodeUnreadable => "barcode unreadable",
        DocumentReadStatus.ChipUnreadable => "chip data unreadable",
        _ => "image unreadable",
    };

    private static string OutcomeText(ReadOutcome outcome) => outcome switch
    {
        ReadOutcome.Valid => "valid",
        ReadOutcome.NeedsReview => "needs review (valid, but a person should look at the findings)",
        ReadOutcome.Rejected => "rejected (the MRZ is invalid or a finding rejects the document)",
        ReadOutcome.NoMrz => "no MRZ found (nor, on a back, a licence barcode)",
        ReadOutcome.BarcodeUnreadable => "a PDF417 barcode was found but is not readable AAMVA data",
        ReadOutcome.MrzUnreadable => "an MRZ-like band was found but could not be read",
        _ => "an image or the chip's data could not be decoded",
    };

    private static void WriteText(TextWriter output, Files files, DocumentReadResult result, ReadOutcome outcome, double startupMs)
    {
        output.WriteLine(files.Describe());
        string where = result.Status == DocumentReadStatus.ImageUnreadable ? "failed on" : result.Source is DocumentSource.Barcode or DocumentSource.Chip ? "read from" : "MRZ on";
        string side = result.Side is { } s ? $" ({where} the {s.ToString().ToLowerInvariant()})" : "";
        output.WriteLine($"status:        {StatusText(result.Status)}{side}");
        if (result.Source is { } source)
        {
            output.WriteLine($"source:        {source.ToCode()}");
        }

        if (result.DecodeError is { } decodeError)
        {
            output.WriteLine($"decode error:  {decodeError.Error}: {decodeError.Message}");
        }

        if (result.ChipError is { } chipError)
        {
            output.WriteLine($"chip error:    {chipError}");
        }

        if (result.Chip is { } chip)
        {
            output.WriteLine($"chip:          {(chip.Authenticated ? "authenticated" : $"NOT authenticated: {chip.Reason}")} (hash {chip.HashAlgorithm}, signer country {chip.SignerCountry ?? "unknown"}, " +
                $"signed {chip.SigningTime?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "at an unstated time"})");
        }

        if (result.Barcode is { } barcode)
        {
            WriteBarcode(output, barcode);
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

    private static void WriteBarcode(TextWriter output, AamvaBarcodeScan barcode)
    {
        output.WriteLine($"barcode:       PDF417 {barcode.Status.ToString().ToLowerInvariant()}{(barcode.QuarterTurns != 0 ? $", turned {barcode.QuarterTurns * 90} degrees" : "")}{(barcode.FromRegion ? ", from its region" : "")}" +
            (barcode.Parse?.Error is { } parseError ? $": {parseError} at character {barcode.Parse.Position}" : ""));
        if (barcode.Reading is not { } aamva)
        {
            return;
        }

        output.WriteLine($"AAMVA:         version {aamva.Version}, IIN {aamva.Iin}, subfiles {string.Join(" ", aamva.Subfiles.Select(subfile => subfile.Type))}, {aamva.Document.DocumentType}");
        output.WriteLine("fields:");
        foreach (var (name, field) in aamva.Document.NamedFields)
        {
            output.WriteLine($"  {name,-17}{(field.Value.Length > 0 ? field.Value : "(absent)"),-32}{(field.ElementId is null ? "" : $"{field.ElementId} {(field.IsValid ? "valid" : "invalid")}")}");
        }

        output.WriteLine("AAMVA checks:  " + (aamva.Findings.Count == 0 ? "none" : string.Join(", ", aamva.Findings)));
    }

    private static object ToJson(Files files, DocumentReadResult result, ReadOutcome outcome, double startupMs) => new
    {
        Front = files.Front is { } front ? Path.GetFileName(front) : null,
        Back = files.Back is { } back ? Path.GetFileName(back) : null,
        Chip = files.Chip?.Select(Path.GetFileName),
        Status = result.Status,
        Outcome = outcome,
        Source = result.Source?.ToCode(),
        Side = result.Side,
        ChipError = result.ChipError,
        ChipAuthentication = result.Chip is { } chip
            ? new { chip.Authenticated, chip.Reason, chip.HashAlgorithm, chip.SignerCountry, chip.SigningTime }
            : null,
        Barcode = result.Barcode is { } barcode
            ? new
            {
                barcode.Status,
                barcode.QuarterTurns,
                barcode.FromRegion,
                ParseError = barcode.Parse?.Error,
                Version = barcode.Reading?.Version,
                Iin = barcode.Reading?.Iin,
                Fields = barcode.Reading is { } aamva
                    ? aamva.Document.NamedFields.Select(field => new { field.Name, Element = field.Field.ElementId, field.Field.Value, Valid = field.Field.IsValid })
                    : null,
                Checks = barcode.Reading?.Findings.Select(finding => finding.ToString()),
            }
            : null,
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
