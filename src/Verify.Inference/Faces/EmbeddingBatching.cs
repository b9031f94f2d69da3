using Microsoft.Extensions.Logging;
using Verify.Inference.OnnxRuntime;

namespace Verify.Inference.Faces;

/// <summary>
/// Decides for each embedder whether faces from concurrent verifications are embedded together, and owns the
/// batchers it makes. On by default where the models run on CUDA (a GPU run costs nearly the same for one face
/// as for several); off on the CPU, where a batch saves little per face and the cores are shared with the other
/// verifications running beside it (docs/performance.md, "Batched embedding").
/// </summary>
public sealed partial class EmbeddingBatching(EmbeddingBatchingOptions options, ExecutionProvider provider, ILogger<EmbeddingBatching> logger)
    : IDisposable
{
    private readonly Dictionary<IBatchFaceEmbedder, FaceEmbeddingBatcher> _batchers = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _gate = new();

    /// <summary>Whether this process batches: as configured, else only on CUDA; a batch of at most one face is no batch.</summary>
    public bool Enabled => (options.Enabled ?? provider == ExecutionProvider.Cuda) && options.MaxBatchSize > 1;

    /// <summary>The run sizes batches are padded up to: as configured, else the CUDA default on CUDA and none on the CPU.</summary>
    public IReadOnlyList<int> BucketSizes =>
        options.BucketSizes ?? (provider == ExecutionProvider.Cuda ? EmbeddingBatchingOptions.DefaultCudaBucketSizes : []);

    /// <summary>
    /// What callers should embed with: a batcher over the embedder when batching is on and its model accepts a
    /// batch, else the embedder itself (a model with a fixed batch of 1 is never batched).
    /// </summary>
    public IFaceEmbedder For(IBatchFaceEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        if (!Enabled || !embedder.AcceptsBatch)
        {
            return embedder;
        }

        lock (_gate)
        {
            if (!_batchers.TryGetValue(embedder, out var batcher))
            {
                batcher = new FaceEmbeddingBatcher(embedder, options.MaxBatchSize, options.MaxDelay, BucketSizes);
                _batchers.Add(embedder, batcher);
                LogBatching(embedder.ModelId, provider, options.MaxBatchSize, options.MaxDelay.TotalMilliseconds,
                    batcher.RunSizes.Count == 0 ? "as many as wait" : string.Join(", ", batcher.RunSizes));
            }

            return batcher;
        }
    }

    public void Dispose()
    {
        FaceEmbeddingBatcher[] batchers;
        lock (_gate)
        {
            batchers = [.. _batchers.Values];
            _batchers.Clear();
        }

        foreach (var batcher in batchers)
        {
            batcher.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Embedding faces of {ModelId} in batches across verifications on {Provider}: up to {MaxBatchSize} per run, waiting at most {MaxDelayMs} ms; runs padded to {RunSizes} faces")]
    private partial void LogBatching(string modelId, ExecutionProvider provider, int maxBatchSize, double maxDelayMs, string runSizes);
}
