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
    /// tiled passes at higher scales.
    /// </summary>
    [Range(8, 128)]
    public int MinNetworkFaceSize { get; set; } = 24;

    /// <summary>
    /// Most network runs the tiled passes may take for one image (each about 10-20 ms on a CPU core); past it
    /// the finest scale is lowered and the smallest faces may be missed.
    /// </summary>
    [Range(1, 1024)]
    public int MaxTiles { get; set; } = 64;
}
