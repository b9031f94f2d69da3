using Verify.Inference.Faces;
using Verify.Inference.Quality;

namespace Verify.UnitTests.Quality;

public sealed class HeadPoseEstimatorTests
{
    // A frontal face: eyes 60 px apart, mouth line 66 px below the eye line, nose tip at the frontal height.
    private const float EyeLine = 100, MouthLine = 166, EyeDistance = 60;
    private static readonly float FrontalNoseY = EyeLine + (float)(HeadPoseEstimator.FrontalNoseHeight * (MouthLine - EyeLine));

    [Fact]
    public void A_frontal_face_has_no_yaw_pitch_or_roll()
    {
        var pose = HeadPoseEstimator.Estimate(Face(noseX: 130, noseY: FrontalNoseY));

        Assert.Equal(0, pose.YawDegrees, 0.5);
        Assert.Equal(0, pose.PitchDegrees, 0.5);
        Assert.Equal(0, pose.RollDegrees, 0.5);
    }

    [Fact]
    public void A_nose_towards_the_image_right_is_positive_yaw_the_subject_turned_to_their_left()
    {
        // A fifth of the eye distance to the right: atan(0.2 / depth) under the documented face depth.
        double expected = Math.Atan(0.2 / HeadPoseEstimator.NoseDepthPerEyeDistance) * 180 / Math.PI;

        var turnedLeft = HeadPoseEstimator.Estimate(Face(noseX: 130 + (0.2f * EyeDistance), noseY: FrontalNoseY));
        var turnedRight = HeadPoseEstimator.Estimate(Face(noseX: 130 - (0.2f * EyeDistance), noseY: FrontalNoseY));

        Assert.Equal(expected, turnedLeft.YawDegrees, 0.5);
        Assert.Equal(-expected, turnedRight.YawDegrees, 0.5);
        Assert.Equal(0, turnedLeft.PitchDegrees, 0.5);
    }

    [Fact]
    public void A_nose_raised_towards_the_eyes_is_positive_pitch_looking_up()
    {
        var up = HeadPoseEstimator.Estimate(Face(noseX: 130, noseY: FrontalNoseY - 12));
        var down = HeadPoseEstimator.Estimate(Face(noseX: 130, noseY: FrontalNoseY + 12));

        Assert.InRange(up.PitchDegrees, 15, 40);
        Assert.InRange(down.PitchDegrees, -40, -15);
        Assert.Equal(0, up.YawDegrees, 0.5);
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(-35.0)]
    [InlineData(90.0)]
    [InlineData(180.0)]
    public void Roll_is_the_rotation_of_the_landmarks_and_leaves_yaw_and_pitch_alone(double degrees)
    {
        var turned = Face(noseX: 130 + (0.2f * EyeDistance), noseY: FrontalNoseY - 6);
        var upright = HeadPoseEstimator.Estimate(turned);

        var rolled = HeadPoseEstimator.Estimate(Rotate(turned, degrees, new FacePoint(140, 90)));

        double roll = Math.IEEERemainder(rolled.RollDegrees - degrees, 360);
        Assert.Equal(0, roll, 0.01);
        Assert.Equal(upright.YawDegrees, rolled.YawDegrees, 0.01);
        Assert.Equal(upright.PitchDegrees, rolled.PitchDegrees, 0.01);
    }

    [Fact]
    public void A_lower_left_eye_on_the_image_right_is_positive_roll()
    {
        var landmarks = Face(noseX: 130, noseY: FrontalNoseY);
        landmarks[Landmark.LeftEye] = landmarks[Landmark.LeftEye] with { Y = EyeLine + 10 };

        Assert.True(HeadPoseEstimator.Estimate(landmarks).RollDegrees > 5);
    }

    [Fact]
    public void Coincident_eyes_read_as_a_face_turned_fully_aside()
    {
        var landmarks = Face(noseX: 140, noseY: FrontalNoseY);
        landmarks[Landmark.RightEye] = landmarks[Landmark.LeftEye];

        Assert.Equal(90, Math.Abs(HeadPoseEstimator.Estimate(landmarks).YawDegrees), 0.01);
    }

    [Fact]
    public void Fewer_than_five_landmarks_are_refused() =>
        Assert.Throws<ArgumentException>(() => HeadPoseEstimator.Estimate(Face(130, FrontalNoseY)[..4]));

    private static FacePoint[] Face(float noseX, float noseY) =>
    [
        new(130 - (EyeDistance / 2), EyeLine),
        new(130 + (EyeDistance / 2), EyeLine),
        new(noseX, noseY),
        new(112, MouthLine),
        new(148, MouthLine),
    ];

    private static FacePoint[] Rotate(FacePoint[] points, double degrees, FacePoint centre)
    {
        double radians = degrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        return points.Select(p =>
        {
            double dx = p.X - centre.X, dy = p.Y - centre.Y;
            return new FacePoint((float)(centre.X + (cos * dx) - (sin * dy)), (float)(centre.Y + (sin * dx) + (cos * dy)));
        }).ToArray();
    }
}
