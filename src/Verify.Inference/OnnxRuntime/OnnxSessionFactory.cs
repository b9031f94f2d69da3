using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Verify.Inference.Models;

namespace Verify.Inference.OnnxRuntime;

/// <summary>
/// Creates the sessions of verified models with the configured execution provider. The process-wide ONNX
/// Runtime environment is created once, here; when CUDA is asked for but cannot be loaded, sessions run
/// on the CPU and one warning says why.
/// </summary>
public sealed partial class OnnxSessionFactory
{
    private const string CudaProviderLibrary = "libonnxruntime_providers_cuda.so";
    private static readonly Lock EnvironmentLock = new();
    private readonly ModelCatalog _catalog;
    private readonly InferenceOptions _options;
    private readonly ILogger<OnnxSessionFactory> _logger;
    private readonly Lazy<ExecutionProvider> _provider;

    public OnnxSessionFactory(ModelCatalog catalog, IOptions<InferenceOptions> options, ILogger<OnnxSessionFactory> logger)
    {
        _catalog = catalog;
        _options = options.Value;
        _logger = logger;
        _provider = new Lazy<ExecutionProvider>(ChooseProvider);
        EnsureEnvironment();
    }

    /// <summary>The provider sessions run on (CUDA only when it was asked for and could be loaded).</summary>
    public ExecutionProvider Provider => _provider.Value;

    /// <summary>Verifies the model file and opens a session; throws <see cref="ModelUnavailableException"/>.</summary>
    public ModelSession Open(string modelId)
    {
        var manifest = _catalog.Get(modelId);
        string path = _catalog.VerifiedPath(modelId);
        using var sessionOptions = CreateSessionOptions(Provider);
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new ModelUnavailableException(modelId, $"ONNX Runtime could not load model '{modelId}'.", exception.Message, exception);
        }

        var loaded = new ModelSession(manifest, session, Provider);
        LogModelLoaded(modelId, manifest.Version, Provider);
        return loaded;
    }

    private static void EnsureEnvironment()
    {
        lock (EnvironmentLock)
        {
            if (OrtEnv.IsCreated)
            {
                return;
            }

            var environment = new EnvironmentCreationOptions { logId = "verify", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            OrtEnv.CreateInstanceWithOptions(ref environment);
        }
    }

    private ExecutionProvider ChooseProvider()
    {
        if (_options.ExecutionProvider != ExecutionProvider.Cuda)
        {
            return ExecutionProvider.Cpu;
        }

        if (CudaProviderPath.Value is null)
        {
            LogCudaUnavailable($"{CudaProviderLibrary} is not installed (this is a CPU build)");
            return ExecutionProvider.Cpu;
        }

        try
        {
            var devices = CudaDevices.Value;
            if (_options.CudaDeviceId >= devices.Count)
            {
                LogCudaUnavailable($"CUDA device {_options.CudaDeviceId} requested, {devices.Count} found");
                return ExecutionProvider.Cpu;
            }

            // Opening the options once proves the provider and its CUDA libraries load.
            using var probe = CreateSessionOptions(ExecutionProvider.Cuda);
            return ExecutionProvider.Cuda;
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            LogCudaUnavailable(exception.Message);
            return ExecutionProvider.Cpu;
        }
    }

    private SessionOptions CreateSessionOptions(ExecutionProvider provider)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = _options.IntraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (!_options.AllowSpinning)
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        try
        {
            if (provider == ExecutionProvider.Cuda)
            {
                sessionOptions.AppendExecutionProvider(OrtEnv.Instance(), [CudaDevices.Value[_options.CudaDeviceId]],
                    CudaProviderOptions(_options));
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The CUDA provider's options (the names and values of its documented provider options); only those that differ
    /// from ONNX Runtime's defaults are passed, so that the default configuration asks exactly what it always asked.
    /// </summary>
    internal static Dictionary<string, string> CudaProviderOptions(InferenceOptions options)
    {
        var providerOptions = new Dictionary<string, string>();
        if (options.CudaConvAlgorithmSearch != CudnnConvAlgorithmSearch.Exhaustive)
        {
            providerOptions["cudnn_conv_algo_search"] = options.CudaConvAlgorithmSearch == CudnnConvAlgorithmSearch.Heuristic ? "HEURISTIC" : "DEFAULT";
        }

        if (options.CudaArenaExtendStrategy == CudaArenaExtendStrategy.SameAsRequested)
        {
            providerOptions["arena_extend_strategy"] = "kSameAsRequested";
        }

        return providerOptions;
    }

    /// <summary>
    /// Where the CUDA provider library is, if this is a GPU build: the folders the host searches for native libraries,
    /// which hold the application folder and, for a build without a runtime identifier, runtimes/linux-x64/native.
    /// </summary>
    private static readonly Lazy<string?> CudaProviderPath = new(() =>
        ((AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(AppContext.BaseDirectory)
            .Select(folder => Path.Combine(folder, CudaProviderLibrary))
            .FirstOrDefault(File.Exists));

    /// <summary>
    /// The CUDA devices of the CUDA provider library, registered once per process as an execution provider
    /// library through ONNX Runtime's plugin interface.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<OrtEpDevice>> CudaDevices = new(() =>
    {
        var environment = OrtEnv.Instance();
        environment.RegisterExecutionProviderLibrary("verify-cuda", CudaProviderPath.Value
            ?? throw new DllNotFoundException($"{CudaProviderLibrary} is not installed"));
        return environment.GetEpDevices()
            .Where(device => device.EpName == "CUDAExecutionProvider" && device.HardwareDevice.Type == OrtHardwareDeviceType.GPU)
            .ToArray();
    });

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {ModelId} ({ModelVersion}) on {Provider}")]
    private partial void LogModelLoaded(string modelId, string modelVersion, ExecutionProvider provider);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The CUDA execution provider was requested but cannot be used ({Reason}); all models run on the CPU. Build with -p:VerifyGpu=true (the ONNX Runtime GPU package) and install CUDA 13 with cuDNN 9 to use the GPU.")]
    private partial void LogCudaUnavailable(string reason);
}
