using Verify.Inference.Faces;
using Verify.Inference.Quality;
using Verify.Pipeline.Liveness;

namespace Verify.UnitTests.Liveness;

public sealed class FrameSequenceTests
{
    private static readonly FacePoint[] Frontal = [new(40, 50), new(80, 50), new(60, 72), new(45, 92), new(75, 92)];

    private static FacePoint[] Moved(IEnumerable<FacePoint> points, double scale = 1, double degrees = 0, double dx = 0, double dy = 0)
    {
        double radians = degrees * Math.PI / 180, cos = Math.Cos(radians) * scale, sin = Math.Sin(radians) * scale;
        return [.. points.Select(p => new FacePoint((float)((cos * p.X) - (sin * p.Y) + dx), (float)((sin * p.X) + (cos * p.Y) + dy)))];
    }

    private static byte[] Face(int seed)
    {
        var random = new Random(seed);
        var luma = new byte[112 * 112];
        random.NextBytes(luma);
        return luma;
    }

    private static FrameObservation Frame(FacePoint[] landmarks, byte[] luma) => new(landmarks, default, luma);

    [Fact]
    public void Identical_frames_are_static()
    {
        var luma = Face(1);
        var frames = new[] { Frame(Frontal, luma), Frame(Frontal, luma), Frame(Frontal, luma) };

        Assert.True(FrameSequence.IsStatic(frames, landmarkMotion: 0.02, appearanceChange: 2.5));
    }

    [Fact]
    public void One_picture_shifted_scaled_and_turned_is_static()
    {
        var luma = Face(1);
        var frames = new[] { Frame(Frontal, luma), Frame(Moved(Frontal, 1.3, 8, 25, -10), luma) };

        Assert.True(FrameSequence.NonRigidMotion(frames[0].Landmarks, frames[1].Landmarks) < 1e-4);
        Assert.True(FrameSequence.IsStatic(frames, 0.02, 2.5));
    }

    [Fact]
    public void A_head_turning_is_not_static_even_with_the_same_appearance()
    {
        var luma = Face(1);
        // Turning the head moves the nose towards one side while the eyes and mouth stay: not a similarity of the picture.
        var turned = (FacePoint[])Frontal.Clone();
        turned[Landmark.NoseTip] = new FacePoint(68, 72);

        Assert.False(FrameSequence.IsStatic([Frame(Frontal, luma), Frame(turned, luma)], 0.02, 2.5));
    }

    [Fact]
    public void A_changed_appearance_is_not_static_even_with_still_landmarks()
    {
        Assert.False(FrameSequence.IsStatic([Frame(Frontal, Face(1)), Frame(Frontal, Face(2))], 0.02, 2.5));
    }

    [Fact]
    public void Appearance_change_is_the_mean_absolute_grey_difference()
    {
        Assert.Equal(3.0, FrameSequence.AppearanceChange([10, 20, 30, 40], [13, 17, 33, 37]));
        Assert.Throws<ArgumentException>(() => FrameSequence.AppearanceChange([1, 2], [1]));
    }

    [Theory]
    [InlineData(ChallengeInstructions.TurnLeft, new float[] { 0, 8, 22 }, new float[] { 0, 0, 0 }, true)]
    [InlineData(ChallengeInstructions.TurnLeft, new float[] { 0, -8, -22 }, new float[] { 0, 0, 0 }, false)]
    [InlineData(ChallengeInstructions.TurnRight, new float[] { 5, -5, -12 }, new float[] { 0, 0, 0 }, true)]
    [InlineData(ChallengeInstructions.TurnRight, new float[] { 5, 0, -5 }, new float[] { 0, 0, 0 }, false)]
    [InlineData(ChallengeInstructions.LookUp, new float[] { 0, 0, 0 }, new float[] { -3, 4, 14 }, true)]
    [InlineData(ChallengeInstructions.LookUp, new float[] { 30, 0, -30 }, new float[] { 0, 2, 4 }, false)]
    public void A_challenge_is_met_when_a_later_frame_is_turned_far_enough_the_instructed_way(string instruction, float[] yaws, float[] pitches, bool met)
    {
        var poses = yaws.Select((yaw, i) => new HeadPose(yaw, pitches[i], 0)).ToArray();

        Assert.Equal(met, FrameSequence.ShowsInstruction(poses, instruction, minDegrees: 15));
    }

    [Fact]
    public void Only_movement_in_frame_order_counts()
    {
        // Turned left first, then back to frontal: the head moved right, never left.
        var poses = new[] { new HeadPose(25, 0, 0), new HeadPose(0, 0, 0) };

        Assert.False(FrameSequence.ShowsInstruction(poses, ChallengeInstructions.TurnLeft, 15));
        Assert.True(FrameSequence.ShowsInstruction(poses, ChallengeInstructions.TurnRight, 15));
    }

    [Fact]
    public void The_most_frontal_frame_is_the_main_one()
    {
        var poses = new[] { new HeadPose(20, 0, 0), new HeadPose(-3, 4, 0), new HeadPose(0, -12, 0) };

        Assert.Equal(1, FrameSequence.MostFrontal(poses));
    }
}
