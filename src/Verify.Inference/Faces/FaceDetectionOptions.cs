using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.Faces;

/// <summary>Face detector settings.</summary>
public sealed class FaceDetectionOptions
{
    public const string SectionName = "Faces:Detection";

    /// <summary>Lowest detector confidence kept.</summary>
    [Range(0.05, 0.99)]
    public float ScoreThreshold { get; set; } = 0.6f;

    /// <summary>Boxes overlapping a better one by more than this intersection-over-union are dropped.</summary>
    [Range(0.05, 0.95)]
    public float NmsIouThreshold { get; set; } = 0.3f;

    /// <summary>At most this many faces are returned.</summary>
    [Range(1, 1000)]
    public int MaxFaces { get; set; } = 50;

    /// <summary>
    /// Smallest face, in network pixels, that a pass is trusted to find; smaller requested faces trigger
    /// a tiled pass at a higher scale.
    /// </summary>
    [Range(8, 128)]
    public int MinNetworkFaceSize { get; set; } = 24;
}
