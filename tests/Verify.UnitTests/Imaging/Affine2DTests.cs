using Verify.Imaging;

namespace Verify.UnitTests.Imaging;

public sealed class Affine2DTests
{
    [Fact]
    public void Inverse_undoes_the_map()
    {
        var map = new Affine2D(0.8, -0.6, 0.6, 0.8, 12, -7) with { A = 1.6, D = 1.6 };
        var inverse = map.Invert();

        var (x, y) = map.Apply(3.5, -2);
        var (bx, by) = inverse.Apply(x, y);

        Assert.Equal(3.5, bx, 9);
        Assert.Equal(-2, by, 9);
    }

    [Fact]
    public void After_applies_the_first_map_then_this_one()
    {
        var scale = Affine2D.Scale(2, 3);
        var shift = new Affine2D(1, 0, 0, 1, 10, 20);

        Assert.Equal((12.0, 23.0), shift.After(scale).Apply(1, 1));
        Assert.Equal((22.0, 63.0), scale.After(shift).Apply(1, 1));
    }

    [Fact]
    public void A_singular_map_has_no_inverse() =>
        Assert.Throws<InvalidOperationException>(() => new Affine2D(1, 2, 2, 4, 0, 0).Invert());
}
