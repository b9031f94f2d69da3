using Verify.Imaging.Text;

namespace Verify.Synthetic;

/// <summary>The typefaces a document is printed in: DejaVu Sans for the visual zone, OCR-B for the MRZ.</summary>
/// <remarks>Owns its FreeType faces, which are not thread-safe: one instance per thread.</remarks>
public sealed class DocumentFonts : IDisposable
{
    /// <summary>Debian fonts-ocr-b: the typeface Doc 9303 prescribes for the MRZ.</summary>
    public const string OcrBPath = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

    /// <summary>Debian fonts-dejavu-core.</summary>
    public const string SansPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Debian fonts-dejavu-core, bold.</summary>
    public const string SansBoldPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    private DocumentFonts(FontFace sans, FontFace sansBold, FontFace mrz)
    {
        Sans = sans;
        SansBold = sansBold;
        Mrz = mrz;
    }

    public FontFace Sans { get; }

    public FontFace SansBold { get; }

    public FontFace Mrz { get; }

    /// <summary>Loads the three faces from their Debian locations.</summary>
    public static DocumentFonts Load()
    {
        var loaded = new List<FontFace>();
        try
        {
            foreach (var path in new[] { SansPath, SansBoldPath, OcrBPath })
            {
                loaded.Add(FontFace.Load(path));
            }

            return new DocumentFonts(loaded[0], loaded[1], loaded[2]);
        }
        catch
        {
            loaded.ForEach(face => face.Dispose());
            throw;
        }
    }

    public void Dispose()
    {
        Sans.Dispose();
        SansBold.Dispose();
        Mrz.Dispose();
    }
}
