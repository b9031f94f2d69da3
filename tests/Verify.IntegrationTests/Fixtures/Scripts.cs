using System.Diagnostics;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>Runs the project's own scripts (scripts/postgres.sh, scripts/rabbitmq.sh), as operators do.</summary>
internal static class Scripts
{
    /// <summary>Runs scripts/<paramref name="script"/> and returns its standard output; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string script, string argument)
    {
        var start = new ProcessStartInfo(Path.Combine(TestPaths.RepoRoot, "scripts", script), argument)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{script} {argument} failed ({process.ExitCode}): {await output} {await error}");
        }

        return await output;
    }
}
