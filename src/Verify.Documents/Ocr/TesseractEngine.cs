using System.Runtime.InteropServices;
using Verify.Imaging;

namespace Verify.Documents.Ocr;

/// <summary>Tesseract's recognition engines (TessOcrEngineMode).</summary>
public enum TesseractEngineMode
{
    /// <summary>The legacy character classifier: the better MRZ reader when the traineddata has it.</summary>
    Legacy = 0,

    /// <summary>The LSTM line recogniser.</summary>
    Lstm = 1,

    /// <summary>Both, combined.</summary>
    Combined = 2,
}

/// <summary>Tesseract's page segmentation modes that Verify uses (TessPageSegMode).</summary>
public enum PageSegmentation
{
    /// <summary>A uniform block of text (PSM_SINGLE_BLOCK).</summary>
    SingleBlock = 6,

    /// <summary>One text line (PSM_SINGLE_LINE).</summary>
    SingleLine = 7,

    /// <summary>One text line, bypassing Tesseract's own line finding (PSM_RAW_LINE).</summary>
    RawLine = 13,

    /// <summary>Sparse text in any order (PSM_SPARSE_TEXT), for a printed zone with labels and values.</summary>
    SparseText = 11,
}

/// <summary>How one Tesseract instance is set up: which traineddata, engine, segmentation and character set.</summary>
/// <param name="DataPath">The folder holding <c>{Language}.traineddata</c>.</param>
/// <param name="Language">The traineddata name, such as <c>eng</c> or <c>ocrb_int</c>.</param>
/// <param name="EngineMode">The recognition engine.</param>
/// <param name="Segmentation">The page segmentation mode.</param>
/// <param name="Whitelist">The only characters Tesseract may return; empty for all.</param>
/// <param name="Symbols">Also report each character with its confidence and box (see <see cref="OcrText.Symbols"/>).</param>
/// <param name="RecognitionDeadline">Longest one recognition may run before Tesseract is stopped; null for no limit.</param>
public sealed record TesseractSetup(string DataPath, string Language, TesseractEngineMode EngineMode,
    PageSegmentation Segmentation, string Whitelist = "", bool Symbols = false, TimeSpan? RecognitionDeadline = null);

/// <summary>The text Tesseract read and its confidences.</summary>
/// <param name="Text">The UTF-8 text, lines separated by newlines.</param>
/// <param name="MeanConfidence">Tesseract's mean word confidence, 0-100.</param>
/// <param name="Lines">Each recognised line with its confidence and box.</param>
/// <param name="Symbols">Each recognised character in reading order, when the setup asked for them; otherwise empty.</param>
public sealed record OcrText(string Text, int MeanConfidence, IReadOnlyList<OcrLine> Lines, IReadOnlyList<OcrSymbol> Symbols)
{

    /// <summary>OCR output can hold names and document numbers: never print it.</summary>
    public override string ToString() => $"OcrText {{ Lines = {Lines.Count}, MeanConfidence = {MeanConfidence} }}";
}

/// <summary>One recognised character, the engine's confidence in it (0-100), and its box in the image given to Tesseract.</summary>
/// <param name="Text">The character.</param>
/// <param name="Confidence">Tesseract's confidence in it, 0-100.</param>
/// <param name="Left">The box's left edge, in pixels.</param>
/// <param name="Top">The box's top edge.</param>
/// <param name="Right">The box's right edge (exclusive).</param>
/// <param name="Bottom">The box's bottom edge (exclusive).</param>
public sealed record OcrSymbol(char Text, float Confidence, int Left, int Top, int Right, int Bottom)
{
    /// <summary>The horizontal centre of the box.</summary>
    public double CentreX => (Left + Right) / 2.0;

    /// <summary>OCR output can hold names and document numbers: never print it.</summary>
    public override string ToString() => $"OcrSymbol {{ Confidence = {Confidence:F0}, Box = ({Left},{Top})-({Right},{Bottom}) }}";
}

/// <summary>One recognised line: text, confidence 0-100, and its box in the image given to Tesseract.</summary>
public sealed record OcrLine(string Text, float Confidence, int Left, int Top, int Right, int Bottom)
{
    /// <summary>OCR output can hold names and document numbers: never print it.</summary>
    public override string ToString() => $"OcrLine {{ Confidence = {Confidence:F0}, Box = ({Left},{Top})-({Right},{Bottom}) }}";
}

/// <summary>
/// One Tesseract instance over libtesseract5. Not thread-safe, as Tesseract itself is not: each instance has
/// one owner at a time, which <see cref="TesseractPool"/> arranges.
/// </summary>
public sealed class TesseractEngine : IDisposable
{
    private readonly TesseractHandle _handle;

