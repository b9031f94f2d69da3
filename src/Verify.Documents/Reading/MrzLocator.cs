using Verify.Documents.Mrz;
using Verify.Imaging;

namespace Verify.Documents.Reading;

/// <summary>One MRZ line found in an image: its axis from the first to the last character, and its character pitch.</summary>
/// <remarks>Coordinates are in the image the locator was given; start to end is the reading direction if the document is upright.</remarks>
internal readonly record struct MrzLineGeometry(double StartX, double StartY, double EndX, double EndY, double Pitch, int Characters)
{
    public double Length => Math.Sqrt(((EndX - StartX) * (EndX - StartX)) + ((EndY - StartY) * (EndY - StartY)));

    public MrzLineGeometry Reversed() => new(EndX, EndY, StartX, StartY, Pitch, Characters);

    public MrzLineGeometry Scaled(double factor) =>
        new(StartX * factor, StartY * factor, EndX * factor, EndY * factor, Pitch * factor, Characters);
}

/// <summary>
/// Where the MRZ lies: its lines in reading order, the text direction, and how much other text lies
/// above and below it (an MRZ sits at the bottom of its page, which settles the 180 degree ambiguity).
/// </summary>
internal sealed record MrzBand(IReadOnlyList<MrzLineGeometry> Lines, double AngleDegrees, int TextAbove, int TextBelow)
{
    /// <summary>The same band read the other way round: the document turned by 180 degrees.</summary>
    public MrzBand Turned() => new([.. Lines.Reverse().Select(line => line.Reversed())], (AngleDegrees + 180) % 360, TextBelow, TextAbove);

    /// <summary>Whether the page layout says this reading direction is upright.</summary>
    public bool LooksUpright => TextAbove >= TextBelow;
}

/// <summary>
/// Finds the machine readable zone in a photo of a document at any rotation: character-like blobs, the
/// dominant text direction from nearest-neighbour links, chains of evenly spaced characters along it, and
/// the two or three long, parallel, evenly pitched chains that make an MRZ.
/// </summary>
/// <remarks>
/// Over 300 lines on purpose: one geometric algorithm whose steps (direction, chains, merging, grouping, the band)
/// share the blob order and thresholds tuned together; split, a reader would chase one computation through files.
/// </remarks>
internal static class MrzLocator
{
    private const int MinimumLineCharacters = 18;

    public static MrzBand? Locate(GrayImage image)
    {
        var blobs = CharacterBlobs(image);
        if (blobs.Length < MinimumLineCharacters * 2)
        {
            return null;
        }

        double angle = TextDirection(blobs);
        var chains = Chains(blobs, angle);
        var lines = MergeCollinear(chains).Where(line => line.Count >= MinimumLineCharacters && line.IsEvenlyPitched).ToList();
        var group = BestGroup(lines);
        if (group is null)
        {
            return null;
        }

        return ToBand(group, blobs, angle);
    }

    /// <summary>The dominant direction of text lines in the image, 0-180 degrees (the reading direction is this or its opposite); null without enough text.</summary>
    public static double? TextAngle(GrayImage image)
    {
        var blobs = CharacterBlobs(image);
        return blobs.Length < 20 ? null : TextDirection(blobs);
    }

    /// <summary>Dark blobs of character size and shape: between 5 pixels and a twelfth of the image, not too thin or sparse.</summary>
    private static Blob[] CharacterBlobs(GrayImage image)
    {
        int longSide = Math.Max(image.Width, image.Height);
        var mask = TextBlobs.DarkMask(image, window: Math.Max(15, (longSide / 40) | 1), contrast: 0.12, minimumDifference: 10);
        int maximumSize = Math.Max(12, longSide / 12);
        return TextBlobs.Components(mask, image.Width, image.Height, maximumSize * maximumSize)
            .Where(IsCharacterLike(maximumSize))
            .ToArray();
    }

