using static Verify.Imaging.Codecs.OpenJpegNative;

namespace Verify.Imaging.Codecs;

/// <summary>
/// Turns openjpeg's decoded components (32-bit samples of any precision, signed or not, possibly subsampled) into 8-bit
/// RGB: grey is copied to the three channels, sYCC and e-sYCC go through the full-range BT.601 inverse, and a
/// subsampled component is upsampled by taking the sample whose cell covers the pixel.
/// </summary>
internal static unsafe class Jpeg2000Pixels
{
    public static RgbImage ToRgb(Image* image, int width, int height)
    {
        uint count = image->ComponentCount;
        if (count is not (1 or 3) || image->Components == null)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, ImageFormat.Jpeg2000,
                $"The decoded JPEG 2000 image has {count} components; only grey and colour (1 or 3) are supported.");
        }

        var planes = new Plane[count];
        for (int c = 0; c < count; c++)
        {
            planes[c] = Plane.Of(image, c, width, height);
        }

        var rgb = RgbImage.Allocate(width, height);
        try
        {
            if (count == 1)
            {
                Grey(planes[0], rgb);
            }
            else if (IsYcc(image, planes))
            {
                Ycc(planes, rgb);
            }
            else
            {
                Rgb(planes, rgb);
            }

            return rgb;
        }
        catch
        {
            rgb.Dispose();
            throw;
        }
    }

    /// <summary>
    /// sYCC and e-sYCC as the JP2 colour box states them; a raw codestream states nothing, and one whose chroma is
    /// subsampled is taken for YCC, as only YCC is subsampled in practice.
    /// </summary>
    private static bool IsYcc(Image* image, Plane[] planes) => image->ColorSpace switch
    {
        ColorSpaceSycc or ColorSpaceEycc => true,
        ColorSpaceUnspecified => planes[0].Dx == 1 && planes[0].Dy == 1 && (planes[1].Dx > 1 || planes[1].Dy > 1),
        _ => false,
    };

    private static void Grey(Plane grey, RgbImage rgb)
    {
        for (int y = 0; y < rgb.Height; y++)
        {
            var row = rgb.Row(y);
            for (int x = 0; x < rgb.Width; x++)
            {
                byte value = grey.Byte(x, y);
                row[x * 3] = value;
                row[(x * 3) + 1] = value;
                row[(x * 3) + 2] = value;
            }
        }
    }

    private static void Rgb(Plane[] planes, RgbImage rgb)
    {
        for (int y = 0; y < rgb.Height; y++)
        {
            var row = rgb.Row(y);
            for (int x = 0; x < rgb.Width; x++)
            {
                row[x * 3] = planes[0].Byte(x, y);
                row[(x * 3) + 1] = planes[1].Byte(x, y);
                row[(x * 3) + 2] = planes[2].Byte(x, y);
            }
        }
    }

    private static void Ycc(Plane[] planes, RgbImage rgb)
    {
        for (int y = 0; y < rgb.Height; y++)
        {
            var row = rgb.Row(y);
            for (int x = 0; x < rgb.Width; x++)
            {
                double luma = planes[0].Unit(x, y);
                double blue = planes[1].Centred(x, y);
                double red = planes[2].Centred(x, y);
                row[x * 3] = ToByte(luma + (1.402 * red));
                row[(x * 3) + 1] = ToByte(luma - (0.344136 * blue) - (0.714136 * red));
                row[(x * 3) + 2] = ToByte(luma + (1.772 * blue));
            }
        }
    }

    private static byte ToByte(double unit) => (byte)Math.Clamp(Math.Round(unit * 255), 0, 255);

    /// <summary>One decoded component: its samples and how the image's pixels map onto them.</summary>
    private readonly struct Plane
    {
        private readonly int* _data;
        private readonly int _width;
        private readonly long _offset;
        private readonly long _maximum;
        private readonly int[] _columns;
        private readonly int[] _rows;

        private Plane(int* data, int width, long offset, long maximum, int[] columns, int[] rows, uint dx, uint dy)
        {
            _data = data;
            (_width, _offset, _maximum, _columns, _rows, Dx, Dy) = (width, offset, maximum, columns, rows, dx, dy);
        }

        public uint Dx { get; }

        public uint Dy { get; }

        public static Plane Of(Image* image, int index, int width, int height)
        {
            var component = image->Components[index];
            if (component.Data == null || component.Width == 0 || component.Height == 0 || component.Dx == 0 || component.Dy == 0
                || component.Width > int.MaxValue || component.Height > int.MaxValue || component.Precision is < 1 or > 31)
            {
                throw new ImageDecodeException(ImageDecodeError.Corrupt, ImageFormat.Jpeg2000,
                    "The JPEG 2000 data is corrupt (openjpeg returned a component without samples).");
            }

            // A sample sits at every Dx-th point of the reference grid; the pixel at grid point g takes sample
            // floor(g / Dx) - (the component's first sample), clamped to the samples there are.
            var columns = new int[width];
            for (int x = 0; x < width; x++)
            {
                columns[x] = (int)Math.Clamp(((image->X0 + (long)x) / component.Dx) - component.X0, 0, component.Width - 1);
            }

            var rows = new int[height];
            for (int y = 0; y < height; y++)
            {
                rows[y] = (int)Math.Clamp(((image->Y0 + (long)y) / component.Dy) - component.Y0, 0, component.Height - 1);
            }

            // Signed samples are centred on zero: shifting by half the range makes them unsigned like the others.
            long offset = component.Signed != 0 ? 1L << ((int)component.Precision - 1) : 0;
            return new Plane(component.Data, (int)component.Width, offset, (1L << (int)component.Precision) - 1, columns, rows, component.Dx, component.Dy);
        }

        /// <summary>The sample for pixel (x, y) as a fraction of its range, 0 to 1.</summary>
        public double Unit(int x, int y) => Sample(x, y) / (double)_maximum;

        /// <summary>The sample for pixel (x, y) less the middle of its range, as a fraction of the range (chroma, -0.5 to 0.5).</summary>
        public double Centred(int x, int y) => (Sample(x, y) - ((_maximum + 1) / 2)) / (double)_maximum;

        /// <summary>The sample for pixel (x, y) scaled to 8 bits, rounded.</summary>
        public byte Byte(int x, int y) => (byte)(((Sample(x, y) * 255) + (_maximum / 2)) / _maximum);

        private long Sample(int x, int y) => Math.Clamp(_data[((long)_rows[y] * _width) + _columns[x]] + _offset, 0, _maximum);
    }
}
