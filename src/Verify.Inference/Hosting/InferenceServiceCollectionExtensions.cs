using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Liveness;
using Verify.Inference.Models;
using Verify.Inference.OnnxRuntime;

namespace Verify.Inference.Hosting;

/// <summary>Registers image decoding, the models and the face matcher, each model a process-wide singleton.</summary>
public static class InferenceServiceCollectionExtensions
{
    /// <summary>Everything needed to decode, detect, align, embed and match faces, plus readiness and warm-up.</summary>
    public static IServiceCollection AddVerifyInference(this IServiceCollection services)
    {
        services.AddVerifyImageDecoding();
        services.AddOptions<ModelStoreOptions>().BindConfiguration(ModelStoreOptions.SectionName);
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FaceDetectionOptions>().BindConfiguration(FaceDetectionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FaceMatchingOptions>().BindConfiguration(FaceMatchingOptions.SectionName).ValidateDataAnnotations()
            .Validate(options => FaceMatchingOptions.Matchers.Contains(options.Matcher),
                $"Faces:Matching:Matcher must be one of: {string.Join(", ", FaceMatchingOptions.Matchers)}.")
            .ValidateOnStart();
        services.AddOptions<EmbeddingBatchingOptions>().BindConfiguration(EmbeddingBatchingOptions.SectionName).ValidateDataAnnotations()
            .Validate(options => options.BucketSizes is null || options.BucketSizes.All(size => size is >= 1 and <= 256),
                "Inference:Batching:BucketSizes must each be from 1 to 256.")
            .ValidateOnStart();

        services.TryAddSingleton(provider => new ModelCatalog(provider.GetRequiredService<IOptions<ModelStoreOptions>>().Value));
        services.TryAddSingleton<OnnxSessionFactory>();
        services.TryAddSingleton<IFaceDetector, YuNetFaceDetector>();
        services.TryAddSingleton<ArcFaceEmbedder>();
        services.TryAddSingleton<DlibResNetEmbedder>();
        services.TryAddSingleton(provider => new EmbeddingBatching(provider.GetRequiredService<IOptions<EmbeddingBatchingOptions>>().Value,
            provider.GetRequiredService<OnnxSessionFactory>().Provider, provider.GetRequiredService<ILogger<EmbeddingBatching>>()));
        services.TryAddSingleton(CreateMatcher);
        services.TryAddSingleton<MiniFasNetV2>();
        services.TryAddSingleton<MiniFasNetV1SE>();
        services.TryAddSingleton<FrLiveness>();
        services.TryAddSingleton(CreateLivenessScorer);

        services.TryAddSingleton<ModelReadiness>();
        services.AddHostedService<ModelWarmupService>();
        services.AddHealthChecks().AddCheck<ModelReadinessHealthCheck>(ModelReadinessHealthCheck.Name, tags: ["ready"]);
        return services;
    }

    /// <summary>The native image decoders and their limits, without any model (the API reads submissions with them); registered once.</summary>
    public static IServiceCollection AddVerifyImageDecoding(this IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ImageDecoder)))
        {
            return services;
        }

        services.AddOptions<ImageDecoderOptions>().BindConfiguration(ImageDecoderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new ImageDecoder(provider.GetRequiredService<IOptions<ImageDecoderOptions>>().Value));
        return services;
    }

    /// <summary>Builds the calibrated liveness ensemble; only the models it names are loaded.</summary>
    private static LivenessScorer CreateLivenessScorer(IServiceProvider provider)
    {
        var catalog = provider.GetRequiredService<ModelCatalog>();
        var ensemble = LivenessEnsemble.Load(catalog.ManifestDirectory);
        var models = ensemble.Components.Select(component => LivenessModels.Resolve(provider, component.Model)).ToArray();
        return new LivenessScorer(ensemble, models);
    }

    /// <summary>
    /// Builds the configured matcher; only the embedders it uses are loaded, each behind a batcher where
    /// <see cref="EmbeddingBatching"/> says so.
    /// </summary>
    private static FaceMatcher CreateMatcher(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<FaceMatchingOptions>>().Value;
        var catalog = provider.GetRequiredService<ModelCatalog>();
        IBatchFaceEmbedder[] embedders = options.Matcher switch
        {
            ArcFaceEmbedder.Id => [provider.GetRequiredService<ArcFaceEmbedder>()],
            DlibResNetEmbedder.Id => [provider.GetRequiredService<DlibResNetEmbedder>()],
            ScoreFusion.Id => [provider.GetRequiredService<ArcFaceEmbedder>(), provider.GetRequiredService<DlibResNetEmbedder>()],
            _ => throw new InvalidOperationException(
                $"Unknown matcher '{options.Matcher}'; valid: {string.Join(", ", FaceMatchingOptions.Matchers)}."),
        };

        // Resolved after the embedders, so that the container disposes it (and joins its batch runs) before their sessions.
        var batching = provider.GetRequiredService<EmbeddingBatching>();
        var used = embedders.Select(batching.For).ToArray();
        return options.Matcher == ScoreFusion.Id
            ? FaceMatcher.ForFusion(ScoreFusion.Load(catalog.ManifestDirectory), used)
            : FaceMatcher.ForModel(used[0], catalog.Get(used[0].ModelId));
    }
}
