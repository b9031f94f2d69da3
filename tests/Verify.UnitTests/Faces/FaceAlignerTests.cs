using Verify.Imaging;
using Verify.Inference.Faces;

namespace Verify.UnitTests.Faces;

public sealed class FaceAlignerTests
{
    [Theory]
    [InlineData(1)]    // face at the template's own size: plain warp
    [InlineData(6)]    // a large face: box-averaged first
    [InlineData(30)]   // a 12 MP close-up
    public void A_face_well_inside_a_flat_photo_gives_a_flat_crop_without_dark_edges(int magnification)
    {
        var template = AlignmentTemplate.ArcFace112;
        int side = (template.Size * magnification) + 400;
        using var photo = RgbImage.Allocate(side, side);
        photo.Pixels.Fill(200);
        var landmarks = template.Points.Select(p => new FacePoint((p.X * magnification) + 200, (p.Y * magnification) + 200)).ToArray();

        using var crop = FaceAligner.Align(photo, landmarks, template);

        Assert.Equal((112, 112), (crop.Width, crop.Height));
        Assert.All(crop.Pixels.ToArray(), value => Assert.InRange(value, 199, 201));
    }

    [Fact]
    public void Landmarks_land_on_the_template_points()
    {
        // A dark image with a bright dot under each landmark, the face rotated and four times template size.
        var template = AlignmentTemplate.ArcFace112;
        double angle = 0.3;
        var landmarks = template.Points.Select(p => new FacePoint(
            (float)((4 * ((Math.Cos(angle) * p.X) - (Math.Sin(angle) * p.Y))) + 300),
            (float)((4 * ((Math.Sin(angle) * p.X) + (Math.Cos(angle) * p.Y))) + 100))).ToArray();
        using var photo = RgbImage.Allocate(1000, 1000);
        photo.Pixels.Clear();
        foreach (var point in landmarks)
        {
            for (int dy = -6; dy <= 6; dy++)
            {
                for (int dx = -6; dx <= 6; dx++)
                {
                    photo.Row((int)point.Y + dy).Slice(((int)point.X + dx) * 3, 3).Fill(255);
                }
            }
        }

        using var crop = FaceAligner.Align(photo, landmarks, template);

        Assert.All(template.Points, p => Assert.True(crop.Row((int)Math.Round(p.Y))[(int)Math.Round(p.X) * 3] > 200, $"no dot at ({p.X}, {p.Y})"));
    }
}
