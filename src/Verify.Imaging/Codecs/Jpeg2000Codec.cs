using static Verify.Imaging.Codecs.OpenJpegNative;

namespace Verify.Imaging.Codecs;

/// <summary>
/// JPEG 2000 (JP2 files and raw codestreams, as ePassport chips hold the holder's portrait) through openjpeg 2.5.
/// Grey and three-component images of any precision, signed or not, with subsampled components upsampled; sYCC and
/// e-sYCC are converted to RGB. An ICC profile is not applied: the samples are taken as sRGB.
/// </summary>
/// <remarks>
/// Before openjpeg sees the data, the managed reader (<see cref="Jpeg2000Framing"/>) takes the stated size to the size
/// check and refuses codestreams whose main header declares more tiles, packets or code-blocks than any real image
/// needs, and those whose tile-part headers change the coding style; openjpeg's own header read comes second, and its
/// decode last. Each call has its own codec, stream and messages.
/// </remarks>
internal sealed unsafe class Jpeg2000Codec : IImageCodec
{
    // opj_dparameters_t is 8,252 bytes in openjpeg 2.5.0; the defaults are written into a larger zeroed block, so a
    // later version that grows the structure cannot write past it. No field is changed from the defaults.
    private const int DecoderParametersBytes = 16 * 1024;

    public ImageFormat Format => ImageFormat.Jpeg2000;

    public (int Width, int Height, string? Unsupported) ReadSize(ReadOnlySpan<byte> data)
    {
        var header = CheckHeader(data, check: null);
        fixed (byte* bytes = data)
        {
            var source = new MemorySource { Data = bytes, Length = data.Length };
            using var messages = new OpenJpegMessages();
            using var codec = Decompressor(header.Jp2, messages);
            using var stream = ReadStream(&source);
            using var image = ReadHeader(codec, stream, messages, data);
            (int width, int height) = Size(image.Value);
            return (width, height, Unsupported(image.Value));
        }
    }

