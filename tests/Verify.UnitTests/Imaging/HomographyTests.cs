using Verify.Imaging;

namespace Verify.UnitTests.Imaging;

public sealed class HomographyTests
{
    private static readonly (double X, double Y)[] Square = [(0, 0), (100, 0), (100, 60), (0, 60)];
    private static readonly (double X, double Y)[] Skewed = [(12.5, 7), (140, 20), (131, 97.5), (3, 80)];

    [Fact]
    public void FromQuad_maps_each_corner_onto_its_target() => AssertMaps(Homography.FromQuad(Square, Skewed), Square, Skewed);

    [Fact]
    public void Inverse_maps_the_targets_back_onto_the_corners() => AssertMaps(Homography.FromQuad(Square, Skewed).Invert(), Skewed, Square);

    [Fact]
    public void An_affine_map_gives_the_same_points_as_a_homography()
    {
        var affine = new Affine2D(0.8, -0.6, 0.6, 0.8, 12, -7);

        Assert.Equal(affine.Apply(3, 4), Homography.FromAffine(affine).Apply(3, 4));
    }

    [Fact]
    public void After_applies_the_first_map_then_this_one()
    {
        var first = Homography.FromQuad(Square, Skewed);
        var second = Homography.FromAffine(new Affine2D(2, 0, 0, 2, 5, 5));

        var (x, y) = second.After(first).Apply(100, 60);

        Assert.Equal((2 * 131) + 5, x, 6);
        Assert.Equal((2 * 97.5) + 5, y, 6);
    }

    [Fact]
    public void Collinear_points_have_no_homography() =>
        Assert.Throws<ArgumentException>(() => Homography.FromQuad([(0, 0), (1, 1), (2, 2), (0, 5)], Skewed));

    [Fact]
    public void WarpPerspective_with_the_identity_copies_the_image()
    {
        using var source = RgbImage.Allocate(7, 5);
        for (int i = 0; i < source.Length; i++)
        {
            source.Pixels[i] = (byte)(i * 7);
        }

        using var warped = ImageResampler.WarpPerspective(source, Homography.Identity, 7, 5);

        Assert.True(source.Pixels.SequenceEqual(warped.Pixels));
    }

    private static void AssertMaps(Homography map, (double X, double Y)[] from, (double X, double Y)[] to)
    {
        for (int i = 0; i < from.Length; i++)
        {
            var (x, y) = map.Apply(from[i].X, from[i].Y);
            Assert.Equal(to[i].X, x, 6);
            Assert.Equal(to[i].Y, y, 6);
        }
    }
}
