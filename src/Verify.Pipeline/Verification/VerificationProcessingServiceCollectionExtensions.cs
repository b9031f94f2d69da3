using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Verify.Pipeline.Duplicates;

namespace Verify.Pipeline.Verification;

/// <summary>Registers the <see cref="VerificationProcessor"/> and the pieces of the flow it runs.</summary>
public static class VerificationProcessingServiceCollectionExtensions
{
    public static IServiceCollection AddVerificationProcessing(this IServiceCollection services)
    {
        services.TryAddSingleton<StoredImageReader>();
        services.TryAddSingleton<DecisionSafeguards>();
        services.TryAddSingleton<DecisionRecorder>();
        services.AddDuplicateSearch();
        services.TryAddSingleton<DecisionCommitter>();
        services.TryAddSingleton<EvidenceDisposal>();
        services.TryAddSingleton<VerificationAbandonment>();
        services.TryAddSingleton<VerificationProcessor>();
        return services;
    }
}
