using System.CommandLine;
using Verify.Cli.Commands;

namespace Verify.Cli;

/// <summary>The `verify` command line: compare, read-document, evaluate, calibrate, benchmark, benchmark-batch, benchmark-batcher, benchmark-search, samples, evaluate-documents, evaluate-licences, evaluate-liveness, evaluate-e2e, evaluate-duplicates, keys, audit, load, fuzz-decoders.</summary>
internal static class VerifyCommandLine
{
    public static RootCommand Create() => new("verify: face comparison, document reading, evaluation and benchmarks for operators. " + ExitCodes.Summary)
    {
        CompareCommand.Create(),
        ReadDocumentCommand.Create(),
        EvaluateCommand.Create(),
        CalibrateCommand.Create(),
        BenchmarkCommand.Create(),
        BenchmarkBatchCommand.Create(),
        BenchmarkBatcherCommand.Create(),
        BenchmarkSearchCommand.Create(),
        SamplesCommand.Create(),
        EvaluateDocumentsCommand.Create(),
        EvaluateLicencesCommand.Create(),
        EvaluateLicenceFrontsCommand.Create(),
        EvaluateLivenessCommand.Create(),
        EvaluateEndToEndCommand.Create(),
        EvaluateDuplicatesCommand.Create(),
        KeysCommand.Create(),
        AuditCommand.Create(),
        LoadCommand.Create(),
        FuzzDecodersCommand.Create(),
    };

    /// <summary>Parses and runs; a command line that does not parse exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                configuration.Error.WriteLine($"error: {parseError.Message}");
            }

            configuration.Error.WriteLine("Run 'verify --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration);
    }
}
