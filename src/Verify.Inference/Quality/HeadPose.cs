using Verify.Inference.Faces;

namespace Verify.Inference.Quality;

/// <summary>
/// A head's rotation relative to the camera in degrees, estimated from five landmarks (see
/// <see cref="HeadPoseEstimator"/> for the sign conventions and how rough it is).
/// </summary>
/// <param name="YawDegrees">Positive: the subject turned to their own left, so the nose moves towards the image's right.</param>
/// <param name="PitchDegrees">Positive: the subject looks up (chin raised), so the nose moves up towards the eye line.</param>
/// <param name="RollDegrees">
/// Positive: the eye line turned clockwise as seen in the image (the subject's left eye, on the image's right, is lower),
/// i.e. the head tilted towards the subject's left shoulder.
/// </param>
public readonly record struct HeadPose(float YawDegrees, float PitchDegrees, float RollDegrees);

/// <summary>Estimates a <see cref="HeadPose"/> from YuNet's five landmarks with a simple rigid face model.</summary>
/// <remarks>
/// <para>
/// Weak perspective: the eyes and mouth corners lie in one plane and the nose tip stands
/// <see cref="NoseDepthPerEyeDistance"/> eye distances in front of it. Roll is the angle of the eye line; the
/// landmarks are turned back by it about the eye midpoint before yaw and pitch are read.
/// </para>
/// <para>
/// Yaw: turning by θ about the vertical axis moves the nose tip sideways from the face's midline (the line from the
/// eye midpoint to the mouth midpoint) by depth·sin θ while the eye distance shrinks to d·cos θ, so
/// offset / observed eye distance = <see cref="NoseDepthPerEyeDistance"/>·tan θ.
/// </para>
/// <para>
/// Pitch: the nose tip lies <see cref="FrontalNoseHeight"/> of the way from the eye line down to the mouth line on a
/// frontal face; tilting by φ about the horizontal axis moves it to FrontalNoseHeight − <see cref="NoseDepthPerEyeMouthDistance"/>·tan φ.
/// </para>
/// <para>
/// Faces differ and the landmarks are a few pixels off, so the angles are estimates good to roughly ±10° up to
/// about 30°: enough for "turn left / turn right / look up" challenges and a pose gate on a selfie, not for
/// measurement. Beyond that they overstate (faces turned about 45° read 50–66° on LFW), and yaw and pitch are read
/// independently, which overstates each a little when both are large. Checked for sign and centre on LFW only: no
/// pose ground truth was at hand.
/// </para>
/// </remarks>
public static class HeadPoseEstimator
{
    /// <summary>
    /// How far the nose tip stands in front of the eye–mouth plane, in eye distances (pupil to pupil). Adult faces
    /// measure about 0.45–0.6 (some 30–35 mm in front of the pupils, which are some 63 mm apart).
    /// </summary>
    public const double NoseDepthPerEyeDistance = 0.5;

    /// <summary>
    /// The same depth in eye-line-to-mouth-line distances: the mouth line lies about 1.1 eye distances below the eye line.
    /// </summary>
    public const double NoseDepthPerEyeMouthDistance = NoseDepthPerEyeDistance / 1.1;

    /// <summary>
    /// Where YuNet puts the nose tip on a frontal face, as a fraction of the way from the eye line to the mouth line
    /// (the median, 0.558, over 1,000 of LFW's mostly frontal press photos).
    /// </summary>
    public const double FrontalNoseHeight = 0.56;

    private const double RadiansToDegrees = 180 / Math.PI;

    /// <summary>
    /// The pose of a face from its five landmarks in <see cref="Landmark"/> order. Coincident eyes give ±90° yaw, and
    /// a mouth on the eye line ±90° pitch: such landmarks are no frontal face.
    /// </summary>
    public static HeadPose Estimate(IReadOnlyList<FacePoint> landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        if (landmarks.Count < Landmark.Count)
        {
            throw new ArgumentException($"Expected {Landmark.Count} landmarks, got {landmarks.Count}.", nameof(landmarks));
        }

        FacePoint rightEye = landmarks[Landmark.RightEye], leftEye = landmarks[Landmark.LeftEye];
        double eyeX = (rightEye.X + leftEye.X) / 2.0, eyeY = (rightEye.Y + leftEye.Y) / 2.0;
        double eyeDx = leftEye.X - rightEye.X, eyeDy = leftEye.Y - rightEye.Y;
        double eyeDistance = Math.Sqrt((eyeDx * eyeDx) + (eyeDy * eyeDy));
        double roll = eyeDistance > 0 ? Math.Atan2(eyeDy, eyeDx) : 0;

        // Into a frame whose origin is the eye midpoint and whose x axis runs along the eye line (y still down).
        double cos = Math.Cos(roll), sin = Math.Sin(roll);
        (double X, double Y) Upright(FacePoint point)
        {
            double dx = point.X - eyeX, dy = point.Y - eyeY;
            return ((cos * dx) + (sin * dy), (-sin * dx) + (cos * dy));
        }

        var nose = Upright(landmarks[Landmark.NoseTip]);
        var rightMouth = Upright(landmarks[Landmark.RightMouthCorner]);
        var leftMouth = Upright(landmarks[Landmark.LeftMouthCorner]);
        double mouthX = (rightMouth.X + leftMouth.X) / 2, mouthY = (rightMouth.Y + leftMouth.Y) / 2;

        double pitch;
        double noseHeight = 0;
        if (mouthY > 0)
        {
            noseHeight = nose.Y / mouthY;
            pitch = Math.Atan((FrontalNoseHeight - noseHeight) / NoseDepthPerEyeMouthDistance);
        }
        else
        {
            pitch = Math.PI / 2 * (nose.Y <= 0 ? 1 : -1);
        }

        // The midline at the nose's height, so that a slanted midline does not read as yaw.
        double midlineX = mouthX * Math.Clamp(noseHeight, 0, 1);
        double offset = nose.X - midlineX;
        double yaw = eyeDistance > 0
            ? Math.Atan(offset / (NoseDepthPerEyeDistance * eyeDistance))
            : Math.PI / 2 * (offset >= 0 ? 1 : -1);

        return new HeadPose((float)(yaw * RadiansToDegrees), (float)(pitch * RadiansToDegrees), (float)(roll * RadiansToDegrees));
    }
}
