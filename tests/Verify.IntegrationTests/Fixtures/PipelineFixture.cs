using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verify.Pipeline;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>The real pipeline (real models from .deps/models, real decoders), built once for a test collection.</summary>
public sealed class PipelineFixture : IDisposable
{
    public PipelineFixture()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Inference:IntraOpThreads"] = "2" })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddVerifyPipeline();
        Services = services.BuildServiceProvider();
    }

    public ServiceProvider Services { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public void Dispose() => Services.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}
