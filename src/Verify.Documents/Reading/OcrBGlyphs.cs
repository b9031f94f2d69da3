using Verify.Documents.Mrz;
using Verify.Documents.Ocr;
using Verify.Imaging;
using Verify.Imaging.Text;

namespace Verify.Documents.Reading;

/// <summary>
/// The OCR-B glyphs an MRZ cell could hold, rendered with the typeface Doc 9303 prescribes at the size the line is
/// printed in, and the normalised correlation of a cell of an MRZ strip with each of them.
/// </summary>
/// <remarks>
/// The recogniser labels look-alikes with a bias of its own (the ocrb_int LSTM calls most round glyphs a zero); the
/// shape of the glyph on the strip is evidence that does not share it. Templates are cached by character, size and
/// blur; rendering is serialised because a FreeType face holds one glyph slot. Thread-safe.
/// </remarks>
public sealed class OcrBGlyphs : IDisposable
{
    /// <summary>Debian fonts-ocr-b (installed by the bootstrap): the MRZ typeface.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

    /// <summary>Characters compared with one another: a cell read as one of a group is scored against the whole group.</summary>
    private static readonly string[] Groups = ["O0DQ<", "I1", "S5", "B8", "G6", "Z2", "MWNH"];

    /// <summary>Template blurs in strip pixels: a photographed MRZ is soft by an amount the strip does not tell.</summary>
    private static readonly double[] BlurSigmas = [0.6, 1.4, 2.2];

    /// <summary>Shifts tried around the cell's centre and the line's baseline, in strip pixels.</summary>
    private const int ShiftX = 3, ShiftY = 2;

    /// <summary>Rows of background kept above the cap height and below the baseline.</summary>
    private const int Pad = 3;

    private readonly FontFace _font;
    private readonly Lock _gate = new();
    private readonly Dictionary<(char Character, int Size, int Width, double Sigma), Template> _templates = [];
    private readonly Dictionary<int, int> _sizeForCapHeight = [];

    private OcrBGlyphs(FontFace font) => _font = font;

    /// <summary>Loads the OCR-B font.</summary>
    /// <exception cref="FileNotFoundException">The font is not installed (scripts/bootstrap.sh installs fonts-ocr-b).</exception>
    public static OcrBGlyphs Load(string fontPath = DefaultFontPath) => new(FontFace.Load(fontPath));

    /// <summary>The characters a cell read as <paramref name="character"/> is compared with, itself included; empty for none.</summary>
    public static string LookAlikes(char character) => Groups.FirstOrDefault(group => group.Contains(character, StringComparison.Ordinal)) ?? "";

    /// <summary>
    /// The best normalised correlation of <paramref name="candidate"/>, rendered at <paramref name="capHeight"/> and
    /// blurred as the strip may be, with the strip around (<paramref name="centreX"/>, <paramref name="baseline"/>).
    /// </summary>
    internal float Similarity(ReadOnlySpan<byte> strip, int width, int height, double centreX, double baseline, int capHeight,
        double pitch, char candidate)
    {
        float best = -1;
        int size = SizeFor(capHeight);
        int cellWidth = Math.Max(8, (int)Math.Round(pitch));
        foreach (int scale in (ReadOnlySpan<int>)[size - 1, size, size + 1])
        {
            foreach (double sigma in BlurSigmas)
            {
                var template = TemplateFor(candidate, scale, cellWidth, sigma);
                best = Math.Max(best, BestCorrelation(strip, width, height, centreX, baseline, template));
            }
        }

        return best;
    }

    public void Dispose() => _font.Dispose();

    /// <summary>The font size whose capital H is <paramref name="capHeight"/> pixels tall.</summary>
    private int SizeFor(int capHeight)
    {
        lock (_gate)
        {
            if (!_sizeForCapHeight.TryGetValue(capHeight, out int size))
            {
                size = Math.Max(4, capHeight);
                while (_font.CapHeight(size) < capHeight && size < 8 * capHeight)
                {
                    size++;
                }

                _sizeForCapHeight[capHeight] = size;
            }

            return size;
        }
    }

    private Template TemplateFor(char character, int size, int cellWidth, double sigma)
    {
        lock (_gate)
        {
            if (!_templates.TryGetValue((character, size, cellWidth, sigma), out var template))
            {
                template = Render(character, size, cellWidth, sigma);
                _templates[(character, size, cellWidth, sigma)] = template;
            }

            return template;
        }
    }

