using System.ComponentModel.DataAnnotations;
using Verify.Documents.Ocr;

namespace Verify.Documents.Reading;

/// <summary>How the printed (visual inspection) zone is read; the defaults are the measured best (see docs/evaluation.md).</summary>
public sealed class PrintedZoneOptions
{
    public const string SectionName = "Documents:PrintedZone";

    /// <summary>Whether the printed zone is read and cross-checked with the MRZ at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Read it only when the MRZ is not settled (a field the check digits and glyphs leave open, an unknown country code):
    /// then a printed number that agrees can settle it. A settled MRZ is what the decision uses, and the printed-zone read
    /// (about 900 ms of a 2000 px photo's document stage) is then skipped. False reads it on every document.
    /// </summary>
    public bool OnlyWhenMrzUnsettled { get; set; } = true;

    /// <summary>
    /// Whether a licence front (a document read from its AAMVA barcode) is read and cross-checked with the barcode: the
    /// only witness that the front shown belongs to the barcode's data, so on by default.
    /// </summary>
    public bool LicenceFront { get; set; } = true;

    /// <summary>The model manifest id of the traineddata.</summary>
    [Required]
    public string TraineddataModel { get; set; } = "tesseract-eng";

    /// <summary>The traineddata language name.</summary>
    [Required]
    public string Language { get; set; } = "eng";

    /// <summary>The Tesseract engine.</summary>
    public TesseractEngineMode EngineMode { get; set; } = TesseractEngineMode.Legacy;

    /// <summary>Tesseract instances in the pool; 0 means one per processor.</summary>
    [Range(0, 64)]
    public int PoolSize { get; set; }

    /// <summary>
    /// Longest Tesseract may spend reading one printed zone (about 400 ms normally); a reading that runs past it is
    /// stopped and the zone counts as unread.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RecognitionDeadline { get; set; } = TimeSpan.FromSeconds(15);
}
