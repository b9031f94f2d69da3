using System.CommandLine;
using System.Globalization;
using Verify.Inference.Faces;
using Verify.Inference.OnnxRuntime;

namespace Verify.Cli.Commands;

/// <summary>Options several commands share, and how they become configuration overrides.</summary>
internal static class CommonOptions
{
    public static Option<string?> Matcher() => new("--matcher")
    {
        Description = $"Matcher: {string.Join(", ", FaceMatchingOptions.Matchers)} (default: configuration, else {ArcFaceEmbedder.Id}).",
    };

    public static Option<double?> FalseAcceptRate() => new("--far")
    {
        Description = "False accept rate whose calibrated threshold decides (default: configuration, else 0.001).",
    };

    public static Option<int?> Threads() => new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (default: configuration, else one per core).",
    };

    /// <summary>For the benchmarks: each count is measured in turn, with services built for it.</summary>
    public static Option<int[]> ThreadCounts() => new("--threads")
    {
        Description = "Intra-op thread counts to measure, e.g. --threads 1 2.",
        DefaultValueFactory = _ => [1, 2],
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The command line as typed, for a report's heading.</summary>
    public static string Invocation(ParseResult parse) => string.Join(' ', parse.Tokens.Select(token => token.Value).Prepend("verify"));

    public static Option<bool> Gpu() => new("--gpu")
    {
        Description = "Run the models on CUDA (falls back to the CPU with a warning when unavailable).",
    };

    public static Dictionary<string, string?> Overrides(string? matcher = null, double? falseAcceptRate = null, int? threads = null, bool gpu = false)
    {
        var overrides = new Dictionary<string, string?>
        {
            [$"{FaceMatchingOptions.SectionName}:{nameof(FaceMatchingOptions.Matcher)}"] = matcher,
            [$"{FaceMatchingOptions.SectionName}:{nameof(FaceMatchingOptions.FalseAcceptRate)}"] = falseAcceptRate?.ToString("R", CultureInfo.InvariantCulture),
            [$"{InferenceOptions.SectionName}:{nameof(InferenceOptions.IntraOpThreads)}"] = threads?.ToString(CultureInfo.InvariantCulture),
        };
        if (gpu)
        {
            overrides[$"{InferenceOptions.SectionName}:{nameof(InferenceOptions.ExecutionProvider)}"] = nameof(ExecutionProvider.Cuda);
        }

        return overrides;
    }
}
