using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.Faces;

/// <summary>Whether faces from concurrent verifications are embedded together in one model run, and how long one waits for others.</summary>
public sealed class EmbeddingBatchingOptions
{
    public const string SectionName = "Inference:Batching";

    /// <summary>
    /// True or false to force it; unset: on where the models run on CUDA, off on the CPU. Either way only models
    /// whose graph has a symbolic batch dimension are batched.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Longest a face waits for others before its batch runs: the latency a lone face pays.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Most faces in one run; a full batch runs at once.</summary>
    [Range(1, 256)]
    public int MaxBatchSize { get; set; } = 8;
}
