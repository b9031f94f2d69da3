using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.OnnxRuntime;

/// <summary>The hardware the models run on.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
}

/// <summary>How ONNX Runtime sessions are created.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>Cpu (default) or Cuda; Cuda falls back to Cpu with one warning when unavailable.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cpu;

    /// <summary>Threads one inference may use; 0 lets ONNX Runtime use one per physical core.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Whether idle ONNX Runtime worker threads spin waiting for work. Spinning lowers latency on an idle
    /// machine with cores to spare, but on a small machine it takes the CPU from decoding and alignment.
    /// </summary>
    public bool AllowSpinning { get; set; }

    [Range(0, 64)]
    public int CudaDeviceId { get; set; }
}
