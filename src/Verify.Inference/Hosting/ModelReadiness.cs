namespace Verify.Inference.Hosting;

/// <summary>Whether every model the process needs has been verified, loaded and run once.</summary>
public sealed class ModelReadiness
{
    private volatile State _state = new(ReadinessStatus.Loading, "models are loading", []);
    private volatile string? _componentFailure;

    public ReadinessStatus Status => _state.Status;

    /// <summary>What is loaded, what is loading, or why loading failed (never secrets or personal data).</summary>
    public string Description => _state.Description;

    /// <summary>Versions of the loaded models.</summary>
    public IReadOnlyList<string> ModelVersions => _state.Versions;

    public void MarkReady(int verifiedFiles, IReadOnlyList<string> loadedVersions) =>
        _state = _componentFailure is { } failure
            ? new State(ReadinessStatus.Failed, failure, [])
            : new State(ReadinessStatus.Ready, $"{verifiedFiles} model files verified, {loadedVersions.Count} models loaded", loadedVersions);

    /// <summary>Another engine the process needs (Tesseract, say) failed to start: not ready, whatever the models do.</summary>
    public void MarkComponentFailed(string reason)
    {
        _componentFailure = reason;
        _state = new State(ReadinessStatus.Failed, reason, []);
    }

    public void MarkFailed(string reason) => _state = new State(ReadinessStatus.Failed, reason, []);

    private sealed record State(ReadinessStatus Status, string Description, IReadOnlyList<string> Versions);
}

/// <summary>The life cycle of model loading.</summary>
public enum ReadinessStatus
{
    Loading,
    Ready,
    Failed,
}
