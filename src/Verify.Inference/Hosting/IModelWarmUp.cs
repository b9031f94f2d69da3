namespace Verify.Inference.Hosting;

/// <summary>
/// Models beyond the detector and the matcher that the start-up warm-up opens and runs once before the process is
/// ready, registered by the layer that uses them (the liveness ensemble, when liveness is on).
/// </summary>
public interface IModelWarmUp
{
    /// <summary>Opens the models and runs each once; returns their versions. A missing model throws <see cref="Models.ModelUnavailableException"/>.</summary>
    IReadOnlyList<string> WarmUp(CancellationToken cancellationToken);
}
