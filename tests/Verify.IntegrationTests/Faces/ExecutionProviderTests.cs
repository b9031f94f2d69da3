using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Inference.Models;
using Verify.Inference.OnnxRuntime;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Faces;

/// <summary>The CUDA probe on a CPU build (the default NuGet package): sessions run on the CPU and one warning says why.</summary>
[Collection(PipelineCollection.Name)]
public sealed class ExecutionProviderTests(PipelineFixture pipeline)
{
    [Fact]
    public void Cuda_asked_for_on_a_cpu_build_runs_every_model_on_the_cpu_after_one_warning()
    {
        var logger = new RecordingLogger<OnnxSessionFactory>();
        var factory = new OnnxSessionFactory(pipeline.Get<ModelCatalog>(),
            Options.Create(new InferenceOptions { ExecutionProvider = ExecutionProvider.Cuda, IntraOpThreads = 1 }), logger);

        using var detector = factory.Open("yunet-2023mar");
        using var embedder = factory.Open("fr-feature");

        Assert.Equal(ExecutionProvider.Cpu, factory.Provider);
        Assert.Equal(ExecutionProvider.Cpu, detector.Provider);
        Assert.Equal(ExecutionProvider.Cpu, embedder.Provider);
        var warning = Assert.Single(logger.Entries, entry => entry.Level >= LogLevel.Warning);
        Assert.Contains("libonnxruntime_providers_cuda.so is not installed", warning.Message);
        Assert.Contains("-p:VerifyGpu=true", warning.Message);
    }

    [Fact]
    public void The_cpu_build_of_onnx_runtime_is_the_one_loaded()
    {
        var factory = new OnnxSessionFactory(pipeline.Get<ModelCatalog>(),
            Options.Create(new InferenceOptions { IntraOpThreads = 1 }), new RecordingLogger<OnnxSessionFactory>());

        Assert.Equal(ExecutionProvider.Cpu, factory.Provider);
        Assert.Contains("CPUExecutionProvider", Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders());
        Assert.DoesNotContain("CUDAExecutionProvider", Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders());
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
