namespace Verify.Imaging.Exif;

/// <summary>
/// The EXIF orientation tag (0x0112): how the stored pixels must be transformed to show the scene upright.
/// Values and meanings as in EXIF 2.32, section 4.6.4 (row 0 / column 0 positions).
/// </summary>
public enum ExifOrientation : ushort
{
    /// <summary>Stored upright (also used when the tag is absent or invalid).</summary>
    Normal = 1,

    /// <summary>Mirrored left to right.</summary>
    FlipHorizontal = 2,

    /// <summary>Upside down.</summary>
    Rotate180 = 3,

    /// <summary>Mirrored top to bottom.</summary>
    FlipVertical = 4,

    /// <summary>Mirrored along the main diagonal.</summary>
    Transpose = 5,

    /// <summary>Must be turned 90 degrees clockwise to be upright.</summary>
    Rotate90Clockwise = 6,

    /// <summary>Mirrored along the anti-diagonal.</summary>
    Transverse = 7,

    /// <summary>Must be turned 90 degrees counter-clockwise to be upright.</summary>
    Rotate90CounterClockwise = 8,
}