    public TesseractEngine(TesseractSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Setup = setup;
        if (!File.Exists(Path.Combine(setup.DataPath, setup.Language + ".traineddata")))
        {
            throw new OcrUnavailableException($"Tesseract data '{setup.Language}' is not in {setup.DataPath}.");
        }

        _handle = CreateHandle();
        try
        {
            // Init2 takes the folder that holds the traineddata; Tesseract prints its own errors to stderr.
            if (TesseractNative.TessBaseAPIInit2(_handle, setup.DataPath, setup.Language, (int)setup.EngineMode) != 0)
            {
                throw new OcrUnavailableException(
                    $"Tesseract could not load '{setup.Language}' with the {setup.EngineMode} engine from {setup.DataPath}.");
            }

            // Dictionaries only hurt on MRZ and codes; a whitelist keeps the classifier to the characters that can occur.
            SetVariable("load_system_dawg", "0");
            SetVariable("load_freq_dawg", "0");
            SetVariable("debug_file", "/dev/null");
            // The legacy classifier otherwise adapts to what it has read: one document would shape the next
            // reading, and traces of it would stay in the instance.
            SetVariable("classify_enable_learning", "0");
            // The LSTM engine otherwise reads every low-confidence line a second time inverted (light on dark);
            // our inputs are always dark on light, and the second pass doubled the time per line.
            SetVariable("tessedit_do_invert", "0");
            if (setup.Whitelist.Length > 0)
            {
                SetVariable("tessedit_char_whitelist", setup.Whitelist);
            }

            TesseractNative.TessBaseAPISetPageSegMode(_handle, (int)setup.Segmentation);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>How this instance was set up.</summary>
    public TesseractSetup Setup { get; }

    /// <summary>The libtesseract version string.</summary>
    public static string LibraryVersion
    {
        get
        {
            TesseractNative.PrepareEnvironment();
            return Marshal.PtrToStringUTF8(TesseractNative.TessVersion()) ?? "unknown";
        }
    }

    /// <summary>
    /// Reads the text of a grey image (dark text on a light background works best). Tesseract is stopped between
    /// words when <paramref name="cancellationToken"/> fires (<see cref="OperationCanceledException"/>) or the setup's
    /// <see cref="TesseractSetup.RecognitionDeadline"/> passes (<see cref="OcrDeadlineExceededException"/>); either way
    /// the instance is cleared and reads the next image as usual.
    /// </summary>
    public unsafe OcrText Recognize(GrayImage image, int resolutionPpi = 300, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var monitor = new RecognitionMonitor(Setup.RecognitionDeadline, cancellationToken);
        try
        {
            fixed (byte* pixels = image.Pixels)
            {
                TesseractNative.TessBaseAPISetImage(_handle, pixels, image.Width, image.Height, 1, image.Width);
                TesseractNative.TessBaseAPISetSourceResolution(_handle, resolutionPpi);
                int status = TesseractNative.TessBaseAPIRecognize(_handle, monitor.Handle);
                // Stopped or not, the status alone does not say: a stopped recognition fakes the words it skipped.
                monitor.ThrowIfStopped();
                if (status != 0)
                {
                    return new OcrText(string.Empty, 0, [], []);
                }
            }

            var text = TesseractNative.TakeText(TesseractNative.TessBaseAPIGetUTF8Text(_handle)) ?? string.Empty;
            var confidence = TesseractNative.TessBaseAPIMeanTextConf(_handle);
            return new OcrText(text, confidence, ReadLines(), Setup.Symbols ? ReadSymbols() : []);
        }
        finally
        {
            // Drops the image and the results, so nothing of this document stays in the instance.
            TesseractNative.TessBaseAPIClear(_handle);
        }
    }

    public void Dispose() => _handle.Dispose();

    private List<OcrLine> ReadLines() => Collect(TesseractNative.LevelTextLine, static (text, box, confidence) =>
        new OcrLine(text.Trim(), confidence, box.Left, box.Top, box.Right, box.Bottom));

    private List<OcrSymbol> ReadSymbols() => Collect(TesseractNative.LevelSymbol, static (text, box, confidence) =>
        new OcrSymbol(text[0], confidence, box.Left, box.Top, box.Right, box.Bottom));

    /// <summary>Every non-blank result at one level (line or character) of the last recognition, with its box and confidence.</summary>
    private unsafe List<T> Collect<T>(int level, Func<string, (int Left, int Top, int Right, int Bottom), float, T> create)
    {
        var results = new List<T>();
        var iterator = TesseractNative.TessBaseAPIGetIterator(_handle);
        if (iterator == IntPtr.Zero)
        {
            return results;
        }

        try
        {
            var page = TesseractNative.TessResultIteratorGetPageIterator(iterator);
            do
            {
                var text = TesseractNative.TakeText(TesseractNative.TessResultIteratorGetUTF8Text(iterator, level));
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                int left, top, right, bottom;
                TesseractNative.TessPageIteratorBoundingBox(page, level, &left, &top, &right, &bottom);
                results.Add(create(text, (left, top, right, bottom), TesseractNative.TessResultIteratorConfidence(iterator, level)));
            }
            while (TesseractNative.TessResultIteratorNext(iterator, level) != 0);
        }
        finally
        {
            TesseractNative.TessResultIteratorDelete(iterator);
        }

        return results;
    }

    private void SetVariable(string name, string value)
    {
        if (TesseractNative.TessBaseAPISetVariable(_handle, name, value) == 0)
        {
            throw new OcrUnavailableException($"Tesseract does not know the variable '{name}'.");
        }
    }

    private static TesseractHandle CreateHandle()
    {
        TesseractNative.PrepareEnvironment();
        try
        {
            var handle = TesseractNative.TessBaseAPICreate();
            return handle.IsInvalid ? throw new OcrUnavailableException("Tesseract could not create an instance.") : handle;
        }
        catch (DllNotFoundException exception)
        {
            throw new OcrUnavailableException("libtesseract.so.5 is not installed; run scripts/bootstrap.sh.", exception);
        }
    }
}

/// <summary>Tesseract or its data is missing or broken: a fault of the installation, not of the document.</summary>
public sealed class OcrUnavailableException : Exception
{
    public OcrUnavailableException(string message)
        : base(message)
    {
    }

    public OcrUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
