using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.Faces;

/// <summary>Whether faces from concurrent verifications are embedded together in one model run, and how long one waits for others.</summary>
public sealed class EmbeddingBatchingOptions
{
    public const string SectionName = "Inference:Batching";

    /// <summary>The run sizes batches are padded up to on CUDA when <see cref="BucketSizes"/> is unset.</summary>
    public static readonly IReadOnlyList<int> DefaultCudaBucketSizes = [1, 8, 32, 64];

    /// <summary>
    /// True or false to force it; unset: on where the models run on CUDA, off on the CPU. Either way only models
    /// whose graph has a symbolic batch dimension are batched.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Longest a face waits for others before its batch runs: the latency a lone face pays.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Most faces in one run; a full batch runs at once. Always one of the run sizes when batches are padded.</summary>
    [Range(1, 256)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// The few run sizes a batch is padded up to (the next one at or above its face count), each on a session of its
    /// own, so that no session ever sees a new input shape after its warm-up. Sizes above <see cref="MaxBatchSize"/> are
    /// dropped and <see cref="MaxBatchSize"/> is added. Unset: <see cref="DefaultCudaBucketSizes"/> on CUDA; on the CPU no
    /// padding (a batch runs with the faces it has: the CPU provider keeps no per-shape plans, and a padding row would
    /// cost as much CPU as a face).
    /// </summary>
    public int[]? BucketSizes { get; set; }
}
