using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.OnnxRuntime;

namespace Verify.UnitTests.Faces;

/// <summary>
/// The cross-verification batcher over a fake model whose embedding of a face is its first pixel value, so that
/// every caller can recognise its own. A batch waits for others for ten minutes unless said otherwise: only a
/// full batch then runs, which makes the grouping certain without relying on timing.
/// </summary>
public sealed class FaceEmbeddingBatcherTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromMinutes(10);

    // Guards the test run against a hang; no assertion is about time.
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Concurrent_callers_share_one_run_and_each_gets_its_own_embedding()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 4, Forever);
        using var faces = new Faces(10, 20, 30, 40);

        var results = await Task.WhenAll(faces.Select(face => Caller(batcher, face))).WaitAsync(Hang);

        Assert.Equal([4], model.BatchSizes);
        Assert.Equal([10f, 20f, 30f, 40f], results.Select(embedding => embedding.Vector[0]));
        Assert.All(results, embedding => Assert.Equal(model.ModelVersion, embedding.ModelVersion));
    }

    [Fact]
    public async Task A_lone_face_runs_once_its_wait_is_over()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 8, TimeSpan.FromMilliseconds(1));
        using var faces = new Faces(7);

        var embedding = await Caller(batcher, faces[0]).WaitAsync(Hang);

        Assert.Equal(7f, embedding.Vector[0]);
        Assert.Equal([1], model.BatchSizes);
    }

    [Fact]
    public async Task No_run_holds_more_faces_than_the_largest_batch()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 3, TimeSpan.FromMilliseconds(1));
        using var faces = new Faces(1, 2, 3, 4, 5, 6, 7);

        var results = await Task.WhenAll(faces.Select(face => Caller(batcher, face))).WaitAsync(Hang);

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f], results.Select(embedding => embedding.Vector[0]));
        Assert.All(model.BatchSizes, size => Assert.InRange(size, 1, 3));
        Assert.Equal(7, model.BatchSizes.Sum());
    }

    [Fact]
    public async Task A_failed_run_fails_every_caller_in_it()
    {
        var model = new FakeModel { Failure = new InvalidOperationException("the run failed") };
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 3, Forever);
        using var faces = new Faces(1, 2, 3);

        var callers = faces.Select(face => Caller(batcher, face)).ToArray();

        foreach (var caller in callers)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => caller.WaitAsync(Hang));
            Assert.Equal("the run failed", error.Message);
        }

        Assert.Equal([3], model.BatchSizes);
    }

    [Fact]
    public async Task A_failed_run_does_not_stop_the_next_one()
    {
        var model = new FakeModel { Failure = new InvalidOperationException("the run failed") };
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 1, Forever);
        using var faces = new Faces(1, 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Caller(batcher, faces[0]).WaitAsync(Hang));
        model.Failure = null;
        var embedding = await Caller(batcher, faces[1]).WaitAsync(Hang);

        Assert.Equal(2f, embedding.Vector[0]);
    }

    [Fact]
    public async Task A_caller_cancelled_while_queued_leaves_without_a_run()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 2, Forever);
        using var faces = new Faces(1, 2, 3);
        using var cancellation = new CancellationTokenSource();

        var cancelled = Caller(batcher, faces[0], cancellation.Token);
        Assert.True(SpinWait.SpinUntil(() => batcher.QueuedFaces == 1, Hang));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Hang));
        Assert.Equal(0, batcher.QueuedFaces);
        Assert.Empty(model.BatchSizes);

        // The place it left is taken by the next callers: a full batch of two without it.
        var results = await Task.WhenAll(Caller(batcher, faces[1]), Caller(batcher, faces[2])).WaitAsync(Hang);
        Assert.Equal([2f, 3f], results.Select(embedding => embedding.Vector[0]));
        Assert.Equal([2], model.BatchSizes);
    }

    [Fact]
    public async Task A_run_whose_callers_all_cancelled_is_terminated_and_the_next_run_is_served()
    {
        using var hold = new ManualResetEventSlim();
        var model = new FakeModel { Hold = hold };
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 2, Forever);
        using var faces = new Faces(1, 2, 3, 4);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();

        var callers = new[] { Caller(batcher, faces[0], first.Token), Caller(batcher, faces[1], second.Token) };
        Assert.True(model.Started.Wait(Hang));
        await first.CancelAsync();
        await second.CancelAsync();

        foreach (var caller in callers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller.WaitAsync(Hang));
        }

        // The run itself was told to stop (the fake model stops only when its token fires; the hold never opened).
        Assert.Equal(1, model.Terminated);
        hold.Set();
        var results = await Task.WhenAll(Caller(batcher, faces[2]), Caller(batcher, faces[3])).WaitAsync(Hang);
        Assert.Equal([3f, 4f], results.Select(embedding => embedding.Vector[0]));
    }

    [Fact]
    public async Task A_run_goes_on_for_its_callers_that_still_wait_and_the_one_that_cancelled_gets_no_embedding()
    {
        using var hold = new ManualResetEventSlim();
        var model = new FakeModel { Hold = hold };
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 2, Forever);
        using var faces = new Faces(5, 6);
        using var cancellation = new CancellationTokenSource();

        var leaving = Caller(batcher, faces[0], cancellation.Token);
        var staying = Caller(batcher, faces[1]);
        Assert.True(model.Started.Wait(Hang));
        await cancellation.CancelAsync();
        hold.Set();

        Assert.Equal(6f, (await staying.WaitAsync(Hang)).Vector[0]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Hang));
        Assert.Equal(0, model.Terminated);
    }

    [Fact]
    public async Task Disposing_fails_the_queued_callers_and_refuses_new_ones()
    {
        var model = new FakeModel();
        var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 2, Forever);
        using var faces = new Faces(1, 2);

        var waiting = Caller(batcher, faces[0]);
        Assert.True(SpinWait.SpinUntil(() => batcher.QueuedFaces == 1, Hang));
        batcher.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(Hang));
        Assert.Throws<ObjectDisposedException>(() => batcher.Embed(faces[1]));
        Assert.Empty(model.BatchSizes);
    }

    [Fact]
    public void A_face_of_the_wrong_size_fails_only_its_caller()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 2, Forever);
        using var wrong = RgbImage.Allocate(100, 100);

        Assert.Throws<ArgumentException>(() => batcher.Embed(wrong));
        Assert.Equal(0, batcher.QueuedFaces);
    }

    [Fact]
    public void A_model_with_a_fixed_batch_cannot_be_put_behind_a_batcher()
    {
        Assert.Throws<ArgumentException>(() => new FaceEmbeddingBatcher(new FakeModel { AcceptsBatch = false }, 8, Forever));
    }

    [Fact]
    public async Task A_run_size_above_the_largest_batch_gives_way_to_it_and_each_caller_gets_its_own_embedding_in_order()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 3, Forever, bucketSizes: [1, 8]);
        using var faces = new Faces(10, 20, 30);

        var results = await Task.WhenAll(faces.Select(face => Caller(batcher, face))).WaitAsync(Hang);

        // 8 is above the largest batch, so the largest batch (3) is the top run size.
        Assert.Equal([1, 3], batcher.RunSizes);
        Assert.Equal([10f, 20f, 30f], results.Select(embedding => embedding.Vector[0]));
        var run = Assert.Single(model.Runs);
        Assert.Equal((3, 3), (run.Faces, run.RunSize));
    }

    [Fact]
    public async Task Three_faces_run_padded_to_eight_and_each_caller_gets_its_own_embedding_in_order()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 8, TimeSpan.FromSeconds(1), bucketSizes: [1, 8]);
        using var faces = new Faces(10, 20, 30);

        var results = await Task.WhenAll(faces.Select(face => Caller(batcher, face))).WaitAsync(Hang);

        Assert.Equal([10f, 20f, 30f], results.Select(embedding => embedding.Vector[0]));
        // The three arrive within the delay: one run of three faces on the session shaped for eight. (Should a slow
        // machine split them, every run of more than one face must still be padded to eight.)
        Assert.Equal(3, model.Runs.Sum(run => run.Faces));
        Assert.All(model.Runs.Where(run => run.Faces > 1), run => Assert.Equal(8, run.RunSize));
        Assert.Contains(model.Runs, run => run.Faces > 1);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 8)]
    [InlineData(8, 8)]
    [InlineData(9, 32)]
    [InlineData(33, 64)]
    [InlineData(64, 64)]
    public void A_run_takes_the_smallest_run_size_that_holds_its_faces(int faces, int runSize)
    {
        using var batcher = new FaceEmbeddingBatcher(new FakeModel(), maxBatchSize: 64, Forever, bucketSizes: [1, 8, 32, 64]);

        Assert.Equal(runSize, batcher.RunSizeFor(faces));
    }

    [Fact]
    public async Task Each_run_size_has_a_session_of_its_own_and_a_run_of_one_uses_the_embedders()
    {
        var model = new FakeModel();
        var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 4, TimeSpan.FromMilliseconds(1), bucketSizes: [1, 2, 4]);
        using var faces = new Faces(1, 2, 3);

        // Two sessions opened, for 2 and 4; 1 runs on the embedder's own.
        Assert.Equal(2, model.Sessions.Length);
        await Caller(batcher, faces[0]).WaitAsync(Hang);
        batcher.WarmUp(faces[0]);

        var runs = model.Runs;
        Assert.Same(model, runs[0].Session);
        Assert.Equal([1, 2, 4], runs.Skip(1).Select(run => run.RunSize));
        Assert.Equal([model, .. model.Sessions], runs.Skip(1).Select(run => run.Session));
        Assert.All(runs.Skip(1), run => Assert.Equal(1, run.Faces));

        batcher.Dispose();
        Assert.All(model.Sessions, session => Assert.True(session.Disposed));
        Assert.False(model.Disposed);
    }

    [Fact]
    public async Task Without_run_sizes_a_batch_runs_with_the_faces_it_has_on_one_session()
    {
        var model = new FakeModel();
        using var batcher = new FaceEmbeddingBatcher(model, maxBatchSize: 3, Forever);
        using var faces = new Faces(1, 2, 3);

        await Task.WhenAll(faces.Select(face => Caller(batcher, face))).WaitAsync(Hang);

        Assert.Empty(batcher.RunSizes);
        Assert.Empty(model.Sessions);
        Assert.Equal([(model, 3, 3)], model.Runs);
    }

    [Theory]
    [InlineData(ExecutionProvider.Cuda, new[] { 1, 8, 32, 64 })]
    [InlineData(ExecutionProvider.Cpu, new int[0])]
    public void Batches_are_padded_by_default_on_cuda_only(ExecutionProvider provider, int[] runSizes)
    {
        var model = new FakeModel();
        using var batching = Batching(provider, enabled: true);

        var batcher = Assert.IsType<FaceEmbeddingBatcher>(batching.For(model));

        Assert.Equal(64, batcher.MaxBatchSize);
        Assert.Equal(runSizes, batcher.RunSizes);
    }

    [Theory]
    [InlineData(ExecutionProvider.Cuda, null)]
    [InlineData(ExecutionProvider.Cpu, true)]
    [InlineData(ExecutionProvider.Cuda, true)]
    public void Models_with_a_fixed_batch_are_never_batched(ExecutionProvider provider, bool? enabled)
    {
        var fixedBatch = new FakeModel { AcceptsBatch = false };
        using var batching = Batching(provider, enabled);

        Assert.Same(fixedBatch, batching.For(fixedBatch));
    }

    [Theory]
    [InlineData(ExecutionProvider.Cuda, null, true)]
    [InlineData(ExecutionProvider.Cpu, null, false)]
    [InlineData(ExecutionProvider.Cpu, true, true)]
    [InlineData(ExecutionProvider.Cuda, false, false)]
    public void Batching_is_on_by_default_on_cuda_off_on_the_cpu_and_configurable(ExecutionProvider provider, bool? enabled, bool batched)
    {
        var model = new FakeModel();
        using var batching = Batching(provider, enabled);

        var used = batching.For(model);

        Assert.Equal(batched, used is FaceEmbeddingBatcher);
        Assert.Equal(batched, !ReferenceEquals(model, used));
    }

    [Fact]
    public void A_largest_batch_of_one_is_no_batching()
    {
        var model = new FakeModel();
        using var batching = new EmbeddingBatching(new EmbeddingBatchingOptions { Enabled = true, MaxBatchSize = 1 }, ExecutionProvider.Cuda,
            NullLogger<EmbeddingBatching>.Instance);

        Assert.Same(model, batching.For(model));
    }

    [Fact]
    public void One_embedder_gets_one_batcher()
    {
        var model = new FakeModel();
        using var batching = Batching(ExecutionProvider.Cuda, null);

        Assert.Same(batching.For(model), batching.For(model));
    }

    private static EmbeddingBatching Batching(ExecutionProvider provider, bool? enabled) =>
        new(new EmbeddingBatchingOptions { Enabled = enabled }, provider, NullLogger<EmbeddingBatching>.Instance);

    private static Task<FaceEmbedding> Caller(FaceEmbeddingBatcher batcher, RgbImage face, CancellationToken cancellationToken = default) =>
        // Each caller blocks its own thread, as a verification does.
        Task.Factory.StartNew(() => batcher.Embed(face, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Aligned-size faces, each filled with one value.</summary>
    private sealed class Faces : List<RgbImage>, IDisposable
    {
        public Faces(params byte[] values)
        {
            foreach (byte value in values)
            {
                var face = RgbImage.Allocate(FakeModel.Size, FakeModel.Size);
                face.Pixels.Fill(value);
                Add(face);
            }
        }

        public void Dispose() => ForEach(face => face.Dispose());
    }

    private sealed class FakeModel : IBatchFaceEmbedder
    {
        public static readonly int Size = AlignmentTemplate.DlibChip150.Size;
        private readonly ConcurrentQueue<int> _batchSizes = new();
        private readonly ConcurrentQueue<(FakeModel Session, int Faces, int RunSize)> _runs;
        private readonly ConcurrentQueue<FakeModel> _sessions;
        private int _terminated;

        public FakeModel()
        {
            _runs = new();
            _sessions = new();
        }

        /// <summary>A session of its own (<see cref="OpenSession"/>), recording into its parent's lists.</summary>
        private FakeModel(FakeModel parent)
        {
            _runs = parent._runs;
            _sessions = parent._sessions;
            _batchSizes = parent._batchSizes;
            AcceptsBatch = parent.AcceptsBatch;
        }

        /// <summary>Every run: the session it ran on, its faces and its padded size.</summary>
        public (FakeModel Session, int Faces, int RunSize)[] Runs => [.. _runs];

        /// <summary>The sessions opened from this one.</summary>
        public FakeModel[] Sessions => [.. _sessions];

        public bool Disposed { get; private set; }

        public string ModelId => "fake";

        public string ModelVersion => "fake@0";

        public AlignmentTemplate Template => AlignmentTemplate.DlibChip150;

        public bool AcceptsBatch { get; init; } = true;

        public Exception? Failure { get; set; }

        /// <summary>When set, a run waits for it after <see cref="Started"/> is set.</summary>
        public ManualResetEventSlim? Hold { get; init; }

        public ManualResetEventSlim Started { get; } = new();

        public int[] BatchSizes => [.. _batchSizes];

        /// <summary>Runs stopped because their token fired while they were held.</summary>
        public int Terminated => _terminated;

        public FaceEmbedding Embed(RgbImage alignedFace, CancellationToken cancellationToken = default) => EmbedBatch([alignedFace], cancellationToken)[0];

        public IReadOnlyList<FaceEmbedding> EmbedBatch(IReadOnlyList<RgbImage> alignedFaces, CancellationToken cancellationToken = default) =>
            EmbedPadded(alignedFaces, alignedFaces.Count, cancellationToken);

        public IBatchFaceEmbedder OpenSession()
        {
            var session = new FakeModel(this);
            _sessions.Enqueue(session);
            return session;
        }

        public void Dispose() => Disposed = true;

        public IReadOnlyList<FaceEmbedding> EmbedPadded(IReadOnlyList<RgbImage> alignedFaces, int runSize, CancellationToken cancellationToken = default)
        {
            _batchSizes.Enqueue(alignedFaces.Count);
            _runs.Enqueue((this, alignedFaces.Count, runSize));
            Started.Set();
            try
            {
                Hold?.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _terminated);
                throw;
            }

            if (Failure is { } failure)
            {
                throw failure;
            }

            return alignedFaces.Select(face => new FaceEmbedding(ModelVersion, [face.Pixels[0]])).ToArray();
        }
    }
}
