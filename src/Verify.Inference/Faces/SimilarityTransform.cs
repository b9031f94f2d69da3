using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>
/// Least-squares similarity transform (rotation, uniform scale, translation; no reflection or shear)
/// between two sets of corresponding points, the closed form of Umeyama (1991) in two dimensions.
/// </summary>
public static class SimilarityTransform
{
    /// <summary>The map T minimising sum |to_i - T(from_i)|^2, as an <see cref="Affine2D"/> [a -b; b a] + t.</summary>
    public static Affine2D Estimate(IReadOnlyList<FacePoint> from, IReadOnlyList<FacePoint> to)
    {
        if (from.Count != to.Count || from.Count < 2)
        {
            throw new ArgumentException("A similarity transform needs at least two pairs of corresponding points.");
        }

        int n = from.Count;
        double fromX = 0, fromY = 0, toX = 0, toY = 0;
        for (int i = 0; i < n; i++)
        {
            fromX += from[i].X;
            fromY += from[i].Y;
            toX += to[i].X;
            toY += to[i].Y;
        }

        fromX /= n;
        fromY /= n;
        toX /= n;
        toY /= n;

        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double px = from[i].X - fromX, py = from[i].Y - fromY;
            double qx = to[i].X - toX, qy = to[i].Y - toY;
            dot += (px * qx) + (py * qy);
            cross += (px * qy) - (py * qx);
            norm += (px * px) + (py * py);
        }

        if (norm < 1e-12)
        {
            throw new ArgumentException("The source points coincide; no similarity transform is defined.");
        }

        double a = dot / norm, b = cross / norm;
        return new Affine2D(a, -b, b, a, toX - ((a * fromX) - (b * fromY)), toY - ((b * fromX) + (a * fromY)));
    }
}
