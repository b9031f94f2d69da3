namespace Verify.Inference.Faces;

/// <summary>A point in image pixel coordinates (pixel centres at integer positions).</summary>
public readonly record struct FacePoint(float X, float Y);

/// <summary>An axis-aligned face box in image pixel coordinates.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;

    public float Bottom => Y + Height;

    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public FacePoint Centre => new(X + (Width / 2), Y + (Height / 2));

    /// <summary>Intersection over union, 0 for disjoint boxes.</summary>
    public float IntersectionOverUnion(FaceBox other)
    {
        float left = Math.Max(X, other.X), top = Math.Max(Y, other.Y);
        float right = Math.Min(Right, other.Right), bottom = Math.Min(Bottom, other.Bottom);
        float intersection = Math.Max(0, right - left) * Math.Max(0, bottom - top);
        float union = Area + other.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}

/// <summary>
/// A detected face: its box, the five landmarks in YuNet's order (see <see cref="Landmark"/>), and the
/// detector's confidence in [0, 1].
/// </summary>
public sealed record FaceDetection(FaceBox Box, IReadOnlyList<FacePoint> Landmarks, float Score)
{
    /// <summary>The shorter side of the box: the size that matters for recognition.</summary>
    public float Size => Math.Min(Box.Width, Box.Height);
}

/// <summary>Landmark indices. "Right" is the subject's right, which is on the left of the image.</summary>
public static class Landmark
{
    public const int RightEye = 0;
    public const int LeftEye = 1;
    public const int NoseTip = 2;
    public const int RightMouthCorner = 3;
    public const int LeftMouthCorner = 4;
    public const int Count = 5;
}
