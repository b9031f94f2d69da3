using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>An embedder that can say whether its model takes a batch, and embed several aligned faces in one run.</summary>
public interface IBatchFaceEmbedder : IFaceEmbedder, IDisposable
{
    /// <summary>Whether the model's graph has a symbolic batch dimension; when false, batches hold one face.</summary>
    bool AcceptsBatch { get; }

    /// <summary>
    /// Embeds the faces in one model run and returns their embeddings in the same order; equal, within float
    /// tolerance, to one <see cref="IFaceEmbedder.Embed"/> per face. Throws when the model does not accept a batch.
    /// Cancelling terminates the run with an <see cref="OperationCanceledException"/>.
    /// </summary>
    IReadOnlyList<FaceEmbedding> EmbedBatch(IReadOnlyList<RgbImage> alignedFaces, CancellationToken cancellationToken = default);

    /// <summary>
    /// Embeds the faces in one model run of exactly <paramref name="runSize"/> rows, so that the model sees a fixed shape:
    /// the rows after the faces are zero, and their outputs are dropped. Returns the faces' embeddings only, in order.
    /// </summary>
    IReadOnlyList<FaceEmbedding> EmbedPadded(IReadOnlyList<RgbImage> alignedFaces, int runSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// Another embedder of the same model on a session of its own, owned (and disposed) by the caller: a session that
    /// only ever sees one batch shape keeps the plans its provider built for that shape.
    /// </summary>
    IBatchFaceEmbedder OpenSession();
}
