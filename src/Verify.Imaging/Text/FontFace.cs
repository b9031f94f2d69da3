using System.Runtime.InteropServices;
using System.Text;
using static Verify.Imaging.Text.FreeTypeNative;

namespace Verify.Imaging.Text;

/// <summary>One font file loaded through FreeType, drawing anti-aliased text onto <see cref="RgbImage"/>s.</summary>
/// <remarks>Not thread-safe (a FreeType face holds one glyph slot): one instance per thread.</remarks>
public sealed class FontFace : IDisposable
{
    private readonly LibraryHandle _library;
    private readonly FaceHandle _face;
    private int _pixelSize;

    private FontFace(LibraryHandle library, FaceHandle face)
    {
        _library = library;
        _face = face;
    }

    /// <summary>The file the face was loaded from.</summary>
    public required string Path { get; init; }

    /// <summary>Loads the first face of a TrueType or OpenType file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidOperationException">FreeType cannot read it.</exception>
    public static FontFace Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Font file not found: {path}", path);
        }

        int error = FT_Init_FreeType(out var library);
        if (error != 0 || library.IsInvalid)
        {
            library.Dispose();
            throw new InvalidOperationException($"FreeType could not start (error {error}).");
        }

        error = FT_New_Face(library, path, new CLong(0), out var face);
        if (error != 0 || face.IsInvalid)
        {
            face.Dispose();
            library.Dispose();
            throw new InvalidOperationException($"FreeType could not load the font {path} (error {error}).");
        }

        face.KeepAlive(library);
        return new FontFace(library, face) { Path = path };
    }

    /// <summary>The horizontal advance of <paramref name="text"/> at <paramref name="pixelSize"/> (the em size in pixels).</summary>
    public double MeasureText(string text, int pixelSize)
    {
        double width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += LoadGlyph(rune, pixelSize).AdvanceX.Value / 64.0;
        }

        return width;
    }

    /// <summary>The height in pixels of the capital H at <paramref name="pixelSize"/>, for sizing text by its cap height.</summary>
    public int CapHeight(int pixelSize) => (int)LoadGlyph(new Rune('H'), pixelSize).Bitmap.Rows;

    /// <summary>
    /// Draws <paramref name="text"/> with its baseline at <paramref name="baseline"/>, starting at <paramref name="x"/>,
    /// blending each glyph's coverage with <paramref name="colour"/>. With a <paramref name="pitch"/> every character
    /// is centred in a cell that wide (fixed-pitch text such as an MRZ); otherwise glyphs advance by their own width.
    /// Glyph parts outside the image are clipped. Returns the width drawn.
    /// </summary>
    public double DrawText(RgbImage image, string text, double x, double baseline, int pixelSize, RgbColor colour, double? pitch = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        double pen = x;
        foreach (var rune in text.EnumerateRunes())
        {
            var slot = LoadGlyph(rune, pixelSize);
            double advance = slot.AdvanceX.Value / 64.0;
            double origin = pitch is double cell ? pen + ((cell - advance) / 2) : pen;
            Blend(image, slot, (int)Math.Round(origin) + slot.BitmapLeft, (int)Math.Round(baseline) - slot.BitmapTop, colour);
            pen += pitch ?? advance;
        }

        return pen - x;
    }

    public void Dispose()
    {
        _face.Dispose();
        _library.Dispose();
    }

    private unsafe GlyphSlotRec LoadGlyph(Rune rune, int pixelSize)
    {
        ObjectDisposedException.ThrowIf(_face.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixelSize);
        if (pixelSize != _pixelSize)
        {
            int sizeError = FT_Set_Pixel_Sizes(_face, 0, (uint)pixelSize);
            if (sizeError != 0)
            {
                throw new InvalidOperationException($"FreeType cannot size {Path} at {pixelSize} px (error {sizeError}).");
            }

            _pixelSize = pixelSize;
        }

        int error = FT_Load_Char(_face, new CULong((uint)rune.Value), LoadRender);
        if (error != 0)
        {
            throw new InvalidOperationException($"FreeType cannot render U+{rune.Value:X4} with {Path} (error {error}).");
        }

        // The slot is owned by the face and overwritten by the next load: copy what is needed now.
        var face = Marshal.PtrToStructure<FaceRec>(_face.DangerousGetHandle());
        return Marshal.PtrToStructure<GlyphSlotRec>(face.Glyph);
    }

    private static unsafe void Blend(RgbImage image, GlyphSlotRec slot, int left, int top, RgbColor colour)
    {
        var bitmap = slot.Bitmap;
        if (bitmap.Buffer == IntPtr.Zero || bitmap.PixelMode != PixelModeGray)
        {
            return;
        }

        var pixels = image.Pixels;
        byte* coverage = (byte*)bitmap.Buffer;
        for (int row = 0; row < bitmap.Rows; row++)
        {
            int y = top + row;
            if (y < 0 || y >= image.Height)
            {
                continue;
            }

            byte* line = coverage + ((long)row * bitmap.Pitch);
            for (int column = 0; column < bitmap.Width; column++)
            {
                int x = left + column, alpha = line[column];
                if (x < 0 || x >= image.Width || alpha == 0)
                {
                    continue;
                }

                int o = (y * image.Stride) + (x * 3);
                pixels[o] = (byte)(((pixels[o] * (255 - alpha)) + (colour.R * alpha) + 127) / 255);
                pixels[o + 1] = (byte)(((pixels[o + 1] * (255 - alpha)) + (colour.G * alpha) + 127) / 255);
                pixels[o + 2] = (byte)(((pixels[o + 2] * (255 - alpha)) + (colour.B * alpha) + 127) / 255);
            }
        }
    }
}
