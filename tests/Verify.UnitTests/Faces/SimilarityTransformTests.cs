using Verify.Inference.Faces;

namespace Verify.UnitTests.Faces;

public sealed class SimilarityTransformTests
{
    private static readonly FacePoint[] Template = [.. AlignmentTemplate.ArcFace112.Points];

    [Fact]
    public void Recovers_an_exact_similarity_transform()
    {
        // Template points mapped by scale 1.7, rotation 20 degrees and a shift: estimation must invert it exactly.
        double angle = 20 * Math.PI / 180, scale = 1.7;
        var image = Template.Select(p => new FacePoint(
            (float)((scale * ((Math.Cos(angle) * p.X) - (Math.Sin(angle) * p.Y))) + 300),
            (float)((scale * ((Math.Sin(angle) * p.X) + (Math.Cos(angle) * p.Y))) + 140))).ToArray();

        var toTemplate = SimilarityTransform.Estimate(image, Template);

        for (int i = 0; i < Template.Length; i++)
        {
            var (x, y) = toTemplate.Apply(image[i].X, image[i].Y);
            Assert.Equal(Template[i].X, x, 2);
            Assert.Equal(Template[i].Y, y, 2);
        }

        Assert.Equal(1 / scale, Math.Sqrt(toTemplate.Determinant), 4);
        Assert.Equal(toTemplate.A, toTemplate.D, 9);
        Assert.Equal(toTemplate.B, -toTemplate.C, 9);
    }

    [Fact]
    public void With_noise_it_is_the_least_squares_fit()
    {
        var random = new Random(3);
        var noisy = Template.Select(p => new FacePoint(p.X + (float)((random.NextDouble() - 0.5) * 4), p.Y + (float)((random.NextDouble() - 0.5) * 4))).ToArray();
        var best = SimilarityTransform.Estimate(noisy, Template);

        double Residual(Verify.Imaging.Affine2D map) => noisy.Select((p, i) =>
        {
            var (x, y) = map.Apply(p.X, p.Y);
            return Math.Pow(x - Template[i].X, 2) + Math.Pow(y - Template[i].Y, 2);
        }).Sum();

        // Any nudge of the four parameters makes the fit worse.
        double residual = Residual(best);
        foreach (var nudged in new[]
        {
            best with { A = best.A + 0.01, D = best.D + 0.01 },
            best with { B = best.B + 0.01, C = best.C - 0.01 },
            best with { Tx = best.Tx + 0.1 },
            best with { Ty = best.Ty - 0.1 },
        })
        {
            Assert.True(Residual(nudged) > residual);
        }
    }

    [Fact]
    public void Mirrored_points_are_not_fitted_with_a_reflection()
    {
        var mirrored = Template.Select(p => new FacePoint(112 - p.X, p.Y)).ToArray();
        var map = SimilarityTransform.Estimate(mirrored, Template);
        Assert.True(map.Determinant > 0);
    }

    [Fact]
    public void Coincident_points_are_refused() =>
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(Enumerable.Repeat(new FacePoint(5, 5), 5).ToArray(), Template));

    [Fact]
    public void The_dlib_chip_template_is_a_centred_upright_face()
    {
        var points = AlignmentTemplate.DlibChip150.Points;
        Assert.All(points, p => Assert.InRange(p.X, 0, 150));
        // dlib's mean face is centred at x = 0.49, not 0.5.
        Assert.InRange((points[Landmark.RightEye].X + points[Landmark.LeftEye].X) / 2, 73.5, 74.5);
        Assert.Equal(points[Landmark.RightEye].Y, points[Landmark.LeftEye].Y, 3);
        Assert.True(points[Landmark.LeftEye].Y < points[Landmark.NoseTip].Y && points[Landmark.NoseTip].Y < points[Landmark.RightMouthCorner].Y);
        // dlib's mean face: eye centres about 53 pixels apart on a 150-pixel chip with 0.25 padding.
        Assert.InRange(points[Landmark.LeftEye].X - points[Landmark.RightEye].X, 50, 56);
    }
}
