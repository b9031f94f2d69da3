namespace Verify.Cli;

/// <summary>The `verify` executable (named so as not to clash with the API's Program in tests that see both).</summary>
internal static class VerifyProgram
{
    public static Task<int> Main(string[] args) => VerifyCommandLine.RunAsync(args);
}
