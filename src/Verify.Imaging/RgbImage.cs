using System.Buffers;

namespace Verify.Imaging;

/// <summary>An 8-bit interleaved RGB image whose pixel buffer is rented from a pool and returned, wiped, on dispose.</summary>
/// <remarks>Exactly one owner disposes it; rows are tightly packed (stride = width * 3).</remarks>
public sealed class RgbImage : IDisposable
{
    private byte[]? _buffer;

    private RgbImage(int width, int height, byte[] buffer)
    {
        Width = width;
        Height = height;
        _buffer = buffer;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * 3;

    /// <summary>Number of bytes of pixel data (width * height * 3).</summary>
    public int Length => Stride * Height;

    /// <summary>The pixels, row by row, R G B per pixel.</summary>
    public Span<byte> Pixels => (_buffer ?? throw new ObjectDisposedException(nameof(RgbImage))).AsSpan(0, Length);

    /// <summary>Allocates an image with uninitialised pixels from the shared pool.</summary>
    public static RgbImage Allocate(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long length = (long)width * height * 3;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} RGB image does not fit in one buffer.");
        }

        return new RgbImage(width, height, ArrayPool<byte>.Shared.Rent((int)length));
    }

    /// <summary>Copies packed RGB pixels into a new pooled image.</summary>
    public static RgbImage FromPixels(int width, int height, ReadOnlySpan<byte> rgb)
    {
        var image = Allocate(width, height);
        if (rgb.Length != image.Length)
        {
            image.Dispose();
            throw new ArgumentException($"Expected {image.Length} bytes for a {width}x{height} RGB image, got {rgb.Length}.", nameof(rgb));
        }

        rgb.CopyTo(image.Pixels);
        return image;
    }

    /// <summary>One row of pixels.</summary>
    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    /// <summary>Copies a rectangle (clipped to the image) into a new image.</summary>
    public RgbImage Crop(int x, int y, int width, int height)
    {
        int left = Math.Clamp(x, 0, Width - 1);
        int top = Math.Clamp(y, 0, Height - 1);
        int right = Math.Clamp(x + width, left + 1, Width);
        int bottom = Math.Clamp(y + height, top + 1, Height);
        var crop = Allocate(right - left, bottom - top);
        for (int row = top; row < bottom; row++)
        {
            Row(row).Slice(left * 3, crop.Stride).CopyTo(crop.Row(row - top));
        }

        return crop;
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            // Cleared on return: the pixels are of ID documents and faces, and the pool is shared by the process.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
