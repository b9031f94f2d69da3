using System.Runtime.InteropServices;

namespace Verify.Documents.Ocr;

/// <summary>The part of libtesseract5's C API (tesseract/capi.h) that Verify uses.</summary>
internal static partial class TesseractNative
{
    private const string Library = "libtesseract.so.5";

    /// <summary>TessPageIteratorLevel RIL_TEXTLINE.</summary>
    public const int LevelTextLine = 2;

    /// <summary>TessPageIteratorLevel RIL_SYMBOL.</summary>
    public const int LevelSymbol = 4;

    [LibraryImport(Library)]
    public static partial IntPtr TessVersion();

    [LibraryImport(Library)]
    public static partial TesseractHandle TessBaseAPICreate();

    [LibraryImport(Library)]
    public static partial void TessBaseAPIDelete(IntPtr handle);

    [LibraryImport(Library)]
    public static partial void TessBaseAPIEnd(IntPtr handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPIInit2(TesseractHandle handle, string dataPath, string language, int engineMode);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPISetVariable(TesseractHandle handle, string name, string value);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetPageSegMode(TesseractHandle handle, int mode);

    [LibraryImport(Library)]
    public static unsafe partial void TessBaseAPISetImage(TesseractHandle handle, byte* pixels, int width, int height,
        int bytesPerPixel, int bytesPerLine);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetSourceResolution(TesseractHandle handle, int ppi);

    [LibraryImport(Library)]
    public static partial int TessBaseAPIRecognize(TesseractHandle handle, IntPtr monitor);

    /// <summary>ETEXT_DESC, the progress monitor Tesseract consults between words: deadline and cancel callback.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr TessMonitorCreate();

    [LibraryImport(Library)]
    public static partial void TessMonitorDelete(IntPtr monitor);

    /// <summary>The callback is <c>bool (*)(void* cancel_this, int words)</c>; true stops the recognition.</summary>
    [LibraryImport(Library)]
    public static unsafe partial void TessMonitorSetCancelFunc(IntPtr monitor, delegate* unmanaged<IntPtr, int, byte> cancel);

    [LibraryImport(Library)]
    public static partial void TessMonitorSetCancelThis(IntPtr monitor, IntPtr cancelThis);

    /// <summary>The recognition stops once this many milliseconds from now have passed.</summary>
    [LibraryImport(Library)]
    public static partial void TessMonitorSetDeadlineMSecs(IntPtr monitor, int deadline);

    [LibraryImport(Library)]
    public static partial IntPtr TessBaseAPIGetUTF8Text(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial int TessBaseAPIMeanTextConf(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial void TessBaseAPIClear(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial void TessDeleteText(IntPtr text);

    [LibraryImport(Library)]
    public static partial IntPtr TessBaseAPIGetIterator(TesseractHandle handle);

    [LibraryImport(Library)]
    public static partial void TessResultIteratorDelete(IntPtr iterator);

    [LibraryImport(Library)]
    public static partial IntPtr TessResultIteratorGetUTF8Text(IntPtr iterator, int level);

    [LibraryImport(Library)]
    public static partial float TessResultIteratorConfidence(IntPtr iterator, int level);

    [LibraryImport(Library)]
    public static partial int TessResultIteratorNext(IntPtr iterator, int level);

    [LibraryImport(Library)]
    public static partial IntPtr TessResultIteratorGetPageIterator(IntPtr iterator);

    [LibraryImport(Library)]
    public static unsafe partial int TessPageIteratorBoundingBox(IntPtr iterator, int level, int* left, int* top, int* right, int* bottom);

    private static readonly Lock EnvironmentGate = new();
    private static volatile bool _environmentSet;

    /// <summary>
    /// Limits Tesseract's OpenMP to one thread per call unless the operator set OMP_THREAD_LIMIT: measured on 2 cores,
    /// OpenMP's busy-waiting threads made an LSTM line take 112 ms instead of 44. Concurrency comes from the pool instead.
    /// Must run before libtesseract (and with it libgomp, which reads the variable once) is loaded. No caller returns
    /// before the variable is set: the pool opens engines on several threads at once, and a thread that went on while
    /// another was still setting it could load the library first (then every MRZ read of the process cost about three
    /// times its CPU: seen as whole evaluation runs with the MRZ stage at 530 ms of CPU instead of 170).
    /// </summary>
    public static void PrepareEnvironment()
    {
        if (_environmentSet)
        {
            return;
        }

        lock (EnvironmentGate)
        {
            if (!_environmentSet)
            {
                // .NET's Environment.SetEnvironmentVariable does not reach the native environment on Unix: call libc.
                _ = setenv("OMP_THREAD_LIMIT", "1", overwrite: 0);
                _environmentSet = true;
            }
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    /// <summary>Copies and frees a string that Tesseract allocated.</summary>
    public static string? TakeText(IntPtr text)
    {
        if (text == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            TessDeleteText(text);
        }
    }
}

/// <summary>Owns one TessBaseAPI: ends and deletes it exactly once.</summary>
internal sealed class TesseractHandle : SafeHandle
{
    public TesseractHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        TesseractNative.TessBaseAPIEnd(handle);
        TesseractNative.TessBaseAPIDelete(handle);
        return true;
    }
}
