using Verify.Imaging.Exif;

namespace Verify.Imaging;

/// <summary>What the header of an image says, read without decoding its pixels.</summary>
/// <param name="Format">The format sniffed from the bytes.</param>
/// <param name="Width">Width of the stored pixels.</param>
/// <param name="Height">Height of the stored pixels.</param>
/// <param name="Orientation">The EXIF orientation (Normal when absent, and always for HEIF).</param>
public sealed record ImageInfo(ImageFormat Format, int Width, int Height, ExifOrientation Orientation)
{
    /// <summary>Width once the EXIF orientation is applied.</summary>
    public int UprightWidth => ExifOrientationTransform.SwapsDimensions(Orientation) ? Height : Width;

    /// <summary>Height once the EXIF orientation is applied.</summary>
    public int UprightHeight => ExifOrientationTransform.SwapsDimensions(Orientation) ? Width : Height;
}
