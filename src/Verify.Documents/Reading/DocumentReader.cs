using System.Diagnostics;
using Microsoft.Extensions.Options;
using Verify.Documents.Aamva;
using Verify.Documents.Checks;
using Verify.Documents.Chip;
using Verify.Documents.Mrz;
using Verify.Documents.Portrait;
using Verify.Documents.PrintedZone;
using Verify.Imaging;
using Verify.Inference.Quality;

namespace Verify.Documents.Reading;

/// <summary>How reading a document ended.</summary>
public enum DocumentReadStatus
{
    /// <summary>The MRZ was found and parsed (check its validity and the findings).</summary>
    Read,

    /// <summary>No machine readable zone was found on any side given.</summary>
    NoMrz,

    /// <summary>An MRZ-like band was found but could not be read as an MRZ.</summary>
    MrzUnreadable,

    /// <summary>An image could not be decoded; <see cref="DocumentReadResult.DecodeError"/> says why.</summary>
    ImageUnreadable,

    /// <summary>A PDF417 barcode was decoded on the back but is not readable AAMVA data (<see cref="DocumentReadResult.Barcode"/> says why).</summary>
    BarcodeUnreadable,

    /// <summary>The chip's data groups could not be parsed (<see cref="DocumentReadResult.ChipError"/> says why).</summary>
    ChipUnreadable,
}

/// <summary>Where the document's data came from.</summary>
public enum DocumentSource
{
    /// <summary>The machine readable zone of a passport page or an identity card, read from its photo.</summary>
    Mrz,

    /// <summary>The AAMVA PDF417 barcode on the back of a US or Canadian driver's licence or ID card.</summary>
    Barcode,

    /// <summary>The chip of an ePassport or eID card: DG1, DG2 and the SOD, read by the phone over NFC.</summary>
    Chip,
}

/// <summary>The API's words for <see cref="DocumentSource"/>.</summary>
public static class DocumentSources
{
    /// <summary>mrz, barcode or chip.</summary>
    public static string ToCode(this DocumentSource source) => source switch
    {
        DocumentSource.Mrz => "mrz",
        DocumentSource.Barcode => "barcode",
        DocumentSource.Chip => "chip",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a document source."),
    };
}

/// <summary>Which image of the document something was found on.</summary>
public enum DocumentSide
{
    Front,
    Back,

    /// <summary>The chip's data groups (DG2's face image, for a decoding failure).</summary>
    Chip,
}

/// <summary>Everything read from a document: MRZ, printed zone, their cross-check, the checks, and the portrait.</summary>
/// <remarks>Owns <see cref="Portrait"/>; personal data stays in memory and <see cref="ToString"/> prints none of it.</remarks>
public sealed class DocumentReadResult : IDisposable
{
    public required DocumentReadStatus Status { get; init; }

    /// <summary>The decoding failure, when <see cref="Status"/> is <see cref="DocumentReadStatus.ImageUnreadable"/>.</summary>
    public ImageDecodeException? DecodeError { get; init; }

    /// <summary>The side the decoding failure or the MRZ was on.</summary>
    public DocumentSide? Side { get; init; }

    public MrzScan? Scan { get; init; }

    /// <summary>The MRZ: read from the photo, or DG1's for a chip.</summary>
    public MrzReading? Mrz => Scan?.Reading ?? ChipMrz;

    /// <summary>Where the document's data came from; null when nothing could be read.</summary>
    public DocumentSource? Source { get; init; }

    /// <summary>The PDF417 search of a licence's back, when the back had no MRZ.</summary>
    public AamvaBarcodeScan? Barcode { get; init; }

    /// <summary>The licence's barcode data, when it was read.</summary>
    public AamvaReading? Aamva => Barcode?.Reading;

    /// <summary>Passive authentication of the chip's data, when chip data were sent and parsed.</summary>
    public ChipAuthentication? Chip { get; init; }

    /// <summary>Why the chip's data could not be parsed, when <see cref="Status"/> is <see cref="DocumentReadStatus.ChipUnreadable"/>.</summary>
    public ChipDataError? ChipError { get; init; }

