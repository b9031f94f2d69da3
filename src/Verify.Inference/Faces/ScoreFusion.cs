using System.Text.Json;
using Verify.Inference.Models;

namespace Verify.Inference.Faces;

/// <summary>
/// models/fusion.json: score-level fusion of several embedders. Each cosine similarity is z-normalised with
/// the mean and deviation of its impostor scores on the calibration set, then the z-scores are weighted and summed.
/// </summary>
public sealed record ScoreFusion
{
    public const string Id = "fusion";
    public const string FileName = "fusion.json";

    public string? Description { get; init; }

    public IReadOnlyList<FusionComponent> Components { get; init; } = [];

    public MatchingCalibration? Matching { get; init; }

    public static ScoreFusion Load(string manifestDirectory)
    {
        string path = Path.Combine(manifestDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new ModelUnavailableException(Id, "The fusion matcher is not calibrated.", $"It needs {path}; run `verify calibrate` to create it.");
        }

        var fusion = JsonSerializer.Deserialize<ScoreFusion>(File.ReadAllText(path), ModelManifest.JsonOptions);
        if (fusion is null || fusion.Components.Count < 2 || fusion.Components.Any(c => c.ImpostorDeviation <= 0))
        {
            throw new ModelUnavailableException(Id, "The fusion matcher is not configured correctly.",
                $"{path} must name at least two components with positive impostor deviations.");
        }

        return fusion;
    }
}

/// <summary>One embedder's part in a fusion: its impostor score statistics and its weight.</summary>
public sealed record FusionComponent(string Model, double ImpostorMean, double ImpostorDeviation, double Weight);
