using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Verify.Documents.Ocr;

/// <summary>
/// Tesseract's progress monitor (ETEXT_DESC) for one recognition: a deadline Tesseract keeps itself and a cancel
/// callback that reads the caller's <see cref="CancellationToken"/> (and the deadline, in case the native clock and ours
/// disagree). Tesseract consults both between words, so a long recognition stops within a word of either; what it
/// does not consult (its layout analysis before the first word) runs to its end.
/// </summary>
internal sealed class RecognitionMonitor : IDisposable
{
    private readonly IntPtr _monitor;
    private readonly GCHandle _self;
    private readonly CancellationToken _cancellationToken;
    private readonly TimeSpan? _deadline;
    private readonly long _started = Stopwatch.GetTimestamp();

    public unsafe RecognitionMonitor(TimeSpan? deadline, CancellationToken cancellationToken)
    {
        _deadline = deadline;
        _cancellationToken = cancellationToken;
        _monitor = TesseractNative.TessMonitorCreate();
        if (_monitor == IntPtr.Zero)
        {
            throw new OcrUnavailableException("Tesseract could not create a progress monitor.");
        }

        _self = GCHandle.Alloc(this);
        TesseractNative.TessMonitorSetCancelThis(_monitor, GCHandle.ToIntPtr(_self));
        TesseractNative.TessMonitorSetCancelFunc(_monitor, &ShouldCancel);
        if (deadline is { } limit)
        {
            TesseractNative.TessMonitorSetDeadlineMSecs(_monitor, (int)Math.Clamp(Math.Ceiling(limit.TotalMilliseconds), 1, int.MaxValue));
        }
    }

    /// <summary>The native monitor, for <c>TessBaseAPIRecognize</c>.</summary>
    public IntPtr Handle => _monitor;

    private bool DeadlinePassed => _deadline is { } limit && Stopwatch.GetElapsedTime(_started) >= limit;

    /// <summary>
    /// After the recognition: throws <see cref="OperationCanceledException"/> when the caller cancelled and
    /// <see cref="OcrDeadlineExceededException"/> when it ran past its deadline (Tesseract then fakes the words it did
    /// not read, so its text is not to be used).
    /// </summary>
    public void ThrowIfStopped()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (DeadlinePassed)
        {
            throw new OcrDeadlineExceededException(_deadline!.Value);
        }
    }

    public void Dispose()
    {
        TesseractNative.TessMonitorDelete(_monitor);
        _self.Free();
    }

    [UnmanagedCallersOnly]
    private static byte ShouldCancel(IntPtr cancelThis, int words)
    {
        var monitor = (RecognitionMonitor)GCHandle.FromIntPtr(cancelThis).Target!;
        return monitor._cancellationToken.IsCancellationRequested || monitor.DeadlinePassed ? (byte)1 : (byte)0;
    }
}

/// <summary>
/// A recognition ran past its deadline (<c>RecognitionDeadline</c> of its reader's options) and was stopped: the image
/// is treated as one nothing could be read from, and the Tesseract instance serves the next caller.
/// </summary>
public sealed class OcrDeadlineExceededException : TimeoutException
{
    public OcrDeadlineExceededException(TimeSpan deadline)
        : base($"Tesseract's recognition ran past its deadline of {deadline.TotalMilliseconds:F0} ms and was stopped.")
    {
        Deadline = deadline;
    }

    /// <summary>The deadline it ran past.</summary>
    public TimeSpan Deadline { get; }
}