    /// <summary>DG1's MRZ, parsed as a photographed one is.</summary>
    public MrzReading? ChipMrz { get; init; }

    /// <summary>The document's expiry date, from whichever source was read.</summary>
    public DateOnly? ExpiryDate => Mrz?.ExpiryDate.Date ?? Aamva?.Document.ExpiryDate.Date;

    /// <summary>
    /// The issuer and number that identify the document for duplicate checks, when they were read validly: the MRZ's (or
    /// DG1's) issuing state and number, or the barcode's IIN and licence number.
    /// </summary>
    public (string Issuer, string Number)? DocumentKey =>
        Mrz is { IsValid: true } mrz && mrz.DocumentNumber.Value.Length > 0 ? (mrz.IssuingState.Value, mrz.DocumentNumber.Value)
        : Aamva is { } aamva && aamva.Document.DocumentNumber.IsValid ? ($"AAMVA:{aamva.Iin}", aamva.Document.DocumentNumber.Value)
        : null;

    public PrintedZoneReading? Printed { get; init; }

    public PrintedZoneComparison? Comparison { get; init; }

    public IReadOnlyList<DocumentFinding> Findings { get; init; } = [];

    public DocumentPortrait? Portrait { get; init; }

    /// <summary>Signs that the front photo shows a screen or a copy rather than the document (review signals, not rejections).</summary>
    public IReadOnlyList<string> CaptureSignals { get; init; } = [];

    /// <summary>Milliseconds per stage: decode, mrz, barcode, chip, capture_signals, portrait, printed_zone.</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The process's CPU milliseconds over the same stages (every thread's, the OCR pool's and the portrait search's
    /// included): a stage's own cost when one document is read at a time.
    /// </summary>
    public IReadOnlyDictionary<string, double> CpuTimings { get; init; } = new Dictionary<string, double>();

    public void Dispose() => Portrait?.Dispose();

    public override string ToString() =>
        $"DocumentReadResult {{ Status = {Status}, Source = {Source}, MrzValid = {Mrz?.IsValid}, Chip = {Chip?.Reason ?? (Chip is null ? null : "authenticated")}, Findings = {string.Join(",", Findings.Select(f => f.Code))}, Portrait = {Portrait is not null} }}";
}

