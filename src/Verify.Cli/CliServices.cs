using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verify.Pipeline;

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
}
