namespace Verify.Imaging;

/// <summary>A projective map of the plane: (x', y') = ((H11 x + H12 y + H13) / w, (H21 x + H22 y + H23) / w), w = H31 x + H32 y + H33.</summary>
public readonly record struct Homography(
    double H11, double H12, double H13,
    double H21, double H22, double H23,
    double H31, double H32, double H33)
{
    public static Homography Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>The homography of an affine map.</summary>
    public static Homography FromAffine(Affine2D affine) => new(affine.A, affine.B, affine.Tx, affine.C, affine.D, affine.Ty, 0, 0, 1);

    public (double X, double Y) Apply(double x, double y)
    {
        double w = (H31 * x) + (H32 * y) + H33;
        return (((H11 * x) + (H12 * y) + H13) / w, ((H21 * x) + (H22 * y) + H23) / w);
    }

    /// <summary>The map that applies <paramref name="first"/> and then this one.</summary>
    public Homography After(Homography first) => new(
        (H11 * first.H11) + (H12 * first.H21) + (H13 * first.H31),
        (H11 * first.H12) + (H12 * first.H22) + (H13 * first.H32),
        (H11 * first.H13) + (H12 * first.H23) + (H13 * first.H33),
        (H21 * first.H11) + (H22 * first.H21) + (H23 * first.H31),
        (H21 * first.H12) + (H22 * first.H22) + (H23 * first.H32),
        (H21 * first.H13) + (H22 * first.H23) + (H23 * first.H33),
        (H31 * first.H11) + (H32 * first.H21) + (H33 * first.H31),
        (H31 * first.H12) + (H32 * first.H22) + (H33 * first.H32),
        (H31 * first.H13) + (H32 * first.H23) + (H33 * first.H33));

    /// <summary>The inverse map (the adjugate, which needs no normalisation); throws when the map is singular.</summary>
    public Homography Invert()
    {
        double c11 = (H22 * H33) - (H23 * H32), c12 = (H13 * H32) - (H12 * H33), c13 = (H12 * H23) - (H13 * H22);
        double c21 = (H23 * H31) - (H21 * H33), c22 = (H11 * H33) - (H13 * H31), c23 = (H13 * H21) - (H11 * H23);
        double c31 = (H21 * H32) - (H22 * H31), c32 = (H12 * H31) - (H11 * H32), c33 = (H11 * H22) - (H12 * H21);
        double det = (H11 * c11) + (H12 * c21) + (H13 * c31);
        if (Math.Abs(det) < 1e-12)
        {
            throw new InvalidOperationException("The homography is singular and has no inverse.");
        }

        return new Homography(c11 / det, c12 / det, c13 / det, c21 / det, c22 / det, c23 / det, c31 / det, c32 / det, c33 / det);
    }

    /// <summary>
    /// The homography that maps each of the four <paramref name="from"/> points onto the matching <paramref name="to"/>
    /// point (direct linear transform with H33 = 1, solved by Gaussian elimination with partial pivoting).
    /// </summary>
    /// <exception cref="ArgumentException">Three of the points are collinear, so no unique map exists.</exception>
    public static Homography FromQuad(ReadOnlySpan<(double X, double Y)> from, ReadOnlySpan<(double X, double Y)> to)
    {
        if (from.Length != 4 || to.Length != 4)
        {
            throw new ArgumentException("A homography is fixed by exactly four point pairs.");
        }

        // Each pair gives two rows of A h = b in the unknowns h11..h32.
        var a = new double[8, 9];
        for (int i = 0; i < 4; i++)
        {
            (double x, double y) = from[i];
            (double u, double v) = to[i];
            double[] rowU = [x, y, 1, 0, 0, 0, -u * x, -u * y, u];
            double[] rowV = [0, 0, 0, x, y, 1, -v * x, -v * y, v];
            for (int c = 0; c < 9; c++)
            {
                a[2 * i, c] = rowU[c];
                a[(2 * i) + 1, c] = rowV[c];
            }
        }

        var h = SolveAugmented(a);
        return new Homography(h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1);
    }

    private static double[] SolveAugmented(double[,] a)
    {
        const int n = 8;
        for (int column = 0; column < n; column++)
        {
            int pivot = column;
            for (int row = column + 1; row < n; row++)
            {
                if (Math.Abs(a[row, column]) > Math.Abs(a[pivot, column]))
                {
                    pivot = row;
                }
            }

            if (Math.Abs(a[pivot, column]) < 1e-12)
            {
                throw new ArgumentException("The points are degenerate (three of them are collinear).");
            }

            for (int c = 0; c <= n; c++)
            {
                (a[column, c], a[pivot, c]) = (a[pivot, c], a[column, c]);
            }

            for (int row = 0; row < n; row++)
            {
                if (row == column)
                {
                    continue;
                }

                double factor = a[row, column] / a[column, column];
                for (int c = column; c <= n; c++)
                {
                    a[row, c] -= factor * a[column, c];
                }
            }
        }

        var solution = new double[n];
        for (int i = 0; i < n; i++)
        {
            solution[i] = a[i, n] / a[i, i];
        }

        return solution;
    }
}
