using System.Runtime.InteropServices;
using Verify.Imaging.Text;

namespace Verify.UnitTests.Imaging;

public sealed class FreeTypeLayoutTests
{
    // offsetof() values printed by a C program compiled against Debian's FreeType 2.13 headers (x86-64 and arm64 Linux).
    [Theory]
    [InlineData(nameof(FreeTypeNative.FaceRec.UnitsPerEm), 136)]
    [InlineData(nameof(FreeTypeNative.FaceRec.Ascender), 138)]
    [InlineData(nameof(FreeTypeNative.FaceRec.Glyph), 152)]
    public void Face_fields_sit_where_the_C_structure_has_them(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<FreeTypeNative.FaceRec>(field));

    [Theory]
    [InlineData(nameof(FreeTypeNative.GlyphSlotRec.MetricsWidth), 48)]
    [InlineData(nameof(FreeTypeNative.GlyphSlotRec.AdvanceX), 128)]
    [InlineData(nameof(FreeTypeNative.GlyphSlotRec.Bitmap), 152)]
    [InlineData(nameof(FreeTypeNative.GlyphSlotRec.BitmapLeft), 192)]
    [InlineData(nameof(FreeTypeNative.GlyphSlotRec.BitmapTop), 196)]
    public void Glyph_slot_fields_sit_where_the_C_structure_has_them(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<FreeTypeNative.GlyphSlotRec>(field));

    [Fact]
    public void Bitmap_has_the_C_size() => Assert.Equal(40, Marshal.SizeOf<FreeTypeNative.Bitmap>());
}
