using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.OnnxRuntime;

/// <summary>The hardware the models run on.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
}

/// <summary>How the CUDA provider picks each convolution's cuDNN algorithm (its option cudnn_conv_algo_search).</summary>
public enum CudnnConvAlgorithmSearch
{
    /// <summary>ONNX Runtime's default: benchmark the candidates on the first run of each input shape.</summary>
    Exhaustive,

    /// <summary>cuDNN's heuristics, without benchmarking: a cheaper choice when shapes change.</summary>
    Heuristic,

    /// <summary>One fixed algorithm (implicit precomputed GEMM); cuDNN 9 warns that it may be very slow.</summary>
    Default,
}

/// <summary>How the CUDA provider's memory arena grows (its option arena_extend_strategy).</summary>
public enum CudaArenaExtendStrategy
{
    /// <summary>ONNX Runtime's default: each extension rounds up to the next power of two.</summary>
    NextPowerOfTwo,

    /// <summary>Each extension is exactly what was asked: less memory held by each session, more extensions.</summary>
    SameAsRequested,
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

    /// <summary>
    /// The CUDA provider's convolution algorithm search. Left at ONNX Runtime's default (Exhaustive): the batcher gives
    /// every session one input shape, so the search runs once per session, at warm-up.
    /// </summary>
    public CudnnConvAlgorithmSearch CudaConvAlgorithmSearch { get; set; } = CudnnConvAlgorithmSearch.Exhaustive;

    /// <summary>How the CUDA provider's memory arena grows. Left at ONNX Runtime's default (NextPowerOfTwo).</summary>
    public CudaArenaExtendStrategy CudaArenaExtendStrategy { get; set; } = CudaArenaExtendStrategy.NextPowerOfTwo;
}
