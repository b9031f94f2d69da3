using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verify.Pipeline;
using Verify.Storage;

namespace Verify.Cli;

/// <summary>The pipeline's services for one CLI command: configuration from the environment plus the command's options.</summary>
internal static class CliServices
{
    /// <param name="overrides">Configuration the command's options set.</param>
    /// <param name="time">The clock the pipeline reads "today" from (document expiry, age); the system's when null.</param>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> overrides, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides.Where(entry => entry.Value is not null))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddVerifyPipeline();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }

    /// <summary>
    /// The service's storage for commands that work on its database (keys, audit): configuration from the environment,
    /// with <paramref name="dataDirectory"/> as embedded mode's data directory when given, plus what <paramref name="add"/> adds.
    /// </summary>
    public static ServiceProvider BuildStorage(DirectoryInfo? dataDirectory, Action<IServiceCollection> add)
    {
        var overrides = new Dictionary<string, string?>();
        if (dataDirectory is not null)
        {
            overrides[$"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}"] = dataDirectory.FullName;
        }

        return BuildStorage(overrides, add);
    }

    /// <summary>The service's storage with configuration from the environment and <paramref name="overrides"/> (e.g. Storage:Provider), plus what <paramref name="add"/> adds.</summary>
    public static ServiceProvider BuildStorage(IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection> add)
    {
        ArgumentNullException.ThrowIfNull(add);
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddVerifyStorage();
        add(services);
        return services.BuildServiceProvider();
    }
}
