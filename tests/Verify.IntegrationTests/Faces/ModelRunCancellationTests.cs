using System.Diagnostics;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.OnnxRuntime;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Faces;

/// <summary>
/// A model run made to take long (one batch of hundreds of faces through the real dlib embedder) is terminated when
/// its caller's token fires, and the same session serves the next run as before: a timed-out verification frees its slot.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class ModelRunCancellationTests(PipelineFixture pipeline)
{
    /// <summary>Faces in the long run: hundreds of milliseconds to seconds on any CPU.</summary>
    private const int LongBatch = 256;

    [Fact]
    public void A_long_run_is_terminated_when_its_token_fires_and_the_session_then_serves_the_next_run()
    {
        var embedder = pipeline.Get<DlibResNetEmbedder>();
        using var face = AlignedFace(embedder.Template);
        var expected = embedder.Embed(face);
        var batch = Enumerable.Repeat(face, LongBatch).ToArray();
        // The whole run, timed warm (the first run of a batch shape also pays for ONNX Runtime's planning of it).
        embedder.EmbedBatch(batch);
        var full = Stopwatch.StartNew();
        embedder.EmbedBatch(batch);
        var fullRun = full.Elapsed;
        using var cancellation = new CancellationTokenSource();

        // The token fires an eighth of the way in, from a thread of its own (a timer's callback waits for a pool thread,
        // which the run's own threads can keep busy past its end on two cores).
        var cancelled = Stopwatch.StartNew();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(fullRun / 8);
            cancellation.Cancel();
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        canceller.Start();
        var exception = Record.Exception(() => embedder.EmbedBatch(batch, cancellation.Token));
        cancelled.Stop();
        canceller.Join();

        // Typed as a cancellation, not as ONNX Runtime's generic failure.
        Assert.True(exception is OperationCanceledException, $"the run ended with {exception?.GetType().Name ?? "no exception"} after {cancelled.Elapsed}; the whole run takes {fullRun}");
        // Stopped well before the end: the step in flight when the token fires finishes, the rest do not run. A run that
        // was only abandoned after finishing would take the whole run's time.
        Assert.True(cancelled.Elapsed < fullRun / 2, $"the run stopped after {cancelled.Elapsed}; the whole run takes {fullRun}");
        // The session is not left terminated: the next run gives the same embedding as before.
        var after = embedder.Embed(face);
        Assert.Equal(expected.Vector, after.Vector);
    }

    [Fact]
    public void Disposing_a_session_while_a_run_is_in_flight_ends_the_run_and_frees_the_session_only_after_it_left()
    {
        // A host shutting down disposes its models while a verification may still be running on them. Freeing the
        // native session under a run crashes the whole process (seen in the test suite); the run must end instead.
        using var embedder = new DlibResNetEmbedder(pipeline.Get<OnnxSessionFactory>());
        using var face = AlignedFace(embedder.Template);
        var batch = Enumerable.Repeat(face, LongBatch).ToArray();
        embedder.EmbedBatch(batch);
        var full = Stopwatch.StartNew();
        embedder.EmbedBatch(batch);
        var fullRun = full.Elapsed;

        var disposer = new Thread(() =>
        {
            Thread.Sleep(fullRun / 8);
            embedder.Dispose();
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        disposer.Start();
        var exception = Record.Exception(() => embedder.EmbedBatch(batch));
        disposer.Join();

        Assert.True(exception is ObjectDisposedException, $"the run ended with {exception?.GetType().Name ?? "no exception"}; the whole run takes {fullRun}");
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(face));
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
