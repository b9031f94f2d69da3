using Verify.Inference.Quality;
using Verify.Pipeline.Faces;

namespace Verify.Pipeline.Liveness;

/// <summary>What the selfie frames together show: the frame to match, liveness, and capture quality. Codes and numbers only.</summary>
public sealed record SelfieEvidence
{
    public required FaceAnalysisOutcome Outcome { get; init; }

    /// <summary>The frame whose face is matched and scored (the most frontal), or -1 when a frame has no usable face.</summary>
    public int MainFrame { get; init; } = -1;

    public int Frames { get; init; }

    public bool LivenessEvaluated { get; init; }

    /// <summary>The mean combined liveness score over the frames.</summary>
    public double? LivenessScore { get; init; }

    public double? LivenessThreshold { get; init; }

    /// <summary><see cref="FrameFailures"/> codes; empty when live.</summary>
    public IReadOnlyList<string> LivenessFailures { get; init; } = [];

    /// <summary><see cref="QualityFailures"/> codes of the main frame.</summary>
    public IReadOnlyList<string> QualityFailures { get; init; } = [];

    /// <summary>
    /// Combines the frames. Every frame must be readable and show a face; then the most frontal frame is the main one,
    /// its capture quality is assessed, liveness is the mean score over the frames, and with two or more frames the
    /// frames must show one person (each scored against the main frame with <paramref name="sameFace"/>), must not
    /// be static, and must show the challenge's instruction when one was given.
    /// </summary>
    public static SelfieEvidence Assess(IReadOnlyList<SelfieFrame> frames, Func<FaceAnalysis, FaceAnalysis, bool> sameFace, string? challenge,
        LivenessOptions liveness, CaptureQualityOptions quality)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(sameFace);
        ArgumentNullException.ThrowIfNull(liveness);
        ArgumentNullException.ThrowIfNull(quality);
        if (frames.Count == 0 || frames.Any(f => f.Face.Outcome == FaceAnalysisOutcome.Unreadable))
        {
            return new SelfieEvidence { Outcome = FaceAnalysisOutcome.Unreadable, Frames = frames.Count };
        }

        if (frames.Any(f => f.Face.Outcome != FaceAnalysisOutcome.Analysed || f.Pose is null || f.Quality is null || f.AlignedLuma is null))
        {
            return new SelfieEvidence { Outcome = FaceAnalysisOutcome.NoFace, Frames = frames.Count };
        }

        var poses = frames.Select(f => f.Pose!.Value).ToArray();
        int main = FrameSequence.MostFrontal(poses);
        var failures = new List<string>();
        if (frames.Count > 1)
        {
            if (Enumerable.Range(0, frames.Count).Any(i => i != main && !sameFace(frames[main].Face, frames[i].Face)))
            {
                failures.Add(FrameFailures.DifferentPeople);
            }

            var observations = frames.Select(f => new FrameObservation(f.Face.PrimaryFace!.Landmarks, f.Pose!.Value, f.AlignedLuma!)).ToArray();
            if (FrameSequence.IsStatic(observations, liveness.StaticLandmarkMotion, liveness.StaticAppearanceChange))
            {
                failures.Add(FrameFailures.Static);
            }
        }

        if (challenge is not null && !FrameSequence.ShowsInstruction(poses, challenge, liveness.ChallengeMinDegrees))
        {
            failures.Add(FrameFailures.ChallengeNotMet);
        }

        bool scored = frames.All(f => f.Liveness is not null);
        double? score = scored ? frames.Average(f => f.Liveness!.Score) : null;
        double? threshold = scored ? frames[0].Liveness!.Threshold : null;
        if (score < threshold)
        {
            failures.Add(FrameFailures.Spoof);
        }

        return new SelfieEvidence
        {
            Outcome = FaceAnalysisOutcome.Analysed,
            MainFrame = main,
            Frames = frames.Count,
            LivenessEvaluated = scored,
            LivenessScore = score,
            LivenessThreshold = threshold,
            LivenessFailures = failures,
            QualityFailures = CaptureQuality.Assess(frames[main].Quality!, quality),
        };
    }
}
