using System.Diagnostics;
using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>
/// Collects concurrent <see cref="Embed(RgbImage, CancellationToken)"/> calls to one batch-capable embedder, from different
/// verifications on their own threads, and runs them as one batch on its own thread: a batch runs when it
/// is full or when its oldest face has waited the longest delay. Each caller gets its own embedding; a
/// failed run fails every caller in it.
/// </summary>
/// <remarks>
/// Cancellation: a queued face whose caller cancels leaves the queue at once. A batch under way is terminated only
/// when every caller in it has cancelled (the others still need its result); a caller that cancels while its batch runs
/// waits for that run (at most one batch, milliseconds on a GPU) and then gets its <see cref="OperationCanceledException"/>
/// rather than an embedding, so its work stops at the next step either way.
/// <para>
/// Callers keep ownership of their aligned faces and wait until their batch has run, so a face is never
/// copied and is read only while its caller waits. The batch tensor is wiped by the embedder after each run.
/// </para>
/// <para>
/// Fixed shapes: with run sizes (buckets), a batch is padded with zero rows up to the next run size and runs on a
/// session kept for that size alone. ONNX Runtime's CUDA convolutions rebuild their cuDNN plans whenever a session's
/// input shape changes, which made sizes taking turns in one session 15 to 37 times slower than each size alone
/// on an H200 (docs/performance.md, "Batched embedding"); a session per run size sees its one shape from warm-up on.
/// </para>
/// </remarks>
public sealed class FaceEmbeddingBatcher : IFaceEmbedder, IDisposable
{
    private readonly IBatchFaceEmbedder _embedder;
    private readonly TimeSpan _maxDelay;
    // Run size -> the embedder whose session runs that size alone; empty when batches are not padded.
    private readonly SortedDictionary<int, IBatchFaceEmbedder> _runners = [];
    // A plain object, not a Lock: the dispatcher waits on it with Monitor.Wait.
    private readonly object _gate = new();
    private readonly List<QueuedFace> _queue = [];
    private readonly Thread _dispatcher;
    private bool _disposed;

