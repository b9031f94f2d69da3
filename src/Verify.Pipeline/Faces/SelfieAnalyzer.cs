using Microsoft.Extensions.Options;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Liveness;
using Verify.Inference.Quality;
using Verify.Pipeline.Liveness;

namespace Verify.Pipeline.Faces;

/// <summary>One selfie frame: its face analysis and, when a face was found, the pose, capture quality, liveness and aligned face.</summary>
public sealed record SelfieFrame
{
    public required FaceAnalysis Face { get; init; }

    public HeadPose? Pose { get; init; }

    public CaptureQualityMeasures? Quality { get; init; }

    public LivenessScore? Liveness { get; init; }

    /// <summary>The face aligned to the ArcFace template, grey, 112x112: in memory only, for the multi-frame check.</summary>
    public byte[]? AlignedLuma { get; init; }
}

/// <summary>
/// Runs the selfie side of the pipeline on each frame: decode, detect and embed (<see cref="FaceAnalyzer"/>), then on
/// the primary face the head pose, the capture-quality measures and, when enabled, the passive liveness score.
/// </summary>
public sealed class SelfieAnalyzer(FaceAnalyzer faces, Lazy<LivenessScorer> liveness, IOptions<LivenessOptions> options)
{
    public const string QualityStage = "quality";
    public const string LivenessStage = "liveness";

    /// <summary>The calibrated liveness ensemble, loaded on first use.</summary>
    public LivenessScorer Liveness => liveness.Value;

    /// <param name="data">The encoded frame.</param>
    /// <param name="timings">Receives each stage's duration.</param>
    /// <param name="cancellationToken">Stops the model run under way (detection, embedding, liveness).</param>
    public SelfieFrame Analyse(ReadOnlyMemory<byte> data, StageTimings timings, CancellationToken cancellationToken = default)
    {
        if (!faces.TryDecode(data, timings, out var image, out var unreadable))
        {
            return new SelfieFrame { Face = unreadable };
        }

        using (image)
        {
            var analysis = faces.Analyse(image, timings, cancellationToken: cancellationToken) with { Format = ImageFormatSniffer.Sniff(data.Span) };
            if (analysis.PrimaryFace is not { } face)
            {
                return new SelfieFrame { Face = analysis };
            }

            var quality = timings.Measure(QualityStage, () => CaptureQuality.Measure(image, face));
            var score = options.Value.Enabled ? timings.Measure(LivenessStage, () => liveness.Value.Score(image, face.Box, cancellationToken)) : null;
            byte[] luma;
            using (var aligned = timings.Measure(Stage.Align, () => FaceAligner.Align(image, face.Landmarks, AlignmentTemplate.ArcFace112)))
            {
                using var grey = GrayImage.FromRgb(aligned);
                luma = grey.Pixels.ToArray();
            }

            return new SelfieFrame
            {
                Face = analysis,
                Pose = quality.Pose,
                Quality = quality,
                Liveness = score,
                AlignedLuma = luma,
            };
        }
    }
}
