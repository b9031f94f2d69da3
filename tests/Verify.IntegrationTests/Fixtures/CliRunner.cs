using Verify.Cli;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>Runs the `verify` command line in-process, as a shell would, and keeps what it wrote.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await VerifyCommandLine.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
