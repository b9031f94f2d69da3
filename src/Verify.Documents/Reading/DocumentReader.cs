using System.Diagnostics;
using Microsoft.Extensions.Options;
using Verify.Documents.Checks;
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
}

/// <summary>Which image of the document something was found on.</summary>
public enum DocumentSide
{
    Front,
    Back,
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

    public MrzReading? Mrz => Scan?.Reading;

    public PrintedZoneReading? Printed { get; init; }

    public PrintedZoneComparison? Comparison { get; init; }

    public IReadOnlyList<DocumentFinding> Findings { get; init; } = [];

    public DocumentPortrait? Portrait { get; init; }

    /// <summary>Signs that the front photo shows a screen or a copy rather than the document (review signals, not rejections).</summary>
    public IReadOnlyList<string> CaptureSignals { get; init; } = [];

    /// <summary>Milliseconds per stage: decode, mrz, capture_signals, portrait, printed_zone.</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The process's CPU milliseconds over the same stages (every thread's, the OCR pool's and the portrait search's
    /// included): a stage's own cost when one document is read at a time.
    /// </summary>
    public IReadOnlyDictionary<string, double> CpuTimings { get; init; } = new Dictionary<string, double>();

    public void Dispose() => Portrait?.Dispose();

    public override string ToString() =>
        $"DocumentReadResult {{ Status = {Status}, MrzValid = {Mrz?.IsValid}, Findings = {string.Join(",", Findings.Select(f => f.Code))}, Portrait = {Portrait is not null} }}";
}

/// <summary>
/// Reads an identity document from its photos: the MRZ (on the back when one is given, as on TD1 cards, else on
/// the front), the portrait and printed zone on the front, the cross-check between them, and the document checks.
/// </summary>
public sealed class DocumentReader(
    ImageDecoder decoder,
    MrzReader mrzReader,
    PrintedZoneReader printedZoneReader,
    PortraitLocator portraitLocator,
    DocumentChecks checks,
    IOptions<PrintedZoneOptions> printedZoneOptions,
    IOptions<DocumentRecaptureOptions> recaptureOptions,
    TimeProvider time)
{
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
        IReadOnlyList<string> captureSignals;
        try
        {
            (scan, side) = ScanSides(frontImage, backImage, cancellationToken);
            clock.Lap("mrz");
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

            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            return new DocumentReadResult
            {
                Status = DocumentReadStatus.Read,
                Scan = scan,
                Side = side,
                Printed = printed,
                Comparison = comparison,
                Findings = checks.Evaluate(mrz, today, comparison),
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

    private (MrzScan Scan, DocumentSide Side) ScanSides(RgbImage front, RgbImage? back, CancellationToken cancellationToken)
    {
        if (back is null)
        {
            return (mrzReader.Read(front, cancellationToken), DocumentSide.Front);
        }

        var backScan = mrzReader.Read(back, cancellationToken);
        if (backScan.Status == MrzScanStatus.Read)
        {
            return (backScan, DocumentSide.Back);
        }

        var frontScan = mrzReader.Read(front, cancellationToken);
        return frontScan.Status == MrzScanStatus.NotFound ? (backScan, DocumentSide.Back) : (frontScan, DocumentSide.Front);
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
            Wall[stage] = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            Cpu[stage] = cpu - _cpuStarted;
            _started = Stopwatch.GetTimestamp();
            _cpuStarted = cpu;
        }
    }
}