/// <summary>
/// Reads an identity document: from its chip when chip data were sent (passive authentication, DG1's MRZ, DG2's
/// face), else from its photos: the MRZ (on the back when one is given, as on TD1 cards, else on the front) or, on a
/// licence's back, the AAMVA PDF417 barcode; the portrait and printed zone on the front, the cross-check between them,
/// and the document checks.
/// </summary>
public sealed class DocumentReader(
    ImageDecoder decoder,
    MrzReader mrzReader,
    PrintedZoneReader printedZoneReader,
    PortraitLocator portraitLocator,
    DocumentChecks checks,
    AamvaBarcodeReader barcodeReader,
    PassiveAuthenticator chipAuthenticator,
    IOptions<ImageDecoderOptions> decoderOptions,
    IOptions<PrintedZoneOptions> printedZoneOptions,
    IOptions<DocumentRecaptureOptions> recaptureOptions,
    TimeProvider time)
{
    // A chip's face may be JPEG 2000, which uploads are never decoded as: only chip portraits, under the same limits.
    private readonly ImageDecoder _chipDecoder = new(decoderOptions.Value.WithJpeg2000());

    /// <summary>Reads the document from its chip when <paramref name="evidence"/> has chip data, else from its photos.</summary>
    public DocumentReadResult Read(DocumentEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Chip is { } chip)
        {
            return ReadChip(chip, cancellationToken);
        }

        ArgumentNullException.ThrowIfNull(evidence.Front, nameof(evidence.Front));
        var back = evidence.Back is null ? default(ReadOnlyMemory<byte>?) : new ReadOnlyMemory<byte>(evidence.Back);
        return Read(evidence.Front, back, cancellationToken);
    }

    /// <summary>Reads the document from its photos: the front, and the back of a card or licence.</summary>
    public DocumentReadResult Read(ReadOnlyMemory<byte> front, ReadOnlyMemory<byte>? back = null, CancellationToken cancellationToken = default)
    {
        var clock = new StageClock();
        using var frontImage = TryDecode(front, out var frontError);
        ImageDecodeException? backError = null;
        using var backImage = back is { } backData ? TryDecode(backData, out backError) : null;
        if (frontImage is null || (back is not null && backImage is null))
        {
            return new DocumentReadResult
            {
                Status = DocumentReadStatus.ImageUnreadable,
                DecodeError = frontError ?? backError,
                Side = frontImage is null ? DocumentSide.Front : DocumentSide.Back,
            };
        }

        clock.Lap("decode");
        // A card's front has no MRZ to turn its portrait by, so its search (all four turns) need not wait for the
        // back's MRZ: it runs beside the MRZ read, and "portrait" then times only what it adds after it.
        var frontPortrait = backImage is null ? null : Task.Run(() => portraitLocator.Locate(frontImage, null, cancellationToken), cancellationToken);
        MrzScan scan;
        DocumentSide side;
        AamvaBarcodeScan? barcode;
        IReadOnlyList<string> captureSignals;
        try
        {
            (scan, side, barcode) = ScanSides(frontImage, backImage, clock, cancellationToken);
            clock.Lap(barcode is null ? "mrz" : "barcode");
            captureSignals = DocumentRecaptureSignals.Measure(frontImage).Assess(recaptureOptions.Value);
            clock.Lap("capture_signals");
        }
        catch
        {
            DisposeWhenDone(frontPortrait);
            throw;
        }

        double? frontAngle = side == DocumentSide.Front && scan.Status == MrzScanStatus.Read ? scan.TextAngleDegrees : null;
        var portrait = frontPortrait is not null ? frontPortrait.GetAwaiter().GetResult() : portraitLocator.Locate(frontImage, frontAngle, cancellationToken);
        try
        {
            clock.Lap("portrait");
            if (barcode is not null)
            {
                return ReadLicence(frontImage, barcode, portrait, captureSignals, clock, cancellationToken);
            }

            if (scan.Reading is not { } mrz)
            {
                return new DocumentReadResult
                {
                    Status = scan.Status == MrzScanStatus.NotFound ? DocumentReadStatus.NoMrz : DocumentReadStatus.MrzUnreadable,
                    Scan = scan,
                    Side = side,
                    Portrait = portrait,
                    CaptureSignals = captureSignals,
                    Timings = clock.Wall,
                    CpuTimings = clock.Cpu,
                };
            }

            // The printed zone is read upright: the MRZ gives the direction on a passport page, the portrait on a card front.
            double? printedAngle = frontAngle ?? portrait?.TextAngleDegrees;
            PrintedZoneReading? printed = null;
            PrintedZoneComparison? comparison = null;
            var printedZone = printedZoneOptions.Value;
            if (printedZone.Enabled && printedAngle is { } angle && !(printedZone.OnlyWhenMrzUnsettled && MrzReader.IsSettled(mrz)))
            {
                printed = printedZoneReader.Read(frontImage, angle, refine: frontAngle is null, cancellationToken);
                comparison = PrintedZoneCrossCheck.Compare(mrz, printed);
                clock.Lap("printed_zone");
            }

            return new DocumentReadResult
            {
                Status = DocumentReadStatus.Read,
                Source = DocumentSource.Mrz,
                Scan = scan,
                Side = side,
                Printed = printed,
                Comparison = comparison,
                Findings = checks.Evaluate(mrz, Today, comparison),
                Portrait = portrait,
                CaptureSignals = captureSignals,
                Timings = clock.Wall,
                CpuTimings = clock.Cpu,
            };
        }
        catch
        {
            // The portrait's pixels are personal data: return them to the pool wiped, not to the garbage collector.
            portrait?.Dispose();
            throw;
        }
    }

    // What a back read from its barcode reports as its MRZ scan.
    private static readonly MrzScan NoMrz = new(MrzScanStatus.NotFound, null, 0, 0, 0);

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// A licence or ID card whose back carries a PDF417: its AAMVA data, the front's printed name and dates cross-checked
    /// with them (read upright by the portrait's turn), and the checks.
    /// </summary>
    private DocumentReadResult ReadLicence(RgbImage front, AamvaBarcodeScan barcode, DocumentPortrait? portrait, IReadOnlyList<string> captureSignals,
        StageClock clock, CancellationToken cancellationToken)
    {
        PrintedZoneReading? printed = null;
        PrintedZoneComparison? comparison = null;
        var printedZone = printedZoneOptions.Value;
        if (barcode.Reading is { } read && printedZone.Enabled && printedZone.LicenceFront && portrait is not null)
        {
            printed = printedZoneReader.ReadLicence(front, portrait.TextAngleDegrees, cancellationToken);
            comparison = BarcodeCrossCheck.Compare(read.Document, printed);
            clock.Lap("printed_zone");
        }

        return new DocumentReadResult
        {
            Status = barcode.Reading is null ? DocumentReadStatus.BarcodeUnreadable : DocumentReadStatus.Read,
            Source = DocumentSource.Barcode,
            Barcode = barcode,
            Side = DocumentSide.Back,
            Printed = printed,
            Comparison = comparison,
            Findings = barcode.Reading is { } aamva ? checks.Evaluate(aamva, Today, comparison) : [],
            Portrait = portrait,
            CaptureSignals = captureSignals,
            Timings = clock.Wall,
            CpuTimings = clock.Cpu,
        };
    }

    /// <summary>
    /// The chip's data: DG1's MRZ and DG2's face, parsed; the SOD's signature, the data groups' hashes and the signer's
    /// certificate checked (passive authentication); the MRZ checked as a photographed one is, and the face located.
    /// </summary>
    private DocumentReadResult ReadChip(ChipEvidence chip, CancellationToken cancellationToken)
    {
        var clock = new StageClock();
        IReadOnlyList<string> lines;
        ChipFaceImage face;
        ChipAuthentication authentication;
        try
        {
            lines = ChipDataGroups.ReadDg1Mrz(chip.Dg1);
            face = ChipDataGroups.ReadDg2Face(chip.Dg2);
            authentication = chipAuthenticator.Authenticate(chip.Sod, chip.Dg1, chip.Dg2, time.GetUtcNow());
        }
        catch (ChipDataException exception)
        {
            return new DocumentReadResult { Status = DocumentReadStatus.ChipUnreadable, Source = DocumentSource.Chip, ChipError = exception.Error, Side = DocumentSide.Chip };
        }

        clock.Lap("chip");
        var today = Today;
        if (MrzParser.Parse(lines, today) is not { } mrz)
        {
            return new DocumentReadResult
            {
                Status = DocumentReadStatus.ChipUnreadable, Source = DocumentSource.Chip, ChipError = ChipDataError.Dg1Malformed,
                Chip = authentication, Side = DocumentSide.Chip,
            };
        }

        RgbImage image;
        try
        {
            image = _chipDecoder.Decode(face.Image);
        }
        catch (ImageDecodeException exception)
        {
            return new DocumentReadResult
            {
                Status = DocumentReadStatus.ImageUnreadable, Source = DocumentSource.Chip, DecodeError = exception, Chip = authentication,
                ChipMrz = mrz, Side = DocumentSide.Chip,
            };
        }

        using (image)
        {
            clock.Lap("decode");
            // The chip's face is stored upright: no turns to try beyond the one the image has.
            var portrait = portraitLocator.Locate(image, 0, cancellationToken);
            clock.Lap("portrait");
            // DG1 is the issuer's own text, not an OCR reading: doubt between look-alike readings does not arise.
            var findings = checks.Evaluate(mrz, today).Where(finding => finding.Code != DocumentChecks.MrzAmbiguous).ToList();
            if (authentication.Reason is { } reason)
            {
                findings.Add(new DocumentFinding(reason, authentication.IsReviewOnly ? FindingSeverity.Review : FindingSeverity.Reject, "chip"));
            }

            return new DocumentReadResult
            {
                Status = DocumentReadStatus.Read,
                Source = DocumentSource.Chip,
                Chip = authentication,
                ChipMrz = mrz,
                Side = DocumentSide.Chip,
                Findings = findings,
                Portrait = portrait,
                Timings = clock.Wall,
                CpuTimings = clock.Cpu,
            };
        }
    }

    /// <summary>
    /// The MRZ of the one side given, or of a card's back, then its front; or the PDF417 a licence carries on its back
    /// (the barcode is non-null only when one was decoded there, AAMVA data or not).
    /// </summary>
    private (MrzScan Scan, DocumentSide Side, AamvaBarcodeScan? Barcode) ScanSides(RgbImage front, RgbImage? back, StageClock clock,
        CancellationToken cancellationToken)
    {
        if (back is null)
        {
            return (mrzReader.Read(front, cancellationToken), DocumentSide.Front, null);
        }

        // A back whose dominant feature is one wide barcode-like band is a licence's: its PDF417 is read first. Else
        // the MRZ; and when that is not valid (the rows of a PDF417 can pass for MRZ lines that read as nonsense, at
        // some seconds of OCR), the barcode is looked for after all. The probe only orders the work: either way both
        // are tried before the back is given up, and a valid MRZ wins over a PDF417 that is not AAMVA data (some
        // identity cards carry both).
        var barcode = barcodeReader.ReadIfLicenceLike(back, cancellationToken);
        clock.Lap("barcode");
        if (barcode is { Status: AamvaBarcodeStatus.Read })
        {
            return (NoMrz, DocumentSide.Back, barcode);
        }

        var backScan = mrzReader.Read(back, cancellationToken);
        if (backScan.Reading is { IsValid: true })
        {
            return (backScan, DocumentSide.Back, null);
        }

        clock.Lap("mrz");
        if (barcode is null)
        {
            barcode = barcodeReader.Read(back, cancellationToken);
            clock.Lap("barcode");
        }

        if (barcode.Status != AamvaBarcodeStatus.NotFound)
        {
            return (backScan, DocumentSide.Back, barcode);
        }

        if (backScan.Status == MrzScanStatus.Read)
        {
            return (backScan, DocumentSide.Back, null);
        }

        var frontScan = mrzReader.Read(front, cancellationToken);
        return frontScan.Status == MrzScanStatus.NotFound ? (backScan, DocumentSide.Back, null) : (frontScan, DocumentSide.Front, null);
    }

    /// <summary>
    /// Waits for a portrait search whose result is no longer wanted (it reads the front image, which the caller is about
    /// to release) and wipes its pixels back to the pool.
    /// </summary>
    private static void DisposeWhenDone(Task<DocumentPortrait?>? search) =>
        search?.ContinueWith(done =>
        {
            if (done.IsCompletedSuccessfully)
            {
                done.Result?.Dispose();
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Wait(CancellationToken.None);

    private RgbImage? TryDecode(ReadOnlyMemory<byte> data, out ImageDecodeException? error)
    {
        try
        {
            error = null;
            return decoder.Decode(data.Span);
        }
        catch (ImageDecodeException exception)
        {
            error = exception;
            return null;
        }
    }

    /// <summary>Wall and process CPU milliseconds between laps.</summary>
    private sealed class StageClock
    {
        private long _started = Stopwatch.GetTimestamp();
        private double _cpuStarted = Environment.CpuUsage.TotalTime.TotalMilliseconds;

        public Dictionary<string, double> Wall { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, double> Cpu { get; } = new(StringComparer.Ordinal);

        public void Lap(string stage)
        {
            double cpu = Environment.CpuUsage.TotalTime.TotalMilliseconds;
            // A stage timed in two parts (the MRZ of a card's back, then of its front) adds up.
            Wall[stage] = Wall.GetValueOrDefault(stage) + Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            Cpu[stage] = Cpu.GetValueOrDefault(stage) + cpu - _cpuStarted;
            _started = Stopwatch.GetTimestamp();
            _cpuStarted = cpu;
        }
    }
}
