using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Verify.Pipeline.Duplicates;

/// <summary>Registers the duplicate search for a consuming process: the template index, what keeps it current, and the search.</summary>
public static class DuplicatesServiceCollectionExtensions
{
    public static IServiceCollection AddDuplicateSearch(this IServiceCollection services)
    {
        services.AddOptions<DuplicateSearchOptions>().BindConfiguration(DuplicateSearchOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(provider => new TemplateIndex(provider.GetRequiredService<IOptions<DuplicateSearchOptions>>().Value.SearchThreads));
        services.TryAddSingleton<TemplateIndexSync>();
        services.TryAddSingleton<DuplicateFaceSearch>();
        services.AddHostedService<TemplateIndexService>();
        return services;
    }
}
