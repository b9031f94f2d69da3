namespace Verify.Synthetic;

/// <summary>
/// How a simulated phone capture degrades a printed document: placement on a background, rotation and tilt,
/// perspective, EXIF-only rotation, blur, glare, sensor noise, output size and JPEG quality.
/// </summary>
/// <remarks>
/// Ranges are drawn uniformly per image from the generator's seed. Lengths are in pixels of the final image unless
/// said otherwise. The presets' exact values are listed in docs/synthetic-documents.md; keep the two in step.
/// </remarks>
public sealed record CaptureEffects
{
    /// <summary>The preset this was built from (overrides keep the name).</summary>
    public required string Name { get; init; }

    /// <summary>Place the document on a textured table or fabric background of a random colour.</summary>
    public bool Background { get; init; }

    /// <summary>Margin around the turned document on each side, as a fraction of the document's long side.</summary>
    public (double Min, double Max) Margin { get; init; }

    /// <summary>Turn the document by a random multiple of 90 degrees (in the pixels).</summary>
    public bool QuarterTurns { get; init; }

    /// <summary>Largest tilt either way, in degrees, on top of the quarter turn.</summary>
    public double MaxTiltDegrees { get; init; }

    /// <summary>Largest shift of each document corner, as a fraction of the document's width (x) and height (y).</summary>
    public double PerspectiveJitter { get; init; }

    /// <summary>Share of images stored turned, with an EXIF orientation tag that a reader must apply.</summary>
    public double ExifRotationShare { get; init; }

    /// <summary>Gaussian blur sigma; 0 for none.</summary>
    public (double Min, double Max) BlurSigma { get; init; }

    /// <summary>Share of images with a glare spot.</summary>
    public double GlareShare { get; init; }

    /// <summary>Glare radius (the ellipse's long semi-axis) as a fraction of the document's long side.</summary>
    public (double Min, double Max) GlareRadius { get; init; }

    /// <summary>
    /// Glare peak, added to every channel. It is additive and capped below 255, so dark print under it keeps some
    /// contrast: glare over the MRZ hides part of it but never wipes it out.
    /// </summary>
    public (double Min, double Max) GlareStrength { get; init; }

    /// <summary>Sigma of the gaussian sensor noise, per channel, in 8-bit levels.</summary>
    public double NoiseSigma { get; init; }

    /// <summary>Long side of the output in pixels; 0 keeps the print resolution (300 dpi).</summary>
    public int LongSide { get; init; }

    /// <summary>JPEG quality (1-100).</summary>
    public int JpegQuality { get; init; }

    /// <summary>The flat print as rendered: no background, no geometry, no degradation, JPEG quality 95, 300 dpi.</summary>
    public static CaptureEffects None { get; } = new()
    {
        Name = "none",
        JpegQuality = 95,
    };

    /// <summary>A careful phone photo: small tilt and perspective, slight blur, weak glare, low noise, JPEG 90, 2000 px.</summary>
    public static CaptureEffects Mild { get; } = new()
    {
        Name = "mild",
        Background = true,
        Margin = (0.06, 0.15),
        QuarterTurns = true,
        MaxTiltDegrees = 5,
        PerspectiveJitter = 0.03,
        ExifRotationShare = 0.25,
        BlurSigma = (0.6, 1.0),
        GlareShare = 0.5,
        GlareRadius = (0.08, 0.15),
        GlareStrength = (40, 80),
        NoiseSigma = 3,
        LongSide = 2000,
        JpegQuality = 90,
    };

    /// <summary>A hurried phone photo: strong tilt and perspective, blur, large bright glare, noise, JPEG 60, 2000 px.</summary>
    public static CaptureEffects Strong { get; } = new()
    {
        Name = "strong",
        Background = true,
        Margin = (0.04, 0.25),
        QuarterTurns = true,
        MaxTiltDegrees = 15,
        PerspectiveJitter = 0.08,
        ExifRotationShare = 0.5,
        BlurSigma = (1.6, 2.4),
        GlareShare = 0.8,
        GlareRadius = (0.15, 0.30),
        GlareStrength = (100, 160),
        NoiseSigma = 8,
        LongSide = 2000,
        JpegQuality = 60,
    };

    /// <summary>The preset names, for usage messages.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["none", "mild", "strong"];

    /// <summary>The preset of that name, or null when there is none.</summary>
    public static CaptureEffects? Preset(string name) => name.ToLowerInvariant() switch
    {
        "none" => None,
        "mild" => Mild,
        "strong" => Strong,
        _ => null,
    };
}
