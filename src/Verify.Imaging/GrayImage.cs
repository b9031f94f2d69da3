using System.Buffers;

namespace Verify.Imaging;

/// <summary>An 8-bit single-channel image whose buffer is rented from a pool and returned, wiped, on dispose.</summary>
/// <remarks>Exactly one owner disposes it; rows are tightly packed (stride = width).</remarks>
public sealed class GrayImage : IDisposable
{
    private byte[]? _buffer;

    private GrayImage(int width, int height, byte[] buffer)
    {
        Width = width;
        Height = height;
        _buffer = buffer;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The pixels, row by row.</summary>
    public Span<byte> Pixels => (_buffer ?? throw new ObjectDisposedException(nameof(GrayImage))).AsSpan(0, Width * Height);

    /// <summary>Allocates an image with uninitialised pixels from the shared pool.</summary>
    public static GrayImage Allocate(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} image does not fit in one buffer.");
        }

        return new GrayImage(width, height, ArrayPool<byte>.Shared.Rent(width * height));
    }

    /// <summary>The luma (BT.601 weights, fixed point) of an RGB image.</summary>
    public static GrayImage FromRgb(RgbImage rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        var gray = Allocate(rgb.Width, rgb.Height);
        var source = rgb.Pixels;
        var target = gray.Pixels;
        for (int i = 0, j = 0; i < target.Length; i++, j += 3)
        {
            target[i] = (byte)((source[j] * 77 + source[j + 1] * 150 + source[j + 2] * 29 + 128) >> 8);
        }

        return gray;
    }

    /// <summary>A smaller copy, each pixel the mean of a <paramref name="factor"/> x <paramref name="factor"/> block (edges partial).</summary>
    public GrayImage Downsample(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        int width = (Width + factor - 1) / factor, height = (Height + factor - 1) / factor;
        var target = Allocate(width, height);
        var sums = new int[width];
        var counts = new int[width];
        var source = Pixels;
        var output = target.Pixels;
        for (int y = 0; y < height; y++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            for (int row = y * factor; row < Math.Min(Height, (y + 1) * factor); row++)
            {
                var line = source.Slice(row * Width, Width);
                for (int x = 0; x < Width; x++)
                {
                    sums[x / factor] += line[x];
                    counts[x / factor]++;
                }
            }

            for (int x = 0; x < width; x++)
            {
                output[(y * width) + x] = (byte)((sums[x] + (counts[x] / 2)) / counts[x]);
            }
        }

        return target;
    }

    /// <summary>One row of pixels.</summary>
    public Span<byte> Row(int y) => Pixels.Slice(y * Width, Width);

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            // Document pixels are personal data: wipe before the buffer goes back to the shared pool.
            Array.Clear(buffer, 0, Width * Height);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
