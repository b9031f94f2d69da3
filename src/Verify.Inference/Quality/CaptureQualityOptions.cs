using System.ComponentModel.DataAnnotations;

namespace Verify.Inference.Quality;

/// <summary>Thresholds that a selfie's <see cref="CaptureQualityMeasures"/> must meet (see <see cref="CaptureQuality.Assess"/>).</summary>
/// <remarks>The defaults and the figures behind them are in docs/capture-quality.md.</remarks>
public sealed class CaptureQualityOptions : IValidatableObject
{
    public const string SectionName = "Quality";

    /// <summary>Smallest face box (shorter side, pixels) accepted.</summary>
    [Range(16, 4096)]
    public int MinFaceSizePixels { get; set; } = 80;

    /// <summary>Lowest <see cref="CaptureQualityMeasures.Sharpness"/> accepted.</summary>
    [Range(0.0, 10_000.0)]
    public double MinSharpness { get; set; } = 10;

    /// <summary>Darkest mean face luma accepted (0–255).</summary>
    [Range(0.0, 255.0)]
    public double MinMeanLuma { get; set; } = 40;

    /// <summary>Brightest mean face luma accepted (0–255).</summary>
    [Range(0.0, 255.0)]
    public double MaxMeanLuma { get; set; } = 210;

    /// <summary>Largest share of the face clipped white (luma 250 or more).</summary>
    [Range(0.0, 1.0)]
    public double MaxBrightClippedFraction { get; set; } = 0.05;

    /// <summary>Largest share of the face clipped black (luma 5 or less).</summary>
    [Range(0.0, 1.0)]
    public double MaxDarkClippedFraction { get; set; } = 0.2;

    /// <summary>
    /// Largest head turn either way, in degrees. 45, not 30: on the end-to-end set the 30-degree gate rejected 6.7 % of
    /// genuine selfies and held back no impostor or spoof that nothing else stopped (docs/capture-quality.md).
    /// </summary>
    [Range(0.0, 90.0)]
    public double MaxYawDegrees { get; set; } = 45;

    /// <summary>Largest look up or down, in degrees, for a frontal selfie.</summary>
    [Range(0.0, 90.0)]
    public double MaxPitchDegrees { get; set; } = 25;

    /// <summary>Largest head tilt towards a shoulder, in degrees, for a frontal selfie.</summary>
    [Range(0.0, 180.0)]
    public double MaxRollDegrees { get; set; } = 25;

    /// <summary>
    /// Smallest gap between the face's box and the image edge, as a fraction of the face size; a little above zero
    /// because a detector's box is a few percent off and a box flush with the edge usually has its chin or forehead cut.
    /// </summary>
    [Range(-1.0, 1.0)]
    public double MinFrameMargin { get; set; } = 0.05;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinMeanLuma >= MaxMeanLuma)
        {
            yield return new ValidationResult(
                $"{nameof(MinMeanLuma)} ({MinMeanLuma}) must be below {nameof(MaxMeanLuma)} ({MaxMeanLuma}).",
                [nameof(MinMeanLuma), nameof(MaxMeanLuma)]);
        }
    }
}
