using Microsoft.Extensions.DependencyInjection;
using Verify.Inference.Models;

namespace Verify.Inference.Liveness;

/// <summary>
/// The one list of passive liveness models the service knows, by manifest id: what the ensemble in liveness.json may
/// name, and what <c>verify evaluate-liveness</c> measures.
/// </summary>
public static class LivenessModels
{
    public static IReadOnlyList<string> Ids { get; } = [MiniFasNetV2.Id, MiniFasNetV1SE.Id, FrLiveness.Id];

    /// <summary>The model with manifest id <paramref name="id"/>, its session opened on first use.</summary>
    /// <exception cref="ModelUnavailableException">No liveness model has that id.</exception>
    public static PassiveLivenessModel Resolve(IServiceProvider provider, string id) => id switch
    {
        MiniFasNetV2.Id => provider.GetRequiredService<MiniFasNetV2>(),
        MiniFasNetV1SE.Id => provider.GetRequiredService<MiniFasNetV1SE>(),
        FrLiveness.Id => provider.GetRequiredService<FrLiveness>(),
        _ => throw new ModelUnavailableException(LivenessEnsemble.Id, $"Liveness names an unknown model '{id}'.",
            $"Known liveness models: {string.Join(", ", Ids)}."),
    };
}
