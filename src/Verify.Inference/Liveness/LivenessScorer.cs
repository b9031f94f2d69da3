using System.Text.Json;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Models;

namespace Verify.Inference.Liveness;

/// <summary>
/// models/liveness.json: which liveness models take part, their weights, and the threshold on the combined score,
/// with the evaluation that chose them.
/// </summary>
public sealed record LivenessEnsemble
{
    public const string Id = "liveness";
    public const string FileName = "liveness.json";

    public string? Description { get; init; }

    public IReadOnlyList<LivenessComponent> Components { get; init; } = [];

    /// <summary>A combined score at or above this is taken as a live person.</summary>
    public double Threshold { get; init; }

    /// <summary>How the weights and the threshold were chosen: data, attack types, error rates, command, date.</summary>
    public JsonElement? Calibration { get; init; }

    public static LivenessEnsemble Load(string manifestDirectory)
    {
        string path = Path.Combine(manifestDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new ModelUnavailableException(Id, "Liveness is not calibrated.", $"It needs {path}; run `verify evaluate-liveness --write models` to create it.");
        }

        var ensemble = JsonSerializer.Deserialize<LivenessEnsemble>(File.ReadAllText(path), ModelManifest.JsonOptions);
        if (ensemble is null || ensemble.Components.Count == 0 || ensemble.Components.Any(c => c.Weight <= 0)
            || ensemble.Threshold is <= 0 or >= 1)
        {
            throw new ModelUnavailableException(Id, "Liveness is not configured correctly.",
                $"{path} must name at least one component with a positive weight and a threshold inside (0, 1).");
        }

        return ensemble;
    }
}

/// <summary>One liveness model's part in the ensemble.</summary>
public sealed record LivenessComponent(string Model, double Weight);

/// <summary>The combined liveness score of one face, the threshold it was held to, and each model's own score.</summary>
public sealed record LivenessScore(double Score, double Threshold, IReadOnlyDictionary<string, double> Components)
{
    public bool Live => Score >= Threshold;
}

/// <summary>
/// Passive liveness as one calibrated score: the weighted mean of the ensemble's live probabilities, compared
/// with the ensemble's threshold.
/// </summary>
public sealed class LivenessScorer
{
    private readonly (PassiveLivenessModel Model, double Weight)[] _members;

    public LivenessScorer(LivenessEnsemble ensemble, IReadOnlyList<PassiveLivenessModel> models)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(models);
        Threshold = ensemble.Threshold;
        _members = ensemble.Components
            .Select(component => (models.FirstOrDefault(m => m.ModelId == component.Model)
                ?? throw new ModelUnavailableException(LivenessEnsemble.Id, $"Liveness names an unknown model '{component.Model}'.",
                    $"Known liveness models: {string.Join(", ", models.Select(m => m.ModelId))}."), component.Weight))
            .ToArray();
    }

    public double Threshold { get; }

    public IEnumerable<PassiveLivenessModel> Models => _members.Select(member => member.Model);

    /// <summary>Runs every model of the ensemble on the face; cancelling stops the model run under way.</summary>
    public LivenessScore Score(RgbImage image, FaceBox face, CancellationToken cancellationToken = default)
    {
        var components = new Dictionary<string, double>(_members.Length, StringComparer.Ordinal);
        double sum = 0, weights = 0;
        foreach (var (model, weight) in _members)
        {
            double score = model.Score(image, face, cancellationToken);
            components[model.ModelId] = score;
            sum += weight * score;
            weights += weight;
        }

        return new LivenessScore(sum / weights, Threshold, components);
    }
}
