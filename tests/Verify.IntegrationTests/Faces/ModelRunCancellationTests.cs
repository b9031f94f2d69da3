using System.Diagnostics;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Faces;

/// <summary>
/// A model run made to take seconds (one batch of hundreds of faces through the real dlib embedder) is terminated when
/// its caller's token fires, and the same session serves the next run as before: a timed-out verification frees its slot.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class ModelRunCancellationTests(PipelineFixture pipeline)
{
    /// <summary>Faces in the short run that measures this machine's pace.</summary>
    private const int PaceBatch = 8;

    /// <summary>Faces in the long run: 32 times the pace run, seconds on any CPU.</summary>
    private const int LongBatch = PaceBatch * 32;

    [Fact]
    public void A_long_run_is_terminated_when_its_token_fires_and_the_session_then_serves_the_next_run()
    {
        var embedder = pipeline.Get<DlibResNetEmbedder>();
        using var face = AlignedFace(embedder.Template);
        var expected = embedder.Embed(face);
        var pace = Stopwatch.StartNew();
        embedder.EmbedBatch(Enumerable.Repeat(face, PaceBatch).ToArray());
        var paceRun = pace.Elapsed;
        using var cancellation = new CancellationTokenSource();

        var cancelled = Stopwatch.StartNew();
        cancellation.CancelAfter(paceRun);
        var exception = Record.Exception(() => embedder.EmbedBatch(Enumerable.Repeat(face, LongBatch).ToArray(), cancellation.Token));
        cancelled.Stop();

        // Typed as a cancellation, not as ONNX Runtime's generic failure.
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        // Stopped well before it would have finished: the whole run takes about 32 pace runs; a run that was only
        // abandoned after finishing would take them all. Eight leaves room for a loaded machine.
        Assert.True(cancelled.Elapsed < paceRun * 8, $"the run stopped after {cancelled.Elapsed}, one pace run is {paceRun}");
        // The session is not left terminated: the next run gives the same embedding as before.
        var after = embedder.Embed(face);
        Assert.Equal(expected.Vector, after.Vector);
    }

    [Fact]
    public void A_detector_run_whose_token_has_fired_does_not_start_and_the_next_one_finds_the_face()
    {
        var detector = pipeline.Get<IFaceDetector>();
        using var image = pipeline.Get<ImageDecoder>().Decode(File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38)));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => detector.Detect(image, minFaceSize: 20, cancellation.Token));
        Assert.NotEmpty(detector.Detect(image));
    }

    /// <summary>An LFW photo's primary face, aligned to the template.</summary>
    private RgbImage AlignedFace(AlignmentTemplate template)
    {
        using var image = pipeline.Get<ImageDecoder>().Decode(File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38)));
        var faces = pipeline.Get<IFaceDetector>().Detect(image);
        return FaceAligner.Align(image, faces[PrimaryFace.Select(faces, image.Width, image.Height)].Landmarks, template);
    }
}
