using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Verify.Imaging.Codecs.OpenJpegNative;

namespace Verify.Imaging.Codecs;

/// <summary>
/// JPEG 2000 encoding through openjpeg 2.5, the library the decoder uses, written to memory; for the synthetic chip
/// data (a DG2 portrait) and tests, never for what the service stores.
/// </summary>
/// <remarks>Thread-safe: each call uses its own codec and stream.</remarks>
public static unsafe class Jpeg2000Encoder
{
    /// <summary>
    /// Encodes an RGB image as a JP2 file (or, with <paramref name="jp2Container"/> false, a raw codestream) at
    /// <paramref name="compressionRatio"/>:1 with the irreversible 9/7 wavelet; a ratio of 1 is lossless (5/3 wavelet).
    /// </summary>
    public static byte[] Encode(RgbImage image, float compressionRatio = 20, bool jp2Container = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        var planes = new Jpeg2000Plane[3];
        var pixels = image.Pixels;
        for (int c = 0; c < 3; c++)
        {
            var samples = new int[image.Width * image.Height];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = pixels[(i * 3) + c];
            }

            planes[c] = new Jpeg2000Plane(samples, image.Width, image.Height);
        }

        return Encode(planes, image.Width, image.Height, ColorSpaceSrgb, compressionRatio, jp2Container);
    }

    /// <summary>
    /// Encodes components as given (precision, sign, subsampling) with the colour space the JP2 colour box will state;
    /// the multiple-component transform is used for three equal sRGB components. Tests use it for the variants a
    /// chip may hold. <paramref name="tileSize"/> 0 keeps one tile.
    /// </summary>
    internal static byte[] Encode(IReadOnlyList<Jpeg2000Plane> planes, int width, int height, int colorSpace, float compressionRatio, bool jp2Container, int tileSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(compressionRatio, 1f);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (planes.Count is not (1 or 3))
        {
            throw new ArgumentException("One or three components.", nameof(planes));
        }

        using var image = CreateImage(planes, width, height, colorSpace);
        using var messages = new OpenJpegMessages();
        using var codec = Compressor(jp2Container, messages);
        var output = new MemoryStream();
        var target = GCHandle.Alloc(output);
        try
        {
            var parameters = new CompressionParameters();
            opj_set_default_encoder_parameters(parameters.Pointer);
            parameters.Check();
            bool lossless = compressionRatio <= 1f;
            parameters.Set(CompressionParameters.LayerCount, 1);
            parameters.Set(CompressionParameters.DistortionAllocation, 1);
            parameters.SetRate(lossless ? 0f : compressionRatio);
            parameters.Set(CompressionParameters.Irreversible, lossless ? 0 : 1);
            int smallest = planes.Min(p => Math.Min(p.Width, p.Height));
            if (tileSize > 0)
            {
                parameters.Set(CompressionParameters.TileSizeOn, 1);
                parameters.Set(CompressionParameters.TileWidth, tileSize);
                parameters.Set(CompressionParameters.TileHeight, tileSize);
                smallest = Math.Min(smallest, tileSize);
            }

            // Each further resolution halves the smallest side once more; openjpeg refuses more than the tiles allow.
            parameters.Set(CompressionParameters.Resolutions, Math.Clamp(BitOperations.Log2((uint)smallest) + 1, 1, 6));
            bool transform = planes.Count == 3 && colorSpace == ColorSpaceSrgb && planes.All(p => p.Dx == 1 && p.Dy == 1);
            parameters.SetByte(CompressionParameters.MultipleComponentTransform, transform ? (byte)1 : (byte)0);

            using var stream = WriteStream(target);
            if (opj_setup_encoder(codec, parameters.Pointer, image) == 0 || opj_start_compress(codec, image, stream) == 0
                || opj_encode(codec, stream) == 0 || opj_end_compress(codec, stream) == 0)
            {
                throw new InvalidOperationException("libopenjp2 could not encode the image: " + messages.Summary);
            }
        }
        finally
        {
            target.Free();
        }

        return output.ToArray();
    }

    private static ImageHandle CreateImage(IReadOnlyList<Jpeg2000Plane> planes, int width, int height, int colorSpace)
    {
        var parameters = stackalloc ComponentParameters[planes.Count];
        for (int c = 0; c < planes.Count; c++)
        {
            var plane = planes[c];
            if (plane.Width != (width + plane.Dx - 1) / plane.Dx || plane.Height != (height + plane.Dy - 1) / plane.Dy
                || plane.Samples.Length != plane.Width * plane.Height || plane.Precision is < 1 or > 16)
            {
                throw new ArgumentException($"Component {c} does not fit a {width}x{height} image.", nameof(planes));
            }

            parameters[c] = new ComponentParameters
            {
                Dx = (uint)plane.Dx,
                Dy = (uint)plane.Dy,
                Width = (uint)plane.Width,
                Height = (uint)plane.Height,
                Precision = (uint)plane.Precision,
                Depth = (uint)plane.Precision,
                Signed = plane.Signed ? 1u : 0u,
            };
        }

        var image = new ImageHandle(opj_image_create((uint)planes.Count, parameters, colorSpace));
        if (image.IsInvalid)
        {
            image.Dispose();
            throw new InvalidOperationException("libopenjp2 could not create an image.");
        }

        var value = image.Value;
        (value->X0, value->Y0, value->X1, value->Y1) = (0, 0, (uint)width, (uint)height);
        for (int c = 0; c < planes.Count; c++)
        {
            planes[c].Samples.CopyTo(new Span<int>(value->Components[c].Data, planes[c].Samples.Length));
        }

        return image;
    }

    /// <summary>
    /// opj_cparameters_t, 18,720 bytes in openjpeg 2.5.0 on 64-bit Linux, held in a larger zeroed block and written
    /// only at the offsets below (from a C program compiled against the 2.5.0 headers). <see cref="Check"/> makes sure
    /// the library's defaults sit where those offsets say, so a library with another layout fails loudly instead of
    /// being handed garbage.
    /// </summary>
    private sealed class CompressionParameters
    {
        public const int TileSizeOn = 0;
        public const int TileWidth = 12;
        public const int TileHeight = 16;
        public const int DistortionAllocation = 20;
        public const int LayerCount = 4796;
        public const int Rates = 4800;
        public const int Resolutions = 5600;
        public const int CodeBlockWidth = 5604;
        public const int CodeBlockHeight = 5608;
        public const int Irreversible = 5616;
        public const int RegionOfInterestComponent = 5620;
        public const int SubsamplingDx = 18196;
        public const int OutputFormat = 18208;
        public const int MultipleComponentTransform = 18698;

        private readonly byte[] _block = GC.AllocateArray<byte>(32 * 1024, pinned: true);

        public void* Pointer => Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_block));

        public void Check()
        {
            if (Get(Resolutions) != 6 || Get(CodeBlockWidth) != 64 || Get(CodeBlockHeight) != 64 || Get(RegionOfInterestComponent) != -1
                || Get(SubsamplingDx) != 1 || Get(OutputFormat) != -1)
            {
                throw new InvalidOperationException($"{Library} does not lay out its encoder parameters as openjpeg 2.5.0 does.");
            }
        }

        public void Set(int offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(_block.AsSpan(offset), value);

        public void SetRate(float rate) => BinaryPrimitives.WriteSingleLittleEndian(_block.AsSpan(Rates), rate);

        public void SetByte(int offset, byte value) => _block[offset] = value;

        private int Get(int offset) => BinaryPrimitives.ReadInt32LittleEndian(_block.AsSpan(offset));
    }
}

/// <summary>One component for <see cref="Jpeg2000Encoder"/>: samples row by row, at 1/Dx by 1/Dy of the image's resolution.</summary>
internal sealed record Jpeg2000Plane(int[] Samples, int Width, int Height, int Precision = 8, bool Signed = false, int Dx = 1, int Dy = 1);