    /// <param name="embedder">An embedder whose model accepts a batch; runs of one face use its session.</param>
    /// <param name="maxBatchSize">Most faces in one run.</param>
    /// <param name="maxDelay">Longest the oldest queued face waits for others.</param>
    /// <param name="bucketSizes">
    /// Run sizes to pad batches up to, each larger one on a session of its own (sizes above
    /// <paramref name="maxBatchSize"/> are dropped, and it is added); null or empty: a batch runs with the faces it has.
    /// </param>
    public FaceEmbeddingBatcher(IBatchFaceEmbedder embedder, int maxBatchSize, TimeSpan maxDelay, IReadOnlyCollection<int>? bucketSizes = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        if (!embedder.AcceptsBatch)
        {
            throw new ArgumentException($"{embedder.ModelId} has a fixed batch of 1: there is nothing to batch.", nameof(embedder));
        }

        if (bucketSizes is not null && bucketSizes.Any(size => size < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(bucketSizes), "Run sizes must be at least 1.");
        }

        _embedder = embedder;
        MaxBatchSize = maxBatchSize;
        _maxDelay = maxDelay;
        if (bucketSizes is { Count: > 0 })
        {
            try
            {
                foreach (int size in bucketSizes.Where(size => size < maxBatchSize).Append(maxBatchSize).Distinct())
                {
                    _runners.Add(size, size == 1 ? embedder : embedder.OpenSession());
                }
            }
            catch
            {
                DisposeOwnSessions();
                throw;
            }
        }

        RunSizes = [.. _runners.Keys];
        _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = $"embed-batch {embedder.ModelId}" };
        _dispatcher.Start();
    }

    public string ModelId => _embedder.ModelId;

    public string ModelVersion => _embedder.ModelVersion;

    public AlignmentTemplate Template => _embedder.Template;

    /// <summary>Most faces in one run.</summary>
    public int MaxBatchSize { get; }

    /// <summary>The sizes runs are padded up to, ascending (the largest is <see cref="MaxBatchSize"/>); empty when runs are not padded.</summary>
    public IReadOnlyList<int> RunSizes { get; }

    /// <summary>Faces waiting for their batch to start (for tests).</summary>
    internal int QueuedFaces
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Embeds the face in the next batch. Cancelling takes the face out of the queue with an
    /// <see cref="OperationCanceledException"/>; once its batch has started, the call waits for that run, which the
    /// other faces in it need too, and the run is terminated when none of them does.
    /// </summary>
    public FaceEmbedding Embed(RgbImage alignedFace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alignedFace);
        // Checked here, so that one wrong crop fails its own caller, not the batch it would have joined.
        if (alignedFace.Width != Template.Size || alignedFace.Height != Template.Size)
        {
            throw new ArgumentException($"{ModelId} expects a {Template.Size}x{Template.Size} aligned face.", nameof(alignedFace));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var queued = new QueuedFace(alignedFace);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(queued);
            Monitor.PulseAll(_gate);
        }

        using (cancellationToken.Register(() => Withdraw(queued, cancellationToken)))
        {
            var embedding = queued.Completion.Task.GetAwaiter().GetResult();
            // Cancelled while its batch ran for the others: the caller asked to stop, so it does not carry on.
            cancellationToken.ThrowIfCancellationRequested();
            return embedding;
        }
    }

    /// <summary>
    /// Runs each padded run size once on its session: the CUDA provider builds its convolution plans for an input
    /// shape on first sight, which should not fall on a verification. Without padding there is nothing to warm: the
    /// shapes are not known in advance, and the CPU provider (the only one left unpadded by default) keeps no per-shape plans.
    /// </summary>
    public void WarmUp(RgbImage alignedFace, CancellationToken cancellationToken = default)
    {
        foreach (var (size, runner) in _runners)
        {
            cancellationToken.ThrowIfCancellationRequested();
            runner.EmbedPadded([alignedFace], size, cancellationToken);
        }
    }

    /// <summary>Fails the faces still queued and waits for the batch in flight, so the session outlives its last run.</summary>
    public void Dispose()
    {
        QueuedFace[] abandoned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            abandoned = [.. _queue];
            _queue.Clear();
            Monitor.PulseAll(_gate);
        }

        foreach (var queued in abandoned)
        {
            queued.Completion.TrySetException(new ObjectDisposedException(nameof(FaceEmbeddingBatcher)));
        }

        _dispatcher.Join();
        DisposeOwnSessions();
    }

    /// <summary>The smallest run size that holds <paramref name="faces"/>, or the face count itself when runs are not padded.</summary>
    internal int RunSizeFor(int faces) => _runners.Count == 0 ? faces : _runners.Keys.First(size => size >= faces);

    private void DisposeOwnSessions()
    {
        foreach (var runner in _runners.Values.Where(runner => !ReferenceEquals(runner, _embedder)))
        {
            runner.Dispose();
        }

        _runners.Clear();
    }

    private void Withdraw(QueuedFace queued, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_queue.Remove(queued))
            {
                // Taken into a batch: its run is under way, and is terminated once no caller in it is left.
                queued.Batch?.Abandon(queued);
                return;
            }
        }

        queued.Completion.TrySetCanceled(cancellationToken);
    }

    private void Dispatch()
    {
        while (NextBatch() is { } batch)
        {
            Run(batch);
            lock (_gate)
            {
                // Under the gate, so that no caller's withdrawal cancels a batch being disposed.
                batch.Dispose();
            }
        }
    }

    /// <summary>Waits until a batch is full or its oldest face has waited long enough; null once disposed.</summary>
    private Batch? NextBatch()
    {
        lock (_gate)
        {
            while (true)
            {
                if (_disposed)
                {
                    return null;
                }

                if (_queue.Count == 0)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                var waited = Stopwatch.GetElapsedTime(_queue[0].QueuedAt);
                if (_queue.Count >= MaxBatchSize || waited >= _maxDelay)
                {
                    break;
                }

                Monitor.Wait(_gate, _maxDelay - waited);
            }

            int count = Math.Min(_queue.Count, MaxBatchSize);
            var batch = new Batch(_queue.GetRange(0, count).ToArray());
            _queue.RemoveRange(0, count);
            return batch;
        }
    }

    private void Run(Batch batch)
    {
        var faces = batch.Faces;
        try
        {
            int runSize = RunSizeFor(faces.Length);
            var runner = _runners.GetValueOrDefault(runSize, _embedder);
            var embeddings = runner.EmbedPadded(faces.Select(queued => queued.Face).ToArray(), runSize, batch.Abandoned);
            if (embeddings.Count != faces.Length)
            {
                throw new InvalidOperationException($"{ModelId} returned {embeddings.Count} embeddings for {faces.Length} faces.");
            }

            for (int i = 0; i < faces.Length; i++)
            {
                faces[i].Completion.TrySetResult(embeddings[i]);
            }
        }
        catch (OperationCanceledException) when (batch.Abandoned.IsCancellationRequested)
        {
            foreach (var queued in faces)
            {
                queued.Completion.TrySetCanceled(batch.Abandoned);
            }
        }
#pragma warning disable CA1031 // Whatever the run throws belongs to its callers; the dispatcher thread must live on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            foreach (var queued in faces)
            {
                queued.Completion.TrySetException(exception);
            }
        }
    }

    /// <summary>The faces of one run, and the token that terminates it once every caller in it has cancelled.</summary>
    private sealed class Batch : IDisposable
    {
        private readonly CancellationTokenSource _abandoned = new();
        private int _remaining;
        private bool _disposed;

        public Batch(QueuedFace[] faces)
        {
            Faces = faces;
            _remaining = faces.Length;
            Abandoned = _abandoned.Token;
            foreach (var face in faces)
            {
                face.Batch = this;
            }
        }

        public QueuedFace[] Faces { get; }

        public CancellationToken Abandoned { get; }

        /// <summary>One caller no longer wants its embedding; called under the batcher's gate, once per caller.</summary>
        public void Abandon(QueuedFace face)
        {
            if (!_disposed && !face.Abandoned && --_remaining == 0)
            {
                _abandoned.Cancel();
            }

            face.Abandoned = true;
        }

        /// <summary>Called under the batcher's gate once the run is over.</summary>
        public void Dispose()
        {
            _disposed = true;
            _abandoned.Dispose();
        }
    }

    private sealed class QueuedFace(RgbImage face)
    {
        public RgbImage Face { get; } = face;

        public long QueuedAt { get; } = Stopwatch.GetTimestamp();

        /// <summary>The batch that took the face (set under the batcher's gate); null while queued.</summary>
        public Batch? Batch { get; set; }

        /// <summary>Its caller cancelled after the batch took it.</summary>
        public bool Abandoned { get; set; }

        // Continuations never run on the dispatcher thread: callers block on the task, they do not await it.
        public TaskCompletionSource<FaceEmbedding> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
