using Verify.Inference.Faces;
using Verify.Inference.Quality;

namespace Verify.Pipeline.Liveness;

/// <summary>
/// What the multi-frame check needs of one selfie frame: its landmarks, its head pose, and its face aligned to a
/// fixed template in grey (in memory only, for the appearance comparison).
/// </summary>
public sealed record FrameObservation(IReadOnlyList<FacePoint> Landmarks, HeadPose Pose, byte[] AlignedLuma);

/// <summary>Why a multi-frame selfie is not a live capture; each becomes the reason <c>liveness_failed:&lt;code&gt;</c>.</summary>
public static class FrameFailures
{
    /// <summary>The frames are the same picture, or one picture shifted, scaled or turned: no head moved.</summary>
    public const string Static = "static";

    /// <summary>Not every frame shows the same person.</summary>
    public const string DifferentPeople = "different_people";

    /// <summary>The frames do not show the challenge's instruction.</summary>
    public const string ChallengeNotMet = "challenge_not_met";

    /// <summary>The passive liveness score is below the calibrated threshold.</summary>
    public const string Spoof = "spoof";
}

/// <summary>
/// The checks on 2 to 5 selfie frames that a single photo cannot pass: natural motion (the frames are not one picture
/// repeated or moved about) and, with a challenge, the instructed head movement. Identity across frames is checked
/// by the caller with the face matcher.
/// </summary>
public static class FrameSequence
{
    /// <summary>
    /// Whether the frames are static: for every frame against the first, the landmarks moved less than
    /// <paramref name="landmarkMotion"/> eye distances beyond a similarity transform of the whole picture, and the
    /// aligned faces differ by less than <paramref name="appearanceChange"/> grey levels on average. A live head
    /// changes one or the other between frames; a photograph moved in front of the camera changes neither.
    /// </summary>
    public static bool IsStatic(IReadOnlyList<FrameObservation> frames, double landmarkMotion, double appearanceChange)
    {
        ArgumentNullException.ThrowIfNull(frames);
        for (int i = 1; i < frames.Count; i++)
        {
            if (NonRigidMotion(frames[0].Landmarks, frames[i].Landmarks) >= landmarkMotion
                || AppearanceChange(frames[0].AlignedLuma, frames[i].AlignedLuma) >= appearanceChange)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// How far the landmarks moved other than by one shift, scale and rotation of the whole picture: the root mean
    /// square residual of the best similarity transform from <paramref name="first"/> to <paramref name="second"/>,
    /// in eye distances of <paramref name="first"/>.
    /// </summary>
    public static double NonRigidMotion(IReadOnlyList<FacePoint> first, IReadOnlyList<FacePoint> second)
    {
        var transform = SimilarityTransform.Estimate(first, second);
        double sum = 0;
        for (int i = 0; i < first.Count; i++)
        {
            var (x, y) = transform.Apply(first[i].X, first[i].Y);
            sum += ((x - second[i].X) * (x - second[i].X)) + ((y - second[i].Y) * (y - second[i].Y));
        }

        // Residuals in the second frame's pixels, brought back to the first's scale.
        double scale = Math.Sqrt(Math.Abs(transform.Determinant));
        var rightEye = first[Landmark.RightEye];
        var leftEye = first[Landmark.LeftEye];
        double eyes = Math.Max(1e-6, Math.Sqrt(Math.Pow(leftEye.X - rightEye.X, 2) + Math.Pow(leftEye.Y - rightEye.Y, 2)));
        return Math.Sqrt(sum / first.Count) / Math.Max(scale, 1e-6) / eyes;
    }

    /// <summary>The mean absolute difference of two equally sized grey images, in grey levels.</summary>
    public static double AppearanceChange(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        if (first.Length != second.Length || first.Length == 0)
        {
            throw new ArgumentException("The aligned faces must have the same, non-zero size.");
        }

        long sum = 0;
        for (int i = 0; i < first.Length; i++)
        {
            sum += Math.Abs(first[i] - second[i]);
        }

        return (double)sum / first.Length;
    }

    /// <summary>
    /// Whether the frames, in order, show <paramref name="instruction"/>: some later frame is turned (or tilted up) at
    /// least <paramref name="minDegrees"/> further in the instructed direction than an earlier one. Yaw is positive
    /// towards the subject's own left and pitch positive looking up (<see cref="HeadPose"/>), so frames must be sent
    /// as the camera saw them, not mirrored like a preview.
    /// </summary>
    public static bool ShowsInstruction(IReadOnlyList<HeadPose> poses, string instruction, double minDegrees)
    {
        ArgumentNullException.ThrowIfNull(poses);
        Func<HeadPose, double> along = instruction switch
        {
            ChallengeInstructions.TurnLeft => pose => pose.YawDegrees,
            ChallengeInstructions.TurnRight => pose => -pose.YawDegrees,
            ChallengeInstructions.LookUp => pose => pose.PitchDegrees,
            _ => throw new ArgumentException($"Unknown instruction '{instruction}'.", nameof(instruction)),
        };
        double lowest = double.PositiveInfinity;
        foreach (var pose in poses)
        {
            double value = along(pose);
            if (value - lowest >= minDegrees)
            {
                return true;
            }

            lowest = Math.Min(lowest, value);
        }

        return false;
    }

    /// <summary>The frame to match and score: the most frontal one (least yaw and pitch together).</summary>
    public static int MostFrontal(IReadOnlyList<HeadPose> poses)
    {
        ArgumentNullException.ThrowIfNull(poses);
        int best = 0;
        for (int i = 1; i < poses.Count; i++)
        {
            if (Math.Abs(poses[i].YawDegrees) + Math.Abs(poses[i].PitchDegrees) < Math.Abs(poses[best].YawDegrees) + Math.Abs(poses[best].PitchDegrees))
            {
                best = i;
            }
        }

        return best;
    }
}
