using System.Buffers.Binary;
using Verify.Imaging;

namespace Verify.Cli.Fuzzing;

/// <summary>
/// Mutates an encoded image the ways that find decoder bugs: bit flips, overwrites with boundary values, truncation,
/// duplication and removal of a whole segment, chunk or box (found by the format's own framing), header dimension
/// tweaks, and splices of two files of the format. One to three mutations are stacked per input; the description
/// names them, so that a failing input can be told apart and replayed with the same seed.
/// </summary>
internal sealed class ImageMutator(ImageFormat format, IReadOnlyList<byte[]> seeds, Random random)
{
    private static readonly uint[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    private static readonly byte[] StartOfCodestream = [0xFF, 0x4F, 0xFF, 0x51];

    private static readonly uint[] Dimensions = [0, 1, 2, 16_383, 16_384, 16_385, 65_535, 65_536, 0x3FFF, 0x7FFFFFFF, 0xFFFFFFFF];

    public (byte[] Input, string Mutation) Next()
    {
        byte[] data = [.. seeds[random.Next(seeds.Count)]];
        int count = 1 + random.Next(3);
        var names = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            (data, string name) = random.Next(7) switch
            {
                0 => FlipBits(data),
                1 => Overwrite(data),
                2 => Truncate(data),
                3 => DuplicateSegment(data),
                4 => RemoveSegment(data),
                5 => TweakDimensions(data),
                _ => Splice(data),
            };
            names.Add(name);
        }

        return (data, string.Join('+', names));
    }

    private (byte[], string) FlipBits(byte[] data)
    {
        int flips = 1 + random.Next(8);
        for (int i = 0; i < flips && data.Length > 0; i++)
        {
            data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
        }

        return (data, "bit_flips");
    }

    private (byte[], string) Overwrite(byte[] data)
    {
        int width = 1 << random.Next(3);
        if (data.Length < width)
        {
            return (data, "overwrite");
        }

        uint value = Interesting[random.Next(Interesting.Length)];
        Write(data, random.Next(data.Length - width + 1), width, value, bigEndian: random.Next(2) == 0);
        return (data, "overwrite");
    }

    private (byte[], string) Truncate(byte[] data) => (data[..random.Next(data.Length)], "truncation");

    private (byte[], string) DuplicateSegment(byte[] data)
    {
        var segments = Segments(data);
        if (segments.Count == 0)
        {
            return (data, "duplicate_segment");
        }

        var (start, length) = segments[random.Next(segments.Count)];
        return ([.. data.AsSpan(0, start + length), .. data.AsSpan(start, length), .. data.AsSpan(start + length)], "duplicate_segment");
    }

    private (byte[], string) RemoveSegment(byte[] data)
    {
        var segments = Segments(data);
        if (segments.Count == 0)
        {
            return (data, "remove_segment");
        }

        var (start, length) = segments[random.Next(segments.Count)];
        return ([.. data.AsSpan(0, start), .. data.AsSpan(start + length)], "remove_segment");
    }

    private (byte[], string) Splice(byte[] data)
    {
        byte[] other = seeds[random.Next(seeds.Count)];
        int cut = random.Next(data.Length + 1);
        int from = random.Next(other.Length + 1);
        return ([.. data.AsSpan(0, cut), .. other.AsSpan(from)], "splice");
    }

