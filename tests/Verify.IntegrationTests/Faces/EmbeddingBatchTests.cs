using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.OnnxRuntime;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Faces;

/// <summary>Batched embedding with the real models: which graphs take a batch, and that a batch embeds as its faces alone.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class EmbeddingBatchTests(PipelineFixture pipeline)
{
    private static readonly (string Name, int Number)[] Photos =
        [("Colin_Powell", 38), ("Colin_Powell", 212), ("George_W_Bush", 353), ("Tony_Blair", 6)];

    [Theory]
    [InlineData("dlib-resnet-v1", true)]
    [InlineData("fr-feature", false)]
    [InlineData("yunet-2023mar", false)]
    [InlineData("minifasnet-v2", false)]
    [InlineData("minifasnet-v1se", false)]
    [InlineData("fr-liveness", false)]
    public void Only_a_graph_with_a_symbolic_batch_dimension_accepts_a_batch(string modelId, bool accepts)
    {
        using var session = pipeline.Get<OnnxSessionFactory>().Open(modelId);

        Assert.Equal(accepts, session.AcceptsBatch);
    }

    [Fact]
    public void A_dlib_batch_embeds_each_face_as_a_run_of_its_own()
    {
        var embedder = pipeline.Get<DlibResNetEmbedder>();
        using var faces = Align(embedder.Template);

        var batched = embedder.EmbedBatch(faces);

        Assert.Equal(faces.Count, batched.Count);
        for (int i = 0; i < faces.Count; i++)
        {
            AssertSameEmbedding(embedder.Embed(faces[i]), batched[i]);
        }
    }

    [Fact]
    public async Task Concurrent_callers_through_the_batcher_get_the_embeddings_they_would_get_alone()
    {
        var embedder = pipeline.Get<DlibResNetEmbedder>();
        using var faces = Align(embedder.Template);
        // A full batch runs at once; the long wait only makes sure all four share it.
        using var batcher = new FaceEmbeddingBatcher(embedder, faces.Count, TimeSpan.FromMinutes(10));

        var callers = faces.Select(face => Task.Factory.StartNew(() => batcher.Embed(face), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(2));

        for (int i = 0; i < faces.Count; i++)
        {
            AssertSameEmbedding(embedder.Embed(faces[i]), results[i]);
        }
    }

    [Fact]
    public void A_face_embeds_the_same_alone_padded_to_eight_and_in_a_full_batch_of_eight()
    {
        var embedder = pipeline.Get<DlibResNetEmbedder>();
        using var faces = Align(embedder.Template);
        var alone = faces.Select(face => embedder.Embed(face)).ToArray();

        var padded = embedder.EmbedPadded(faces.Take(3).ToArray(), runSize: 8);
        var full = embedder.EmbedBatch([.. faces, .. faces]);

        // The five zero rows are dropped: three faces, three embeddings, in order.
        Assert.Equal(3, padded.Count);
        Assert.Equal(8, full.Count);
        for (int i = 0; i < 3; i++)
        {
            AssertSameEmbedding(alone[i], padded[i]);
        }

        for (int i = 0; i < full.Count; i++)
        {
            AssertSameEmbedding(alone[i % faces.Count], full[i]);
        }
    }

    [Fact]
    public async Task Callers_of_a_batch_padded_to_a_run_size_get_exactly_their_own_embeddings()
    {
        var embedder = pipeline.Get<DlibResNetEmbedder>();
        using var faces = Align(embedder.Template);
        // Three callers, a batch of up to 8 padded to 8 on a session of its own; the wait lets all three join one run.
        using var batcher = new FaceEmbeddingBatcher(embedder, maxBatchSize: 8, TimeSpan.FromSeconds(5), bucketSizes: [1, 8]);
        Assert.Equal(8, batcher.RunSizeFor(3));

        var callers = faces.Take(3).Select(face => Task.Factory.StartNew(() => batcher.Embed(face), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(2));

        for (int i = 0; i < results.Length; i++)
        {
            AssertSameEmbedding(embedder.Embed(faces[i]), results[i]);
        }
    }

    [Fact]
    public void A_fixed_batch_embedder_refuses_a_batch()
    {
        var embedder = pipeline.Get<ArcFaceEmbedder>();
        using var faces = Align(embedder.Template);

        Assert.False(embedder.AcceptsBatch);
        Assert.Throws<InvalidOperationException>(() => embedder.EmbedBatch(faces));
        Assert.Single(embedder.EmbedBatch([faces[0]]));
    }

    private static void AssertSameEmbedding(FaceEmbedding expected, FaceEmbedding actual)
    {
        Assert.Equal(expected.ModelVersion, actual.ModelVersion);
        Assert.Equal(expected.Vector.Length, actual.Vector.Length);
        // A batch may take other kernel paths than a single face: equal within float rounding, not bit for bit.
        for (int k = 0; k < expected.Vector.Length; k++)
        {
            Assert.Equal(expected.Vector[k], actual.Vector[k], 1e-4f);
        }
    }

    /// <summary>The photos' primary faces, aligned to the template.</summary>
    private AlignedFaces Align(AlignmentTemplate template)
    {
        var decoder = pipeline.Get<ImageDecoder>();
        var detector = pipeline.Get<IFaceDetector>();
        var aligned = new AlignedFaces();
        foreach (var (name, number) in Photos)
        {
            using var image = decoder.Decode(File.ReadAllBytes(TestPaths.Lfw(name, number)));
            var faces = detector.Detect(image);
            aligned.Add(FaceAligner.Align(image, faces[PrimaryFace.Select(faces, image.Width, image.Height)].Landmarks, template));
        }

        return aligned;
    }

    private sealed class AlignedFaces : List<RgbImage>, IDisposable
    {
        public void Dispose() => ForEach(face => face.Dispose());
    }
}
