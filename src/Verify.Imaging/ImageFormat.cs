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

    /// <summary>JPEG 2000, as a JP2 file or a raw codestream; decoded only where <see cref="ImageDecoderOptions.AllowJpeg2000"/> is set.</summary>
    Jpeg2000,
}
