using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>An embedder that can say whether its model takes a batch, and embed several aligned faces in one run.</summary>
public interface IBatchFaceEmbedder : IFaceEmbedder
{
    /// <summary>Whether the model's graph has a symbolic batch dimension; when false, batches hold one face.</summary>
    bool AcceptsBatch { get; }

    /// <summary>
    /// Embeds the faces in one model run and returns their embeddings in the same order; equal, within float
    /// tolerance, to one <see cref="IFaceEmbedder.Embed"/> per face. Throws when the model does not accept a batch.
    /// Cancelling terminates the run with an <see cref="OperationCanceledException"/>.
    /// </summary>
    IReadOnlyList<FaceEmbedding> EmbedBatch(IReadOnlyList<RgbImage> alignedFaces, CancellationToken cancellationToken = default);
}
