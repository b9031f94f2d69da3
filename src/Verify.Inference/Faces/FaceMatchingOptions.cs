using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.Faces;

/// <summary>Which matcher compares faces and at which calibrated false accept rate it decides.</summary>
public sealed class FaceMatchingOptions
{
    public const string SectionName = "Faces:Matching";

    /// <summary>The matchers that can be configured.</summary>
    public static IReadOnlyList<string> Matchers { get; } = [ArcFaceEmbedder.Id, DlibResNetEmbedder.Id, ScoreFusion.Id];

    /// <summary>fr-feature (default), dlib-resnet-v1, or fusion (both, z-normalised and weighted).</summary>
    [Required]
    public string Matcher { get; set; } = ArcFaceEmbedder.Id;

    /// <summary>The false accept rate whose calibrated threshold decides a match (one of the manifest's operating points).</summary>
    [Range(1e-6, 0.1)]
    public double FalseAcceptRate { get; set; } = 1e-3;
}