    /// <summary>Rewrites the width or height in the format's header (and, for PNG, the IHDR's CRC so that it is believed).</summary>
    private (byte[], string) TweakDimensions(byte[] data)
    {
        uint value = random.Next(3) == 0 ? (uint)random.Next(1, 100_000) : Dimensions[random.Next(Dimensions.Length)];
        bool height = random.Next(2) == 0;
        switch (format)
        {
            case ImageFormat.Jpeg when Segments(data).FirstOrDefault(s => IsStartOfFrame(data[s.Start + 1])) is { Length: >= 9 } frame:
                Write(data, frame.Start + (height ? 5 : 7), 2, value, bigEndian: true);
                break;
            case ImageFormat.Png when data.Length >= 33:
                Write(data, height ? 20 : 16, 4, value, bigEndian: true);
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(29), Crc32.Of(data.AsSpan(12, 17)));
                break;
            case ImageFormat.WebP when data.Length >= 30:
                // VP8X: 24-bit canvas size minus one; VP8: 14-bit sizes after the start code; VP8L: packed 14-bit sizes.
                string chunk = System.Text.Encoding.ASCII.GetString(data, 12, 4);
                int offset = chunk switch { "VP8X" => height ? 27 : 24, "VP8 " => height ? 28 : 26, _ => 21 };
                Write(data, offset, chunk == "VP8X" ? 3 : 2, value, bigEndian: false);
                break;
            case ImageFormat.Heic when data.AsSpan().IndexOf("ispe"u8) is var ispe and >= 0 && ispe + 16 <= data.Length:
                Write(data, ispe + (height ? 12 : 8), 4, value, bigEndian: true);
                break;
            case ImageFormat.Jpeg2000:
                // The JP2 image header (height first) and the codestream's SIZ (Xsiz, Ysiz), whichever the file has.
                if (data.AsSpan().IndexOf("ihdr"u8) is var ihdr and >= 0)
                {
                    Write(data, ihdr + (height ? 4 : 8), 4, value, bigEndian: true);
                }

                if (data.AsSpan().IndexOf(StartOfCodestream) is var siz and >= 0)
                {
                    Write(data, siz + (height ? 12 : 8), 4, value, bigEndian: true);
                }

                break;
        }

        return (data, "dimensions");
    }

    /// <summary>
    /// The format's units (offset and length): JPEG segments before the scan, PNG chunks, RIFF chunks, ISO boxes (top
    /// level and inside meta), JP2 boxes (top level and inside jp2h) and a raw codestream's main header segments.
    /// </summary>
    private List<(int Start, int Length)> Segments(byte[] data)
    {
        var segments = new List<(int Start, int Length)>();
        switch (format)
        {
            case ImageFormat.Jpeg:
                for (int position = 2; position + 4 <= data.Length && data[position] == 0xFF && data[position + 1] != 0xDA;)
                {
                    int length = 2 + BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position + 2));
                    if (position + length > data.Length)
                    {
                        break;
                    }

                    segments.Add((position, length));
                    position += length;
                }

                break;
            case ImageFormat.Png:
                Walk(data, 8, data.Length, segments, p => 12L + BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(p)));
                break;
            case ImageFormat.WebP:
                Walk(data, 12, data.Length, segments, p => 8L + BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(p + 4)));
                break;
            case ImageFormat.Jpeg2000 when data.Length >= 4 && data[0] == 0xFF && data[1] == 0x4F:
                // Marker segments from SIZ up to the first tile-part (FF90).
                for (int position = 2; position + 4 <= data.Length && data[position] == 0xFF && data[position + 1] != 0x90;)
                {
                    int length = 2 + BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position + 2));
                    if (position + length > data.Length)
                    {
                        break;
                    }

                    segments.Add((position, length));
                    position += length;
                }

                break;
            default:
                Walk(data, 0, data.Length, segments, p => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(p)));
                string inner = format == ImageFormat.Jpeg2000 ? "jp2h" : "meta";
                int header = format == ImageFormat.Jpeg2000 ? 8 : 12;
                if (segments.FirstOrDefault(s => data.AsSpan(s.Start + 4, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(inner))) is var box && box.Length > header)
                {
                    Walk(data, box.Start + header, box.Start + box.Length, segments, p => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(p)));
                }

                break;
        }

        return segments;
    }

    private static void Walk(byte[] data, int position, int end, List<(int Start, int Length)> segments, Func<int, long> lengthAt)
    {
        while (position + 8 <= end)
        {
            long length = lengthAt(position);
            if (length < 8 || position + length > end)
            {
                return;
            }

            segments.Add((position, (int)length));
            position += (int)length;
        }
    }

    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static void Write(byte[] data, int offset, int width, uint value, bool bigEndian)
    {
        if (offset < 0 || offset + width > data.Length)
        {
            return;
        }

        for (int i = 0; i < width; i++)
        {
            int shift = 8 * (bigEndian ? width - 1 - i : i);
            data[offset + i] = (byte)(value >> shift);
        }
    }
}
