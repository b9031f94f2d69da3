using Verify.Inference.Faces;

namespace Verify.Inference.Liveness;

/// <summary>
/// The context a liveness model sees around a face: the detected box scaled about its centre (a square of the box
/// height when <see cref="Square"/>), resized to <see cref="Size"/> x <see cref="Size"/>. The context matters: a
/// print's edge, a screen's bezel or a hand sit outside the face.
/// </summary>
public sealed record LivenessCrop(double Scale, int Size, bool Square = false)
{
    /// <summary>
    /// The crop rectangle in whole pixels. When the scaled box would not fit the image, the scale is lowered until it
    /// does; a crop that sticks out on one side is shifted back inside rather than cut, so that the face keeps its
    /// share of the crop as in training.
    /// </summary>
    public (int X, int Y, int Width, int Height) Region(FaceBox box, int imageWidth, int imageHeight)
    {
        double boxWidth = Math.Max(1, Square ? box.Height : box.Width), boxHeight = Math.Max(1, box.Height);
        double scale = Math.Min(Scale, Math.Min((imageWidth - 1) / boxWidth, (imageHeight - 1) / boxHeight));
        scale = Math.Max(scale, 0);
        double width = boxWidth * scale, height = boxHeight * scale;
        var centre = box.Centre;
        double left = Shift(centre.X - (width / 2), width, imageWidth);
        double top = Shift(centre.Y - (height / 2), height, imageHeight);
        int x = (int)Math.Round(left), y = (int)Math.Round(top);
        int w = Math.Clamp((int)Math.Round(width), 1, imageWidth - x), h = Math.Clamp((int)Math.Round(height), 1, imageHeight - y);
        return (x, y, w, h);

        static double Shift(double start, double length, int limit) =>
            start < 0 ? 0 : start + length > limit - 1 ? Math.Max(0, limit - 1 - length) : start;
    }
}
