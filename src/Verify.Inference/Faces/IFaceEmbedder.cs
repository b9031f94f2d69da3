using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>Turns an aligned face crop into an embedding.</summary>
public interface IFaceEmbedder
{
    /// <summary>The manifest id of the model.</summary>
    string ModelId { get; }

    /// <summary>Model id and checksum prefix: embeddings of different versions are never compared.</summary>
    string ModelVersion { get; }

    /// <summary>Where the model expects the landmarks in its input crop.</summary>
    AlignmentTemplate Template { get; }

    /// <summary>
    /// Embeds a crop made by <see cref="FaceAligner.Align"/> with <see cref="Template"/>. Cancelling stops the model run
    /// (or, batched, the wait for it) with an <see cref="OperationCanceledException"/>.
    /// </summary>
    FaceEmbedding Embed(RgbImage alignedFace, CancellationToken cancellationToken = default);
}