    /// <summary>One cell: the glyph centred in it on the baseline, dark on white, blurred, zero-mean and unit-norm.</summary>
    private Template Render(char character, int size, int cellWidth, double sigma)
    {
        int capHeight = _font.CapHeight(size);
        int height = capHeight + (2 * Pad);
        int margin = (int)Math.Ceiling(3 * sigma) + 2;
        using var canvas = RgbImage.Allocate(cellWidth + (2 * margin), height + (2 * margin));
        canvas.Pixels.Fill(255);
        _font.DrawText(canvas, character.ToString(), margin, margin + Pad + capHeight, size, new RgbColor(0, 0, 0), cellWidth);
        using var blurred = GaussianBlur.Apply(canvas, sigma);
        var values = new float[cellWidth * height];
        var pixels = blurred.Pixels;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < cellWidth; x++)
            {
                values[(y * cellWidth) + x] = pixels[(((y + margin) * blurred.Width) + x + margin) * 3];
            }
        }

        Normalise(values);
        return new Template(values, cellWidth, height, Pad + capHeight);
    }

    /// <summary>The highest correlation of the template with the strip over small shifts around the expected place.</summary>
    private static float BestCorrelation(ReadOnlySpan<byte> strip, int width, int height, double centreX, double baseline, Template template)
    {
        int left0 = (int)Math.Round(centreX - (template.Width / 2.0));
        int top0 = (int)Math.Round(baseline - template.Baseline);
        Span<float> patch = template.Values.Length <= 4096 ? stackalloc float[template.Values.Length] : new float[template.Values.Length];
        float best = -1;
        for (int dy = -ShiftY; dy <= ShiftY; dy++)
        {
            for (int dx = -ShiftX; dx <= ShiftX; dx++)
            {
                int left = left0 + dx, top = top0 + dy;
                for (int y = 0; y < template.Height; y++)
                {
                    int row = Math.Clamp(top + y, 0, height - 1) * width;
                    for (int x = 0; x < template.Width; x++)
                    {
                        patch[(y * template.Width) + x] = strip[row + Math.Clamp(left + x, 0, width - 1)];
                    }
                }

                if (!Normalise(patch))
                {
                    continue;
                }

                float dot = 0;
                for (int i = 0; i < patch.Length; i++)
                {
                    dot += patch[i] * template.Values[i];
                }

                best = Math.Max(best, dot);
            }
        }

        return best;
    }

    /// <summary>Subtracts the mean and scales to unit norm; false for a flat patch.</summary>
    private static bool Normalise(Span<float> values)
    {
        float mean = 0;
        foreach (float value in values)
        {
            mean += value;
        }

        mean /= values.Length;
        float norm = 0;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] -= mean;
            norm += values[i] * values[i];
        }

        if (norm < 1e-3f)
        {
            return false;
        }

        float scale = 1 / MathF.Sqrt(norm);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }

        return true;
    }

    private sealed record Template(float[] Values, int Width, int Height, int Baseline);
}

/// <summary>
/// The glyph evidence of one MRZ line read from a strip: a copy of the strip, where each character's glyph stands, and
/// the line's baseline and cap height (medians over its characters). Scores are computed when first asked for.
/// </summary>
/// <remarks>Holds a copy of the strip, personal data: in memory only, for the length of one read.</remarks>
internal sealed class MrzStripGlyphs : IMrzGlyphEvidence
{
    private readonly OcrBGlyphs _glyphs;
    private readonly byte[] _strip;
    private readonly int _width, _height, _capHeight;
    private readonly double _baseline, _pitch;
    private readonly double[] _centres;
    private readonly char[] _read;
    // Shared by every reading placed on this strip: the score depends on where the glyph stands, not on the reading.
    private readonly Dictionary<(double Centre, char Candidate), float> _scores;

    private MrzStripGlyphs(OcrBGlyphs glyphs, byte[] strip, int width, int height, double baseline, int capHeight, double pitch,
        double[] centres, char[] read, Dictionary<(double, char), float>? scores = null)
    {
        _scores = scores ?? [];
        _glyphs = glyphs;
        _strip = strip;
        _width = width;
        _height = height;
        _baseline = baseline;
        _capHeight = capHeight;
        _pitch = pitch;
        _centres = centres;
        _read = read;
    }

    /// <summary>
    /// The strip of a line with nothing placed on it yet (see <see cref="With"/>); null when too few characters were read
    /// to measure the line's baseline and cap height.
    /// </summary>
    public static MrzStripGlyphs? Measure(OcrBGlyphs glyphs, GrayImage strip, IReadOnlyList<OcrSymbol> symbols, double pitch)
    {
        var letters = symbols.Where(symbol => symbol.Text != '<' && symbol.Bottom > symbol.Top).ToList();
        if (letters.Count < 3)
        {
            return null;
        }

        double baseline = Median(letters.Select(symbol => (double)symbol.Bottom));
        int capHeight = (int)Math.Round(Median(letters.Select(symbol => (double)(symbol.Bottom - symbol.Top))));
        return capHeight < 6 ? null : new MrzStripGlyphs(glyphs, strip.Pixels.ToArray(), strip.Width, strip.Height, baseline, capHeight,
            pitch, [], []);
    }

    /// <summary>The same strip for a window of the line (positions shifted by <paramref name="start"/>).</summary>
    public MrzStripGlyphs Slice(int start, int length) =>
        new(_glyphs, _strip, _width, _height, _baseline, _capHeight, _pitch, _centres[start..(start + length)], _read[start..(start + length)], _scores);

    /// <summary>The same strip with character <c>i</c> read as <paramref name="read"/>[i] at <paramref name="centres"/>[i] (NaN: none).</summary>
    public MrzStripGlyphs With(double[] centres, char[] read) =>
        new(_glyphs, _strip, _width, _height, _baseline, _capHeight, _pitch, centres, read, _scores);

    /// <summary>Where character <paramref name="position"/> stands (NaN for none), for mixing two engines' readings.</summary>
    public double CentreOf(int position) => _centres[position];

    public float? Similarity(int position, char candidate)
    {
        if (position < 0 || position >= _centres.Length || double.IsNaN(_centres[position])
            || !OcrBGlyphs.LookAlikes(_read[position]).Contains(candidate, StringComparison.Ordinal))
        {
            return null;
        }

        double centre = _centres[position];
        if (!_scores.TryGetValue((centre, candidate), out float score))
        {
            score = _glyphs.Similarity(_strip, _width, _height, centre, _baseline, _capHeight, _pitch, candidate);
            _scores[(centre, candidate)] = score;
        }

        return score;
    }

    public override string ToString() => $"MrzStripGlyphs {{ Length = {_centres.Length} }}";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
