using System.CommandLine;
using System.Globalization;
using Verify.Inference.Faces;
using Verify.Inference.OnnxRuntime;
using Verify.Synthetic;

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

    /// <summary>
    /// A running service's base URL, an absolute http or https URL. Parsed here: System.CommandLine has no converter
    /// for <see cref="Uri"/> and throws when the value is read.
    /// </summary>
    public static Option<Uri?> ServiceUrl(string description, Uri? defaultValue = null)
    {
        var option = new Option<Uri?>("--url")
        {
            Description = description,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return defaultValue;
                }

                string text = result.Tokens[0].Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
                {
                    return url;
                }

                result.AddError($"--url '{text}' is not an absolute http or https URL.");
                return null;
            },
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        return option;
    }

    /// <summary>--data-dir: embedded mode's data directory, for the commands that work on the service's database.</summary>
    public static Option<DirectoryInfo?> DataDirectory() => new("--data-dir")
    {
        Description = "Embedded mode's data directory (default: Storage__DataDirectory, else ./data). For PostgreSQL set Storage__Provider and Storage__ConnectionString.",
    };

    /// <summary>The command line as typed, for a report's heading, with the values of <paramref name="secrets"/> (e.g. --key) left out.</summary>
    public static string Invocation(ParseResult parse, params string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var words = new List<string> { "verify" };
        bool hide = false;
        foreach (string token in parse.Tokens.Select(token => token.Value))
        {
            words.Add(hide ? "***" : token);
            hide = secrets.Contains(token, StringComparer.Ordinal);
        }

        return string.Join(' ', words);
    }

    /// <summary>--numbers hard|production: the style of the generated documents' numbers.</summary>
    public static Option<string> DocumentNumbers(string defaultValue)
    {
        var numbers = new Option<string>("--numbers")
        {
            Description = "Document numbers: hard (look-alikes O/0, I/1, S/5, B/8 forced into 40 % of positions) or production (each issuer's own shapes).",
            DefaultValueFactory = _ => defaultValue,
        };
        numbers.AcceptOnlyFromAmong("hard", "production");
        return numbers;
    }

    /// <summary>The style an accepted --numbers value names.</summary>
    public static DocumentNumberStyle NumberStyle(string value) => Enum.Parse<DocumentNumberStyle>(value, ignoreCase: true);

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
