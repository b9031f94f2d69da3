namespace Verify.Imaging;

/// <summary>The image formats Verify decodes, as recognised from their leading bytes.</summary>
public enum ImageFormat
{
    Unknown = 0,
    Jpeg,
    Png,
    WebP,
    Heic,
    Avif,
}
