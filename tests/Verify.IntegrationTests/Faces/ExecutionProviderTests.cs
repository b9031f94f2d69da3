using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Verify.Inference.Models;
using Verify.Inference.OnnxRuntime;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Faces;

/// <summary>
/// The CUDA probe on a machine without CUDA: sessions run on the CPU and one warning says why, both for the default
/// CPU build (no provider library) and for the -p:VerifyGpu=true build (its provider library cannot load).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class ExecutionProviderTests(PipelineFixture pipeline)
{
    [Fact]
    public void Cuda_asked_for_without_cuda_runs_every_model_on_the_cpu_after_one_warning()
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
        bool gpuBuild = OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");
        Assert.Contains(gpuBuild ? "libcublas" : "libonnxruntime_providers_cuda.so is not installed (this is a CPU build)", warning.Message);
        Assert.Contains("-p:VerifyGpu=true", warning.Message);
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
