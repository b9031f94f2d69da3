namespace Verify.Imaging;

/// <summary>A 2-D affine map: x' = A x + B y + Tx, y' = C x + D y + Ty.</summary>
public readonly record struct Affine2D(double A, double B, double C, double D, double Tx, double Ty)
{
    public static Affine2D Identity => new(1, 0, 0, 1, 0, 0);

    /// <summary>Uniform scaling about the origin.</summary>
    public static Affine2D Scale(double sx, double sy) => new(sx, 0, 0, sy, 0, 0);

    /// <summary>The determinant of the linear part (the area scale factor).</summary>
    public double Determinant => (A * D) - (B * C);

    public (double X, double Y) Apply(double x, double y) => ((A * x) + (B * y) + Tx, (C * x) + (D * y) + Ty);

    /// <summary>The inverse map; throws when the map is singular.</summary>
    public Affine2D Invert()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-12)
        {
            throw new InvalidOperationException("The affine map is singular and has no inverse.");
        }

        double a = D / det, b = -B / det, c = -C / det, d = A / det;
        return new Affine2D(a, b, c, d, -((a * Tx) + (b * Ty)), -((c * Tx) + (d * Ty)));
    }

    /// <summary>The map that applies <paramref name="first"/> and then this one.</summary>
    public Affine2D After(Affine2D first) => new(
        (A * first.A) + (B * first.C),
        (A * first.B) + (B * first.D),
        (C * first.A) + (D * first.C),
        (C * first.B) + (D * first.D),
        (A * first.Tx) + (B * first.Ty) + Tx,
        (C * first.Tx) + (D * first.Ty) + Ty);
}
