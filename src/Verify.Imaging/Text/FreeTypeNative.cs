using System.Runtime.InteropServices;

namespace Verify.Imaging.Text;

/// <summary>The few FreeType 2 entry points and structure prefixes that text drawing needs (freetype.h, ftimage.h).</summary>
/// <remarks>FT_Long and FT_Pos are C longs, hence <see cref="CLong"/>; the layouts are checked against the C offsets by a unit test.</remarks>
internal static partial class FreeTypeNative
{
    private const string Library = "libfreetype.so.6";

    /// <summary>FT_LOAD_RENDER: load the glyph and render it to an 8-bit anti-aliased coverage bitmap.</summary>
    public const int LoadRender = 4;

    /// <summary>FT_PIXEL_MODE_GRAY: one byte of coverage per pixel.</summary>
    public const byte PixelModeGray = 2;

    /// <summary>FT_FaceRec up to and including the glyph slot and size pointers.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FaceRec
    {
        public CLong NumFaces;
        public CLong FaceIndex;
        public CLong FaceFlags;
        public CLong StyleFlags;
        public CLong NumGlyphs;
        public IntPtr FamilyName;
        public IntPtr StyleName;
        public int NumFixedSizes;
        public IntPtr AvailableSizes;
        public int NumCharmaps;
        public IntPtr Charmaps;
        public IntPtr GenericData;
        public IntPtr GenericFinalizer;
        public CLong BBoxXMin;
        public CLong BBoxYMin;
        public CLong BBoxXMax;
        public CLong BBoxYMax;
        public ushort UnitsPerEm;
        public short Ascender;
        public short Descender;
        public short Height;
        public short MaxAdvanceWidth;
        public short MaxAdvanceHeight;
        public short UnderlinePosition;
        public short UnderlineThickness;
        public IntPtr Glyph;
        public IntPtr Size;
    }

    /// <summary>FT_Bitmap.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Bitmap
    {
        public uint Rows;
        public uint Width;
        public int Pitch;
        public IntPtr Buffer;
        public ushort NumGrays;
        public byte PixelMode;
        public byte PaletteMode;
        public IntPtr Palette;
    }

    /// <summary>FT_GlyphSlotRec up to and including the bitmap offsets.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct GlyphSlotRec
    {
        public IntPtr Library;
        public IntPtr Face;
        public IntPtr Next;
        public uint GlyphIndex;
        public IntPtr GenericData;
        public IntPtr GenericFinalizer;
        public CLong MetricsWidth;
        public CLong MetricsHeight;
        public CLong HoriBearingX;
        public CLong HoriBearingY;
        public CLong HoriAdvance;
        public CLong VertBearingX;
        public CLong VertBearingY;
        public CLong VertAdvance;
        public CLong LinearHoriAdvance;
        public CLong LinearVertAdvance;

        /// <summary>Advance in 26.6 fixed point (1/64 pixel).</summary>
        public CLong AdvanceX;
        public CLong AdvanceY;
        public uint Format;
        public Bitmap Bitmap;
        public int BitmapLeft;
        public int BitmapTop;
    }

    /// <summary>Owns an FT_Library.</summary>
    internal sealed class LibraryHandle : SafeHandle
    {
        public LibraryHandle()
            : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle() => FT_Done_FreeType(handle) == 0;
    }

    /// <summary>Owns an FT_Face and keeps its library alive until the face is done.</summary>
    internal sealed class FaceHandle : SafeHandle
    {
        private LibraryHandle? _library;

        public FaceHandle()
            : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>Takes a reference on the library, released after FT_Done_Face.</summary>
        public void KeepAlive(LibraryHandle library)
        {
            bool added = false;
            library.DangerousAddRef(ref added);
            _library = added ? library : null;
        }

        protected override bool ReleaseHandle()
        {
            bool done = FT_Done_Face(handle) == 0;
            _library?.DangerousRelease();
            return done;
        }
    }

    [LibraryImport(Library)]
    public static partial int FT_Init_FreeType(out LibraryHandle library);

    [LibraryImport(Library)]
    private static partial int FT_Done_FreeType(IntPtr library);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FT_New_Face(LibraryHandle library, string path, CLong faceIndex, out FaceHandle face);

    [LibraryImport(Library)]
    private static partial int FT_Done_Face(IntPtr face);

    [LibraryImport(Library)]
    public static partial int FT_Set_Pixel_Sizes(FaceHandle face, uint width, uint height);

    [LibraryImport(Library)]
    public static partial int FT_Load_Char(FaceHandle face, CULong charCode, int loadFlags);
}
