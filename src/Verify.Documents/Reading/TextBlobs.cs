using System.Buffers;
using Verify.Imaging;

namespace Verify.Documents.Reading;

/// <summary>A connected group of dark pixels: its box, centroid and pixel count.</summary>
internal readonly record struct Blob(float X, float Y, int Left, int Top, int Right, int Bottom, int Area)
{
    public int Width => Right - Left + 1;

    public int Height => Bottom - Top + 1;
}

/// <summary>Dark-on-light text pixels and their connected components, the raw material of MRZ localisation.</summary>
internal static class TextBlobs
{
    /// <summary>
    /// Marks pixels darker than their neighbourhood mean by more than <paramref name="contrast"/> of it
    /// (Bradley's adaptive threshold): local, so glare and shadows move the threshold with them.
    /// </summary>
    public static byte[] DarkMask(GrayImage image, int window, double contrast, int minimumDifference)
    {
        int width = image.Width, height = image.Height;
        var integral = ArrayPool<int>.Shared.Rent((width + 1) * (height + 1));
        try
        {
            IntegralImage(image, integral);
            var mask = new byte[width * height];
            var pixels = image.Pixels;
            int half = window / 2;
            for (int y = 0; y < height; y++)
            {
                int top = Math.Max(0, y - half), bottom = Math.Min(height, y + half + 1);
                for (int x = 0; x < width; x++)
                {
                    int left = Math.Max(0, x - half), right = Math.Min(width, x + half + 1);
                    int count = (bottom - top) * (right - left);
                    long sum = integral[(bottom * (width + 1)) + right] - integral[(top * (width + 1)) + right]
                        - integral[(bottom * (width + 1)) + left] + integral[(top * (width + 1)) + left];
                    long value = pixels[(y * width) + x] * (long)count;
                    if (value < sum * (1 - contrast) && value < sum - ((long)minimumDifference * count))
                    {
                        mask[(y * width) + x] = 1;
                    }
                }
            }

            return mask;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(integral);
        }
    }

    /// <summary>The 8-connected components of a mask (two passes with union-find), those over <paramref name="maximumArea"/> dropped.</summary>
    public static List<Blob> Components(byte[] mask, int width, int height, int maximumArea)
    {
        var labels = ArrayPool<int>.Shared.Rent(width * height);
        // Label 0 is the background; every other label is an element of the sets.
        var sets = new DisjointSets(1);
        try
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int index = (y * width) + x;
                    if (mask[index] == 0)
                    {
                        labels[index] = 0;
                        continue;
                    }

                    int label = 0;
                    // Already-labelled neighbours: left, and the three above.
                    label = Join(sets, label, x > 0 ? labels[index - 1] : 0);
                    if (y > 0)
                    {
                        int above = index - width;
                        label = Join(sets, label, x > 0 ? labels[above - 1] : 0);
                        label = Join(sets, label, labels[above]);
                        label = Join(sets, label, x + 1 < width ? labels[above + 1] : 0);
                    }

                    if (label == 0)
                    {
                        label = sets.Add();
                    }

                    labels[index] = label;
                }
            }

            var boxes = new Accumulator[sets.Count];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int label = labels[(y * width) + x];
                    if (label != 0)
                    {
                        boxes[sets.Find(label)].Add(x, y);
                    }
                }
            }

            var blobs = new List<Blob>();
            foreach (var box in boxes)
            {
                if (box.Area > 0 && box.Area <= maximumArea)
                {
                    blobs.Add(box.ToBlob());
                }
            }

            return blobs;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(labels);
        }
    }

    private static void IntegralImage(GrayImage image, int[] integral)
    {
        int width = image.Width, stride = width + 1;
        Array.Clear(integral, 0, stride);
        var pixels = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            int rowSum = 0;
            integral[(y + 1) * stride] = 0;
            for (int x = 0; x < width; x++)
            {
                rowSum += pixels[(y * width) + x];
                integral[((y + 1) * stride) + x + 1] = integral[(y * stride) + x + 1] + rowSum;
            }
        }
    }

    /// <summary>The label of a pixel whose labelled-so-far is <paramref name="label"/> (0: none yet) and that touches <paramref name="neighbour"/> (0: background).</summary>
    private static int Join(DisjointSets sets, int label, int neighbour) =>
        neighbour == 0 ? label : label == 0 ? sets.Find(neighbour) : sets.Union(label, neighbour);

    private struct Accumulator
    {
        private long _sumX;
        private long _sumY;
        private int _left;
        private int _top;
        private int _right;
        private int _bottom;

        public int Area { get; private set; }

        public void Add(int x, int y)
        {
            if (Area == 0)
            {
                (_left, _top, _right, _bottom) = (x, y, x, y);
            }
            else
            {
                _left = Math.Min(_left, x);
                _right = Math.Max(_right, x);
                _top = Math.Min(_top, y);
                _bottom = Math.Max(_bottom, y);
            }

            _sumX += x;
            _sumY += y;
            Area++;
        }

        public readonly Blob ToBlob() => new((float)_sumX / Area, (float)_sumY / Area, _left, _top, _right, _bottom, Area);
    }
}