    private static Func<Blob, bool> IsCharacterLike(int maximumSize) => blob =>
    {
        int size = Math.Max(blob.Width, blob.Height);
        return size >= 5 && size <= maximumSize && blob.Area >= 0.1 * blob.Width * blob.Height
            && Math.Min(blob.Width, blob.Height) * 6 >= size;
    };

    private static double Size(Blob blob) => Math.Max(blob.Width, blob.Height);

    /// <summary>
    /// The direction (0-180 degrees) of the links between each character and its nearest similar neighbour, counted
    /// only where a third similar blob continues the link on the other side: text runs in lines, while the fragments
    /// of a guilloche or a photo have nearest neighbours in every direction.
    /// </summary>
    private static double TextDirection(Blob[] blobs)
    {
        var order = blobs.OrderBy(blob => blob.X).ToArray();
        var histogram = new double[180];
        for (int i = 0; i < order.Length; i++)
        {
            var blob = order[i];
            double reach = 2.2 * Size(blob);
            int nearest = Nearest(order, i, blob.X, blob.Y, reach, exclude: -1);
            if (nearest < 0)
            {
                continue;
            }

            double dx = order[nearest].X - blob.X, dy = order[nearest].Y - blob.Y;
            double step = Math.Sqrt((dx * dx) + (dy * dy));
            int opposite = Nearest(order, i, blob.X - dx, blob.Y - dy, 0.35 * step, exclude: nearest);
            if (opposite >= 0)
            {
                double angle = Math.Atan2(dy, dx) * 180 / Math.PI;
                histogram[(int)Math.Floor((angle + 360) % 180) % 180] += 1;
            }
        }

        int peak = 0;
        double peakWeight = -1;
        for (int bin = 0; bin < 180; bin++)
        {
            double weight = 0;
            for (int offset = -2; offset <= 2; offset++)
            {
                weight += histogram[(bin + offset + 180) % 180] * (3 - Math.Abs(offset));
            }

            if (weight > peakWeight)
            {
                (peak, peakWeight) = (bin, weight);
            }
        }

        // Centre of mass around the peak, for a sub-degree estimate.
        double sum = 0, total = 0;
        for (int offset = -3; offset <= 3; offset++)
        {
            double weight = histogram[(peak + offset + 180) % 180];
            sum += (peak + offset + 0.5) * weight;
            total += weight;
        }

        return total > 0 ? sum / total : peak;
    }

    /// <summary>The blob of similar size to order[index] nearest to (x, y) within <paramref name="reach"/>, or -1.</summary>
    private static int Nearest(Blob[] order, int index, double x, double y, double reach, int exclude)
    {
        var blob = order[index];
        int found = -1;
        double best = reach * reach;
        int start = LowerBound(order, x - reach);
        for (int j = start; j < order.Length && order[j].X <= x + reach; j++)
        {
            if (j == index || j == exclude)
            {
                continue;
            }

            var other = order[j];
            double ratio = Size(other) / Size(blob);
            double dx = other.X - x, dy = other.Y - y, distance = (dx * dx) + (dy * dy);
            if (ratio is < 0.5 or > 2 || distance > best || (other.X == blob.X && other.Y == blob.Y))
            {
                continue;
            }

            (best, found) = (distance, j);
        }

        return found;
    }

    private static int LowerBound(Blob[] order, double x)
    {
        int low = 0, high = order.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (order[middle].X < x)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Links each character to its next neighbour along the text direction and returns the linked chains.</summary>
    private static List<TextLine> Chains(Blob[] blobs, double angle)
    {
        double radians = angle * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        var u = new double[blobs.Length];
        var v = new double[blobs.Length];
        for (int i = 0; i < blobs.Length; i++)
        {
            u[i] = (blobs[i].X * cos) + (blobs[i].Y * sin);
            v[i] = (-blobs[i].X * sin) + (blobs[i].Y * cos);
        }

        var order = Enumerable.Range(0, blobs.Length).OrderBy(i => u[i]).ToArray();
        var sets = new DisjointSets(blobs.Length);
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k], next = -1;
            double size = Size(blobs[i]), best = double.MaxValue;
            for (int m = k + 1; m < order.Length && u[order[m]] - u[i] <= 2.0 * size; m++)
            {
                int j = order[m];
                double du = u[j] - u[i], dv = Math.Abs(v[j] - v[i]), ratio = Size(blobs[j]) / size;
                if (du < 0.2 * size || dv > 0.35 * Math.Max(size, Size(blobs[j])) || ratio is < 0.45 or > 2.2)
                {
                    continue;
                }

                double cost = du + (3 * dv);
                if (cost < best)
                {
                    (best, next) = (cost, j);
                }
            }

            if (next >= 0)
            {
                sets.Union(i, next);
            }
        }

