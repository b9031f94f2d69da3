using System.Text;
using Verify.Imaging;

namespace Verify.UnitTests.Imaging;

public sealed class ImageFormatSnifferTests
{
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, ImageFormat.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, ImageFormat.Png)]
    [InlineData(new byte[] { 0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A }, ImageFormat.Jpeg2000)]
    [InlineData(new byte[] { 0xFF, 0x4F, 0xFF, 0x51, 0, 0x29 }, ImageFormat.Jpeg2000)]
    [InlineData(new byte[] { 0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87 }, ImageFormat.Unknown)]
    [InlineData(new byte[] { 0xFF, 0x4F, 0xFF, 0x52 }, ImageFormat.Unknown)]
    [InlineData(new byte[] { 0xFF, 0xD8 }, ImageFormat.Unknown)]
    [InlineData(new byte[0], ImageFormat.Unknown)]
    public void Recognises_formats_by_their_magic_bytes(byte[] data, ImageFormat expected) =>
        Assert.Equal(expected, ImageFormatSniffer.Sniff(data));

    [Fact]
    public void Recognises_webp_inside_riff_only()
    {
        Assert.Equal(ImageFormat.WebP, ImageFormatSniffer.Sniff(Encoding.ASCII.GetBytes("RIFF\u0010\0\0\0WEBPVP8 ")));
        Assert.Equal(ImageFormat.Unknown, ImageFormatSniffer.Sniff(Encoding.ASCII.GetBytes("RIFF\u0010\0\0\0WAVEfmt ")));
        Assert.Equal("a RIFF container that is not WebP", ImageFormatSniffer.DescribeUnsupported(Encoding.ASCII.GetBytes("RIFF\u0010\0\0\0WAVEfmt ")));
    }

    [Theory]
    [InlineData("heic", "mif1heic", ImageFormat.Heic)]
    [InlineData("mif1", "mif1heic", ImageFormat.Heic)]
    [InlineData("avif", "mif1avif", ImageFormat.Avif)]
    [InlineData("mif1", "avifmiaf", ImageFormat.Avif)]
    [InlineData("isom", "isomiso2", ImageFormat.Unknown)]
    public void Tells_heic_from_avif_by_the_ftyp_brands(string major, string compatible, ImageFormat expected)
    {
        var box = Ftyp(major, compatible);
        Assert.Equal(expected, ImageFormatSniffer.Sniff(box));
    }

    [Theory]
    [InlineData("%PDF-1.7\n", "a PDF document")]
    [InlineData("GIF89a....", "a GIF image")]
    [InlineData("PK\u0003\u0004....", "a ZIP archive or office document")]
    [InlineData("  <svg xmlns=''>", "an SVG or XML document")]
    [InlineData("<!DOCTYPE html>", "an HTML document")]
    [InlineData("just some text", null)]
    public void Describes_what_unsupported_data_looks_like(string content, string? expected) =>
        Assert.Equal(expected, ImageFormatSniffer.DescribeUnsupported(Encoding.ASCII.GetBytes(content)));

    [Fact]
    public void Describes_jpeg_2000_for_decoders_that_do_not_accept_it() =>
        Assert.Equal("a JPEG 2000 image", ImageFormatSniffer.DescribeUnsupported([0xFF, 0x4F, 0xFF, 0x51]));

    [Fact]
    public void Describes_an_mp4_video_as_such()
    {
        Assert.Contains("a video", ImageFormatSniffer.DescribeUnsupported(Ftyp("isom", "isomiso2")));
    }

    private static byte[] Ftyp(string major, string compatible)
    {
        var box = new byte[16 + compatible.Length];
        box[3] = (byte)box.Length;
        Encoding.ASCII.GetBytes("ftyp").CopyTo(box, 4);
        Encoding.ASCII.GetBytes(major).CopyTo(box, 8);
        Encoding.ASCII.GetBytes(compatible).CopyTo(box, 16);
        return box;
    }
}
