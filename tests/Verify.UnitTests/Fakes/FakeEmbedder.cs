using Verify.Imaging;
using Verify.Inference.Faces;

namespace Verify.UnitTests.Fakes;

/// <summary>An embedder that only names its model (version "{id}@0"): for scoring embeddings a test writes itself.</summary>
public sealed class FakeEmbedder(string id) : IFaceEmbedder
{
    public string ModelId => id;

    public string ModelVersion => $"{id}@0";

    public AlignmentTemplate Template => AlignmentTemplate.ArcFace112;

    public FaceEmbedding Embed(RgbImage alignedFace, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