        return order.GroupBy(sets.Find)
            .Where(group => group.Count() >= 6)
            .Select(group => new TextLine([.. group.Select(i => (u[i], v[i], i))]))
            .ToList();
    }

    /// <summary>Joins chains that lie on one line with a gap (glare or a merged run of fillers breaks a line into pieces).</summary>
    private static List<TextLine> MergeCollinear(List<TextLine> chains)
    {
        var lines = chains.OrderByDescending(chain => chain.Count).ToList();
        bool merged = true;
        while (merged)
        {
            merged = false;
            for (int a = 0; a < lines.Count && !merged; a++)
            {
                for (int b = a + 1; b < lines.Count && !merged; b++)
                {
                    var (first, second) = (lines[a], lines[b]);
                    double pitch = Math.Max(first.Pitch, second.Pitch);
                    double gap = Math.Max(second.Start - first.End, first.Start - second.End);
                    double offset = Math.Abs(first.VAt(second.Middle) - second.VAt(second.Middle));
                    if (gap < 8 * pitch && gap > -pitch && offset < 0.4 * pitch && first.Pitch / second.Pitch is > 0.7 and < 1.43)
                    {
                        lines[a] = new TextLine([.. first.Members, .. second.Members]);
                        lines.RemoveAt(b);
                        merged = true;
                    }
                }
            }
        }

        return lines;
    }

    /// <summary>The two or three adjacent, parallel lines of similar length and pitch with the most characters.</summary>
    private static List<TextLine>? BestGroup(List<TextLine> lines)
    {
        var sorted = lines.OrderBy(line => line.VAt(line.Middle)).ToList();
        List<TextLine>? best = null;
        double bestScore = 0;
        for (int start = 0; start < sorted.Count; start++)
        {
            var group = new List<TextLine> { sorted[start] };
            for (int next = start + 1; next < sorted.Count && group.Count < 3; next++)
            {
                if (Continues(group[^1], sorted[next]))
                {
                    group.Add(sorted[next]);
                }
            }

            if (group.Count < 2)
            {
                continue;
            }

            double score = group.Sum(line => line.Count * line.Pitch);
            if (score > bestScore)
            {
                (best, bestScore) = (group, score);
            }
        }

        return best;
    }

    private static bool Continues(TextLine upper, TextLine lower)
    {
        double pitch = (upper.Pitch + lower.Pitch) / 2;
        double spacing = lower.VAt(lower.Middle) - upper.VAt(lower.Middle);
        double overlap = Math.Min(upper.End, lower.End) - Math.Max(upper.Start, lower.Start);
        double shorter = Math.Min(upper.End - upper.Start, lower.End - lower.Start);
        return spacing > 1.1 * pitch && spacing < 3.5 * pitch
            && overlap > 0.6 * shorter
            && upper.Pitch / lower.Pitch is > 0.8 and < 1.25
            && (double)upper.Count / lower.Count is > 0.6 and < 1.67;
    }

    private static MrzBand ToBand(List<TextLine> group, Blob[] blobs, double angle)
    {
        double radians = angle * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        // MRZ lines share their start and end, so the union covers characters that glare hid on one line.
        double start = group.Min(line => line.Start), end = group.Max(line => line.End);
        double pitch = group.Average(line => line.Pitch);
        // Characters next to a dark edge or under glare can go unseen: when the line is a little shorter than an
        // MRZ line length, widen it by the missing characters at both ends and let the reader find the alignment.
        int seen = (int)Math.Round((end - start) / pitch) + 1;
        int missing = MrzLayout.LineLengths.Where(length => length >= seen && length - seen <= 4).Select(length => length - seen)
            .DefaultIfEmpty(0).Min();
        start -= missing * pitch;
        end += missing * pitch;
        var lines = group.Select(line =>
        {
            double v0 = line.VAt(start), v1 = line.VAt(end);
            return new MrzLineGeometry(
                (start * cos) - (v0 * sin), (start * sin) + (v0 * cos),
                (end * cos) - (v1 * sin), (end * sin) + (v1 * cos),
                line.Pitch, line.Count);
        }).ToList();

        var members = group.SelectMany(line => line.Members.Select(member => member.Index)).ToHashSet();
        double top = group[0].VAt((start + end) / 2) - pitch, bottom = group[^1].VAt((start + end) / 2) + pitch;
        double width = end - start;
        int above = 0, below = 0;
        for (int i = 0; i < blobs.Length; i++)
        {
            double u = (blobs[i].X * cos) + (blobs[i].Y * sin), v = (-blobs[i].X * sin) + (blobs[i].Y * cos);
            if (members.Contains(i) || u < start - (0.25 * width) || u > end + (0.25 * width))
            {
                continue;
            }

            if (v < top && v > top - (1.2 * width))
            {
                above++;
            }
            else if (v > bottom && v < bottom + (1.2 * width))
            {
                below++;
            }
        }

        return new MrzBand(lines, angle, above, below);
    }

    /// <summary>Characters along one text line in the rotated frame (u along the text, v across it), with a fitted axis.</summary>
    private sealed class TextLine
    {
        private readonly double _slope;
        private readonly double _intercept;

        public TextLine((double U, double V, int Index)[] members)
        {
            Members = [.. members.OrderBy(member => member.U)];
            Start = Members[0].U;
            End = Members[^1].U;
            Pitch = Members.Length > 1 ? (End - Start) / (Members.Length - 1) : 1;
            (_slope, _intercept) = Fit(Members);
            var gaps = new double[Members.Length - 1];
            for (int i = 1; i < Members.Length; i++)
            {
                gaps[i - 1] = Members[i].U - Members[i - 1].U;
            }

            Array.Sort(gaps);
            double median = gaps.Length > 0 ? gaps[gaps.Length / 2] : 0;
            // An MRZ line has a character (fillers included) in every position, where printed text has word gaps:
            // most gaps must be one pitch, and the characters must cover most of the line's length.
            double coverage = median > 0 ? Members.Length * median / (End - Start + median) : 0;
            IsEvenlyPitched = gaps.Length > 0 && coverage >= 0.78
                && gaps.Count(gap => gap > 0.5 * median && gap < 1.6 * median) >= 0.75 * gaps.Length;
            if (median > 0)
            {
                Pitch = median;
            }
        }

        public (double U, double V, int Index)[] Members { get; }

        public int Count => Members.Length;

        public double Start { get; }

        public double End { get; }

        public double Middle => (Start + End) / 2;

        public double Pitch { get; }

        public bool IsEvenlyPitched { get; }

        public double VAt(double u) => (_slope * u) + _intercept;

        private static (double Slope, double Intercept) Fit((double U, double V, int Index)[] members)
        {
            double meanU = members.Average(m => m.U), meanV = members.Average(m => m.V);
            double covariance = 0, variance = 0;
            foreach (var (u, v, _) in members)
            {
                covariance += (u - meanU) * (v - meanV);
                variance += (u - meanU) * (u - meanU);
            }

            double slope = variance > 0 ? covariance / variance : 0;
            return (slope, meanV - (slope * meanU));
        }
    }
}
