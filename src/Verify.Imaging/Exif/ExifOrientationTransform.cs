namespace Verify.Imaging.Exif;

/// <summary>Turns stored pixels upright according to an EXIF orientation.</summary>
public static class ExifOrientationTransform
{
    /// <summary>True when the orientation swaps width and height.</summary>
    public static bool SwapsDimensions(ExifOrientation orientation) => orientation >= ExifOrientation.Transpose;

    /// <summary>
    /// Returns a new upright image; the source is left to its owner. For <see cref="ExifOrientation.Normal"/>
    /// the result is a copy, so ownership is uniform for callers.
    /// </summary>
    public static RgbImage Apply(RgbImage stored, ExifOrientation orientation)
    {
        int width = stored.Width, height = stored.Height;
        bool swap = SwapsDimensions(orientation);
        var upright = RgbImage.Allocate(swap ? height : width, swap ? width : height);
        ReadOnlySpan<byte> source = stored.Pixels;
        Span<byte> target = upright.Pixels;
        int outWidth = upright.Width;

        for (int y = 0; y < upright.Height; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                // (sx, sy): the stored pixel that appears at (x, y) once upright.
                (int sx, int sy) = orientation switch
                {
                    ExifOrientation.FlipHorizontal => (width - 1 - x, y),
                    ExifOrientation.Rotate180 => (width - 1 - x, height - 1 - y),
                    ExifOrientation.FlipVertical => (x, height - 1 - y),
                    ExifOrientation.Transpose => (y, x),
                    ExifOrientation.Rotate90Clockwise => (y, height - 1 - x),
                    ExifOrientation.Transverse => (width - 1 - y, height - 1 - x),
                    ExifOrientation.Rotate90CounterClockwise => (width - 1 - y, x),
                    _ => (x, y),
                };
                int from = ((sy * width) + sx) * 3;
                int to = ((y * outWidth) + x) * 3;
                target[to] = source[from];
                target[to + 1] = source[from + 1];
                target[to + 2] = source[from + 2];
            }
        }

        return upright;
    }
}
