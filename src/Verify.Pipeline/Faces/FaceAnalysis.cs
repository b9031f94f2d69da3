using Verify.Imaging;
using Verify.Inference.Faces;

namespace Verify.Pipeline.Faces;

/// <summary>What became of one image in the face pipeline.</summary>
public enum FaceAnalysisOutcome
{
    /// <summary>Decoded, at least one face found, the primary face embedded.</summary>
    Analysed,

    /// <summary>The bytes are not a decodable image of a supported format and size.</summary>
    Unreadable,

    /// <summary>Decoded, but no face was found.</summary>
    NoFace,
}

/// <summary>
/// The faces found in one image and the embeddings of its primary face (one per embedder of the matcher).
/// Holds no pixels: embeddings are biometric data and stay in memory only as long as the caller keeps this.
/// </summary>
public sealed record FaceAnalysis
{
    public required FaceAnalysisOutcome Outcome { get; init; }

    public ImageFormat Format { get; init; }

    /// <summary>Upright width (after EXIF orientation).</summary>
    public int Width { get; init; }

    /// <summary>Upright height (after EXIF orientation).</summary>
    public int Height { get; init; }

    public IReadOnlyList<FaceDetection> Faces { get; init; } = [];

    /// <summary>Index into <see cref="Faces"/> of the face that was embedded, or -1.</summary>
    public int PrimaryIndex { get; init; } = -1;

    public IReadOnlyList<FaceEmbedding> Embeddings { get; init; } = [];

    /// <summary>Why the image could not be read, for <see cref="FaceAnalysisOutcome.Unreadable"/>.</summary>
    public ImageDecodeError? DecodeError { get; init; }

    /// <summary>A message for the person who sent the image, when the outcome is not <see cref="FaceAnalysisOutcome.Analysed"/>.</summary>
    public string? Problem { get; init; }

    public FaceDetection? PrimaryFace => PrimaryIndex >= 0 ? Faces[PrimaryIndex] : null;
}
