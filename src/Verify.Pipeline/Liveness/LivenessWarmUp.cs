using Microsoft.Extensions.Options;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Hosting;
using Verify.Inference.Liveness;

namespace Verify.Pipeline.Liveness;

/// <summary>
/// Opens the liveness ensemble's sessions and scores a blank face once at start-up, so that the first verification
/// does not pay for them, and a missing liveness model keeps the process not ready. Nothing to do when liveness is off.
/// </summary>
public sealed class LivenessWarmUp(IOptions<LivenessOptions> options, Lazy<LivenessScorer> scorer) : IModelWarmUp
{
    public IReadOnlyList<string> WarmUp(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return [];
        }

        using var blank = RgbImage.Allocate(320, 320);
        blank.Pixels.Fill(128);
        scorer.Value.Score(blank, new FaceBox(110, 100, 100, 120));
        return [.. scorer.Value.Models.Select(model => model.ModelVersion)];
    }
}
