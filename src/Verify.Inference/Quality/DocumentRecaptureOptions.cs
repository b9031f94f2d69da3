using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.Quality;

/// <summary>When <see cref="DocumentRecaptureSignals"/> ask for a reviewer's look.</summary>
/// <remarks>The defaults and the figures behind them are in docs/capture-quality.md.</remarks>
public sealed class DocumentRecaptureOptions
{
    public const string SectionName = "Quality:DocumentRecapture";

    /// <summary>A <see cref="DocumentRecaptureSignals.PeriodicPatternScore"/> above this suggests a screen or halftone.</summary>
    [Range(0.0, 1.0)]
    public double MaxPeriodicPatternScore { get; set; } = 0.1;

    /// <summary>A <see cref="DocumentRecaptureSignals.ChromaSpread"/> below this suggests a greyscale copy.</summary>
    [Range(0.0, 255.0)]
    public double MinChromaSpread { get; set; } = 3;
}
