using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Verify.Documents.Hosting;
using Verify.Inference.Hosting;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline;

/// <summary>Registers the verification pipeline and everything beneath it.</summary>
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
        return services;
    }
}
