using System.Globalization;
using Verify.Inference.Models;

namespace Verify.Inference.Faces;

/// <summary>One embedder's contribution to a match score: (cosine - Mean) / Deviation * Weight.</summary>
public sealed record MatcherComponent(IFaceEmbedder Embedder, double Mean, double Deviation, double Weight);

/// <summary>
/// Scores a pair of faces from their embeddings and decides at a calibrated false accept rate. A single
/// embedder scores with plain cosine similarity; a fusion sums the components' weighted z-scores.
/// </summary>
public sealed class FaceMatcher
{
    private readonly IReadOnlyList<MatcherComponent> _components;

    public FaceMatcher(string name, IReadOnlyList<MatcherComponent> components, MatchingCalibration? calibration)
    {
        if (components.Count == 0)
        {
            throw new ArgumentException("A matcher needs at least one embedder.", nameof(components));
        }

        Name = name;
        _components = components;
        Calibration = calibration;
        Embedders = components.Select(component => component.Embedder).ToArray();
        Version = components.Count == 1
            ? Embedders[0].ModelVersion
            : $"{name}({string.Join("+", Embedders.Select(embedder => embedder.ModelVersion))})";
    }

    /// <summary>The configured matcher name (a model id, or "fusion").</summary>
    public string Name { get; }

    /// <summary>The model versions behind the score.</summary>
    public string Version { get; }

    /// <summary>Embedders whose embeddings <see cref="Score"/> takes, in order.</summary>
    public IReadOnlyList<IFaceEmbedder> Embedders { get; }

    /// <summary>Thresholds and how they were chosen; null when this matcher was never calibrated.</summary>
    public MatchingCalibration? Calibration { get; }

    /// <summary>A matcher of one embedder with the thresholds of its manifest.</summary>
    public static FaceMatcher ForModel(IFaceEmbedder embedder, ModelManifest manifest) =>
        new(embedder.ModelId, [new MatcherComponent(embedder, 0, 1, 1)], manifest.Matching);

    /// <summary>A fusion of the given embedders with the parameters of models/fusion.json.</summary>
    public static FaceMatcher ForFusion(ScoreFusion fusion, IEnumerable<IFaceEmbedder> embedders)
    {
        var byId = embedders.ToDictionary(embedder => embedder.ModelId, StringComparer.Ordinal);
        var components = fusion.Components.Select(component => byId.TryGetValue(component.Model, out var embedder)
            ? new MatcherComponent(embedder, component.ImpostorMean, component.ImpostorDeviation, component.Weight)
            : throw new ModelUnavailableException(ScoreFusion.Id, "The fusion matcher is not configured correctly.",
                $"It names model '{component.Model}', which is not loaded.")).ToArray();
        return new FaceMatcher(ScoreFusion.Id, components, fusion.Matching);
    }

    /// <summary>The match score of two faces, each given as one embedding per <see cref="Embedders"/> entry.</summary>
    public double Score(IReadOnlyList<FaceEmbedding> first, IReadOnlyList<FaceEmbedding> second)
    {
        if (first.Count != _components.Count || second.Count != _components.Count)
        {
            throw new ArgumentException($"{Name} takes {_components.Count} embedding(s) per face.");
        }

        double score = 0;
        for (int i = 0; i < _components.Count; i++)
        {
            var component = _components[i];
            score += component.Weight * (first[i].CosineSimilarity(second[i]) - component.Mean) / component.Deviation;
        }

        return score;
    }

    /// <summary>The calibrated threshold for a false accept rate; throws when that rate was not calibrated.</summary>
    public double ThresholdAt(double falseAcceptRate) => ThresholdAt(Name, Calibration, falseAcceptRate);

    /// <summary>The threshold <paramref name="calibration"/> gives for a false accept rate; throws, naming the matcher, when that rate was not calibrated.</summary>
    public static double ThresholdAt(string name, MatchingCalibration? calibration, double falseAcceptRate)
    {
        var points = calibration?.OperatingPoints ?? [];
        foreach (var point in points)
        {
            if (Math.Abs(Math.Log10(point.FalseAcceptRate) - Math.Log10(falseAcceptRate)) < 1e-6)
            {
                return point.Threshold;
            }
        }

        string available = points.Count == 0
            ? "none: run `verify calibrate`"
            : string.Join(", ", points.Select(point => point.FalseAcceptRate.ToString("0.########", CultureInfo.InvariantCulture)));
        throw new ModelUnavailableException(name,
            $"Matcher '{name}' has no threshold calibrated for a false accept rate of {falseAcceptRate.ToString(CultureInfo.InvariantCulture)}.",
            $"Calibrated rates: {available}.");
    }
}
