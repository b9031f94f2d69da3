using System.ComponentModel.DataAnnotations;
using Verify.Documents.Ocr;

namespace Verify.Documents.Reading;

/// <summary>How the MRZ is found and read; the defaults are the measured best (see docs/evaluation.md).</summary>
public sealed class MrzReadingOptions
{
    public const string SectionName = "Documents:Mrz";

    /// <summary>The model manifest id of the traineddata (its file lies in a tessdata folder).</summary>
    [Required]
    public string TraineddataModel { get; set; } = "tesseract-ocrb";

    /// <summary>The traineddata language name inside that folder.</summary>
    [Required]
    public string Language { get; set; } = "ocrb_int";

    /// <summary>The Tesseract engine: ocrb_int is an LSTM model (measured 99.9% of characters against 98.6% for legacy eng).</summary>
    public TesseractEngineMode EngineMode { get; set; } = TesseractEngineMode.Lstm;

    /// <summary>The traineddata of the second engine, read when the first reading is not a valid, unambiguous MRZ; empty for none.</summary>
    public string FallbackTraineddataModel { get; set; } = "tesseract-eng";

    /// <summary>The second engine's language name.</summary>
    public string FallbackLanguage { get; set; } = "eng";

    /// <summary>The second engine: the legacy classifier, whose mistakes differ from the LSTM's.</summary>
    public TesseractEngineMode FallbackEngineMode { get; set; } = TesseractEngineMode.Legacy;

    /// <summary>How Tesseract segments each cut-out MRZ line.</summary>
    public PageSegmentation Segmentation { get; set; } = PageSegmentation.RawLine;

    /// <summary>Unsharp-mask amount applied to each cut-out line before OCR; 0 for none (3 measured best).</summary>
    [Range(0, 10)]
    public double Sharpening { get; set; } = 3;

    /// <summary>
    /// The OCR-B font whose glyphs settle what check digits cannot (6 or G, a filler or 0, cancelling confusions); empty
    /// to go without, when every such document number is sent to review.
    /// </summary>
    public string GlyphFont { get; set; } = OcrBGlyphs.DefaultFontPath;

    /// <summary>Tesseract instances in the pool; 0 means one per processor.</summary>
    [Range(0, 64)]
    public int PoolSize { get; set; }

    /// <summary>
    /// Longest Tesseract may spend on one MRZ line (about 50 ms normally); a line that runs past it is stopped and counts
    /// as unread, so one pathological image cannot hold an instance of the pool.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RecognitionDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The long side, in pixels, of the reduced copy in which the MRZ is searched.</summary>
    [Range(400, 4000)]
    public int SearchLongSide { get; set; } = 1200;
}