    public RgbImage Decode(ReadOnlySpan<byte> data, SizeCheck check)
    {
        var header = CheckHeader(data, check);
        fixed (byte* bytes = data)
        {
            var source = new MemorySource { Data = bytes, Length = data.Length };
            using var messages = new OpenJpegMessages();
            using var codec = Decompressor(header.Jp2, messages);
            using var stream = ReadStream(&source);
            using var image = ReadHeader(codec, stream, messages, data);
            (int width, int height) = Size(image.Value);
            check(width, height);
            if (Unsupported(image.Value) is { } unsupported)
            {
                throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, Format, unsupported);
            }

            if (opj_decode(codec, stream, image) == 0 || opj_end_decompress(codec, stream) == 0)
            {
                throw Failure(data, messages, "decoding");
            }

            return Jpeg2000Pixels.ToRgb(image.Value, width, height);
        }
    }

    /// <summary>
    /// The managed header read: the stated size through <paramref name="check"/> (the JP2 image header's and the
    /// codestream's), then the work the main header declares and the tile-part headers' coding styles. Nothing native
    /// has run yet.
    /// </summary>
    private static Jpeg2000Header CheckHeader(ReadOnlySpan<byte> data, SizeCheck? check)
    {
        var header = Jpeg2000Framing.ReadHeader(data);
        check?.Invoke(header.Width, header.Height);
        if (header.Codestream is not { } main)
        {
            throw Jpeg2000Framing.Truncated(Jpeg2000Framing.Truncation(data) ?? "it ends before the codestream's main header");
        }

        check?.Invoke(main.Width, main.Height);
        if (main.Components is not (1 or 3))
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, ImageFormat.Jpeg2000,
                $"JPEG 2000 images with {main.Components} components are not supported; only grey and colour (1 or 3).");
        }

        if (main.Tiles > Jpeg2000Framing.MaxTiles)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge, ImageFormat.Jpeg2000,
                $"The JPEG 2000 image is split into {main.Tiles} tiles; the limit is {Jpeg2000Framing.MaxTiles}.");
        }

        if (main.Packets > Jpeg2000Framing.MaxPackets)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge, ImageFormat.Jpeg2000,
                $"The JPEG 2000 codestream declares about {main.Packets:0.###e0} packets ({main.Layers} quality layers); " +
                $"the limit is {Jpeg2000Framing.MaxPackets:0.###e0}.");
        }

        if (main.CodeBlocks > Jpeg2000Framing.MaxCodeBlocks)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge, ImageFormat.Jpeg2000,
                $"The JPEG 2000 codestream declares about {main.CodeBlocks:0.###e0} code-blocks; the limit is {Jpeg2000Framing.MaxCodeBlocks:0.###e0}.");
        }

        // openjpeg reads tile-part headers only in its decode, after these caps: one that changes the coding style is
        // refused here, whether or not the decode would reach it.
        if (Jpeg2000Framing.TilePartCodingStyle(data) is { } marker)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, ImageFormat.Jpeg2000,
                $"JPEG 2000 codestreams that change the coding style in a tile-part header ({marker}) are not supported; " +
                "it belongs in the main header.");
        }

        return header;
    }

    private ImageHandle ReadHeader(CodecHandle codec, StreamHandle stream, OpenJpegMessages messages, ReadOnlySpan<byte> data)
    {
        byte* parameters = stackalloc byte[DecoderParametersBytes];
        new Span<byte>(parameters, DecoderParametersBytes).Clear();
        opj_set_default_decoder_parameters(parameters);
        // Strict: a codestream cut inside its tiles is an error, not a partly grey picture. One thread: the service
        // runs decodes in parallel already.
        if (opj_setup_decoder(codec, parameters) == 0 || opj_decoder_set_strict_mode(codec, 1) == 0 || opj_codec_set_threads(codec, 1) == 0)
        {
            throw new InvalidOperationException("libopenjp2 could not set up a decompressor: " + messages.Summary);
        }

        Image* image = null;
        bool read = opj_read_header(stream, codec, &image) != 0;
        var handle = new ImageHandle(image);
        if (!read || image == null)
        {
            handle.Dispose();
            throw Failure(data, messages, "reading the header of");
        }

        return handle;
    }

    private static (int Width, int Height) Size(Image* image) =>
        ((int)Math.Min(image->X1 - (long)image->X0, int.MaxValue), (int)Math.Min(image->Y1 - (long)image->Y0, int.MaxValue));

    /// <summary>Why the header describes an image this codec does not turn into RGB, else null.</summary>
    private static string? Unsupported(Image* image)
    {
        if (image->ComponentCount is not (1 or 3))
        {
            return $"JPEG 2000 images with {image->ComponentCount} components are not supported; only grey and colour (1 or 3).";
        }

        for (int c = 0; c < image->ComponentCount; c++)
        {
            var component = image->Components[c];
            if (component.Precision is < 1 or > 31)
            {
                return $"JPEG 2000 components of {component.Precision} bits are not supported.";
            }
        }

        return null;
    }

    private ImageDecodeException Failure(ReadOnlySpan<byte> data, OpenJpegMessages messages, string stage)
    {
        // The framing tells a cut file from a damaged one: openjpeg's messages do not.
        string? truncated;
        try
        {
            truncated = Jpeg2000Framing.Truncation(data);
        }
        catch (ImageDecodeException)
        {
            truncated = null;
        }

        return truncated is not null
            ? new ImageDecodeException(ImageDecodeError.Truncated, Format, $"The JPEG 2000 data is truncated ({truncated}; {stage} it failed: {messages.Summary}).")
            : new ImageDecodeException(ImageDecodeError.Corrupt, Format, $"The JPEG 2000 data is corrupt ({stage} it failed: {messages.Summary}).");
    }
}
