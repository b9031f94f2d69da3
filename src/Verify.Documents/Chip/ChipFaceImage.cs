namespace Verify.Documents.Chip;

/// <summary>How the face image in DG2 is encoded (ISO/IEC 19794-5 image data type).</summary>
public enum ChipImageFormat
{
    /// <summary>Image data type 0.</summary>
    Jpeg,

    /// <summary>Image data type 1.</summary>
    Jpeg2000,
}

/// <summary>The holder's face image from DG2, as the chip stores it (not decoded).</summary>
/// <param name="Format">The encoding the facial record declares.</param>
/// <param name="Image">The encoded image bytes.</param>
/// <param name="Width">The width the facial record declares, in pixels.</param>
/// <param name="Height">The height the facial record declares, in pixels.</param>
public sealed record ChipFaceImage(ChipImageFormat Format, byte[] Image, int Width, int Height)
{
    // The image is biometric data: never print it.
    public override string ToString() => $"ChipFaceImage {{ Format = {Format}, Width = {Width}, Height = {Height}, Bytes = {Image.Length} }}";
}
