namespace Verify.Synthetic;

/// <summary>An axis-aligned rectangle on a rendered document, in its pixel coordinates ((0, 0) is the top-left corner of the top-left pixel).</summary>
public readonly record struct DocumentRegion(double X, double Y, double Width, double Height)
{
    /// <summary>The corners: top-left, top-right, bottom-right, bottom-left.</summary>
    public (double X, double Y)[] Corners() => [(X, Y), (X + Width, Y), (X + Width, Y + Height), (X, Y + Height)];
}
