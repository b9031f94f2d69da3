using System.Text.Json;
using System.Text.Json.Serialization;
using Verify.Inference.Quality;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What a finished verification reports besides its decision: scores, the models that produced them, the stage
/// timings and which stages ran. Codes and numbers only, never images or document text.
/// </summary>
public sealed record VerificationResult
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public double? FaceMatchScore { get; init; }

    public double FaceMatchThreshold { get; init; }

    public double FalseAcceptRate { get; init; }

    /// <summary>Stage name to outcome: passed, failed, not_found, review, not_evaluated.</summary>
    public IReadOnlyDictionary<string, string> Stages { get; init; } = new Dictionary<string, string>();

    /// <summary>Model id to version, for every model that took part.</summary>
    public IReadOnlyDictionary<string, string> Models { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();

    /// <summary>The document checks' finding codes (document_expired, mrz_ambiguous, ...).</summary>
    public IReadOnlyList<string> DocumentFindings { get; init; } = [];

    /// <summary>TD1, TD2 or TD3 for an MRZ (photographed or the chip's DG1); AAMVA for a licence's barcode.</summary>
    public string? DocumentFormat { get; init; }

    /// <summary>Where the document's data came from: mrz, barcode or chip; null when nothing could be read.</summary>
    public string? DocumentSource { get; init; }

    /// <summary>For chip data: whether passive authentication proved DG1 and DG2 were signed by a trusted issuer, unaltered.</summary>
    public bool? ChipAuthenticated { get; init; }

    /// <summary>For chip data that did not authenticate: why (chip_dg1_altered, chip_csca_unknown, ...).</summary>
    public string? ChipAuthentication { get; init; }

    /// <summary>For a licence's barcode: each field's validity (valid, invalid or absent), never its value.</summary>
    public IReadOnlyDictionary<string, string>? BarcodeFields { get; init; }

    /// <summary>Each MRZ field's validity (valid or invalid), never its text: what a reviewer may see without the document view.</summary>
    public IReadOnlyDictionary<string, string>? MrzFields { get; init; }

    /// <summary>Each MRZ check digit's outcome (passed or failed).</summary>
    public IReadOnlyDictionary<string, string>? MrzCheckDigits { get; init; }

    /// <summary>The combined passive liveness score (mean over the frames) and the calibrated threshold it was held to.</summary>
    public double? LivenessScore { get; init; }

    public double? LivenessThreshold { get; init; }

    /// <summary>How many selfie images were sent (1, or 2 to 5 frames).</summary>
    public int SelfieFrames { get; init; }

    /// <summary>Which selfie frame (0-based, in capture order) was matched with the portrait; null when none could be.</summary>
    public int? MatchedSelfieFrame { get; init; }

    /// <summary>The instruction of the liveness challenge the frames answered, if any.</summary>
    public string? LivenessChallenge { get; init; }

    /// <summary>The capture-quality measures of the selfie frame that was matched.</summary>
    public SelfieQualityView? SelfieQuality { get; init; }

    /// <summary>Signs that the document photo is a screen or a copy (review signals).</summary>
    public IReadOnlyList<string> DocumentCaptureSignals { get; init; } = [];

    /// <summary>The other subject of the client this one collides with (duplicate_identity reasons); null when none.</summary>
    public Duplicates.DuplicateFinding? Duplicate { get; init; }
}

/// <summary>The capture-quality figures of a selfie as the result reports them: sizes, sharpness, exposure and pose, rounded.</summary>
public sealed record SelfieQualityView(int FaceSizePixels, double Sharpness, double MeanLuma, double YawDegrees, double PitchDegrees, double RollDegrees)
{
    public static SelfieQualityView Of(CaptureQualityMeasures measures)
    {
        ArgumentNullException.ThrowIfNull(measures);
        var pose = measures.Pose;
        return new SelfieQualityView((int)Math.Round(measures.FaceSizePixels), Math.Round(measures.Sharpness, 1), Math.Round(measures.MeanLuma, 1),
            Math.Round(pose.YawDegrees, 1), Math.Round(pose.PitchDegrees, 1), Math.Round(pose.RollDegrees, 1));
    }
}
