using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Verify.Pipeline.Impersonation;

/// <summary>Registers the <see cref="ImpersonationAssessor"/> and what it needs besides the face pipeline.</summary>
public static class ImpersonationServiceCollectionExtensions
{
    public static IServiceCollection AddImpersonationAssessment(this IServiceCollection services)
    {
        services.AddOptions<ImpersonationOptions>().BindConfiguration(ImpersonationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ClaimedSubjectTemplates>();
        services.TryAddSingleton<ReportAbandonment>();
        services.TryAddSingleton<ImpersonationAssessor>();
        return services;
    }
}
