namespace Verify.Inference.Faces;

/// <summary>
/// Where an embedding model expects the five landmarks (in <see cref="Landmark"/> order) inside its square
/// input crop of <see cref="Size"/> pixels.
/// </summary>
public sealed record AlignmentTemplate(string Name, int Size, IReadOnlyList<FacePoint> Points)
{
    /// <summary>The standard ArcFace 112x112 template (insightface), used by fr_feature.</summary>
    public static AlignmentTemplate ArcFace112 { get; } = new("arcface-112", 112,
    [
        new(38.2946f, 51.6963f),
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f),
        new(70.7299f, 92.2041f),
    ]);

    /// <summary>
    /// dlib's 150x150 face chip with 0.25 padding. dlib places its 68-point mean face shape (normalised to
    /// the unit square) at ((padding + p) / (1 + 2 * padding)) * size; these five points are that shape's eye
    /// centres (mean of landmarks 36-41 and 42-47), nose tip (30) and mouth corners (48, 54).
    /// </summary>
    public static AlignmentTemplate DlibChip150 { get; } = DlibChip(150, 0.25,
    [
        MeanOf([0.121737, 0.187122, 0.265825, 0.334606, 0.260918, 0.182743], [0.216423, 0.178758, 0.179852, 0.231733, 0.245099, 0.244077]),
        MeanOf([0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335], [0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099]),
        (0.490127, 0.515625),
        (0.254149, 0.780233),
        (0.726104, 0.780233),
    ]);

    private static AlignmentTemplate DlibChip(int size, double padding, (double X, double Y)[] unitShape) =>
        new($"dlib-chip-{size}", size, unitShape
            .Select(p => new FacePoint((float)((padding + p.X) / (1 + (2 * padding)) * size), (float)((padding + p.Y) / (1 + (2 * padding)) * size)))
            .ToArray());

    private static (double X, double Y) MeanOf(double[] xs, double[] ys) => (xs.Average(), ys.Average());
}
