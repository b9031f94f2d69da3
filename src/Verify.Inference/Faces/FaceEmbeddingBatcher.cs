using System.Diagnostics;
using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>
/// Collects concurrent <see cref="Embed(RgbImage)"/> calls to one batch-capable embedder, from different
/// verifications on their own threads, and runs them as one batch on its own thread: a batch runs when it
/// is full or when its oldest face has waited the longest delay. Each caller gets its own embedding; a
/// failed run fails every caller in it.
/// </summary>
/// <remarks>
/// Callers keep ownership of their aligned faces and wait until their batch has run, so a face is never
/// copied and is read only while its caller waits. The batch tensor is wiped by the embedder after each run.
/// </remarks>
public sealed class FaceEmbeddingBatcher : IFaceEmbedder, IDisposable
{
    private readonly IBatchFaceEmbedder _embedder;
    private readonly TimeSpan _maxDelay;
    // A plain object, not a Lock: the dispatcher waits on it with Monitor.Wait.
    private readonly object _gate = new();
    private readonly List<QueuedFace> _queue = [];
    private readonly Thread _dispatcher;
    private bool _disposed;

    /// <param name="embedder">An embedder whose model accepts a batch.</param>
    /// <param name="maxBatchSize">Most faces in one run.</param>
    /// <param name="maxDelay">Longest the oldest queued face waits for others.</param>
    public FaceEmbeddingBatcher(IBatchFaceEmbedder embedder, int maxBatchSize, TimeSpan maxDelay)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        if (!embedder.AcceptsBatch)
        {
            throw new ArgumentException($"{embedder.ModelId} has a fixed batch of 1: there is nothing to batch.", nameof(embedder));
        }

        _embedder = embedder;
        MaxBatchSize = maxBatchSize;
        _maxDelay = maxDelay;
        _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = $"embed-batch {embedder.ModelId}" };
        _dispatcher.Start();
    }

    public string ModelId => _embedder.ModelId;

    public string ModelVersion => _embedder.ModelVersion;

    public AlignmentTemplate Template => _embedder.Template;

    /// <summary>Most faces in one run.</summary>
    public int MaxBatchSize { get; }

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

    public FaceEmbedding Embed(RgbImage alignedFace) => Embed(alignedFace, CancellationToken.None);

    /// <summary>
    /// Embeds the face in the next batch. Cancelling takes the face out of the queue with an
    /// <see cref="OperationCanceledException"/>; once its batch has started, the call waits for that run,
    /// which the other faces in it need too.
    /// </summary>
    public FaceEmbedding Embed(RgbImage alignedFace, CancellationToken cancellationToken)
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
            return queued.Completion.Task.GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Runs a batch of every size from 2 to <see cref="MaxBatchSize"/> once: the CUDA provider chooses its
    /// convolution algorithms per input shape on first sight, which should not fall on a verification.
    /// </summary>
    public void WarmUp(RgbImage alignedFace, CancellationToken cancellationToken = default)
    {
        for (int size = 2; size <= MaxBatchSize; size++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _embedder.EmbedBatch(Enumerable.Repeat(alignedFace, size).ToArray());
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
    }

    private void Withdraw(QueuedFace queued, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A face already taken into a batch stays: its run is under way.
            if (!_queue.Remove(queued))
            {
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
        }
    }

    /// <summary>Waits until a batch is full or its oldest face has waited long enough; null once disposed.</summary>
    private QueuedFace[]? NextBatch()
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
            var batch = _queue.GetRange(0, count).ToArray();
            _queue.RemoveRange(0, count);
            return batch;
        }
    }

    private void Run(QueuedFace[] batch)
    {
        try
        {
            var embeddings = _embedder.EmbedBatch(batch.Select(queued => queued.Face).ToArray());
            if (embeddings.Count != batch.Length)
            {
                throw new InvalidOperationException($"{ModelId} returned {embeddings.Count} embeddings for {batch.Length} faces.");
            }

            for (int i = 0; i < batch.Length; i++)
            {
                batch[i].Completion.TrySetResult(embeddings[i]);
            }
        }
#pragma warning disable CA1031 // Whatever the run throws belongs to its callers; the dispatcher thread must live on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            foreach (var queued in batch)
            {
                queued.Completion.TrySetException(exception);
            }
        }
    }

    private sealed class QueuedFace(RgbImage face)
    {
        public RgbImage Face { get; } = face;

        public long QueuedAt { get; } = Stopwatch.GetTimestamp();

        // Continuations never run on the dispatcher thread: callers block on the task, they do not await it.
        public TaskCompletionSource<FaceEmbedding> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
