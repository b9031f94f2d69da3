using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Verify.Documents.Hosting;
using Verify.Inference.Hosting;
using Verify.Inference.Liveness;
using Verify.Inference.Quality;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Liveness;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline;

/// <summary>Registers the verification pipeline and everything beneath it (models included).</summary>
public static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddVerifyPipeline(this IServiceCollection services)
    {
        services.AddVerifyInference();
        services.AddVerifyDocuments();
        services.TryAddSingleton<FaceAnalyzer>();
        services.TryAddSingleton<FaceComparer>();
        services.AddOptions<DecisionPolicyOptions>().BindConfiguration(DecisionPolicyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<DecisionPolicy>();
        services.AddVerifyLivenessChallenges();
        services.AddOptions<CaptureQualityOptions>().BindConfiguration(CaptureQualityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Lazily, so that a service with liveness switched off does not need the ensemble's calibration file.
        services.TryAddSingleton(provider => new Lazy<LivenessScorer>(provider.GetRequiredService<LivenessScorer>));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelWarmUp, LivenessWarmUp>());
        services.TryAddSingleton<SelfieAnalyzer>();
        services.TryAddSingleton<VerificationStages>();
        return services;
    }

    /// <summary>Liveness options and challenges, which both the API (issuing) and the pipeline (checking) use; registered once.</summary>
    public static IServiceCollection AddVerifyLivenessChallenges(this IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(LivenessChallenges)))
        {
            return services;
        }

        services.AddOptions<LivenessOptions>().BindConfiguration(LivenessOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LivenessChallenges>();
        return services;
    }
}
