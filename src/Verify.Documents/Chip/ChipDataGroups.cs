using System.Buffers.Binary;
using System.Formats.Asn1;

namespace Verify.Documents.Chip;

/// <summary>Reads the data groups a phone reads from an ePassport chip: DG1 (the MRZ) and DG2 (the face image).</summary>
/// <remarks>Every fault, a length running past the data included, is a <see cref="ChipDataException"/>.</remarks>
public static class ChipDataGroups
{
    /// <summary>The MRZ in DG1, split into its lines (TD1: 3 x 30, TD2: 2 x 36, TD3: 2 x 44), for <c>MrzParser.Parse</c>.</summary>
    /// <exception cref="ChipDataException">DG1 is malformed or too large.</exception>
    public static IReadOnlyList<string> ReadDg1Mrz(ReadOnlySpan<byte> dg1)
    {
        ChipLimits.Check(dg1, ChipLimits.Dg1Bytes, "DG1");
        byte[] mrz;
        try
        {
            var root = new AsnReader(dg1.ToArray(), AsnEncodingRules.BER);
            var template = root.ReadSequence(LdsTags.Dg1);
            root.ThrowIfNotEmpty();
            mrz = template.ReadOctetString(LdsTags.Mrz);
        }
        catch (AsnContentException)
        {
            throw Dg1Malformed("DG1 is not a 0x61 template holding the MRZ (0x5F1F).");
        }

        var (lines, length) = mrz.Length switch
        {
            90 => (3, 30),
            72 => (2, 36),
            88 => (2, 44),
            _ => throw Dg1Malformed("DG1's MRZ is not 90, 72 or 88 characters long."),
        };
        foreach (var c in mrz)
        {
            if (c is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'<'))
            {
                throw Dg1Malformed("DG1's MRZ holds a character outside the MRZ alphabet.");
            }
        }

        var text = System.Text.Encoding.ASCII.GetString(mrz);
        return Enumerable.Range(0, lines).Select(line => text.Substring(line * length, length)).ToArray();
    }

    /// <summary>The first face image in DG2 (0x75, 0x7F61, 0x7F60, then an ISO/IEC 19794-5 facial record).</summary>
    /// <exception cref="ChipDataException">DG2 is malformed, holds no image, or is too large.</exception>
    public static ChipFaceImage ReadDg2Face(ReadOnlySpan<byte> dg2)
    {
        ChipLimits.Check(dg2, ChipLimits.Dg2Bytes, "DG2");
        ReadOnlyMemory<byte> record;
        try
        {
            var root = new AsnReader(dg2.ToArray(), AsnEncodingRules.BER);
            var template = root.ReadSequence(LdsTags.Dg2);
            root.ThrowIfNotEmpty();
            var group = template.ReadSequence(LdsTags.BiometricGroup);
            if (!group.TryReadInt32(out var count) || count < 1 || !group.HasData)
            {
                throw new ChipDataException(ChipDataError.Dg2NoImage, "DG2 holds no biometric template.");
            }

            var biometric = group.ReadSequence(LdsTags.BiometricTemplate);
            if (biometric.HasData && biometric.PeekTag().HasSameClassAndValue(LdsTags.BiometricHeader))
            {
                biometric.ReadEncodedValue();
            }

            if (!biometric.HasData || !biometric.PeekTag().HasSameClassAndValue(LdsTags.BiometricData))
            {
                throw new ChipDataException(ChipDataError.Dg2NoImage, "DG2's biometric template holds no biometric data block.");
            }

            // 0x5F2E and 0x7F2E alike: the record is the element's contents.
            var block = biometric.ReadEncodedValue();
            AsnDecoder.ReadEncodedValue(block.Span, AsnEncodingRules.BER, out var offset, out var length, out _);
            record = block.Slice(offset, length);
        }
        catch (AsnContentException)
        {
            throw Dg2Malformed("DG2 is not a well-formed biometric template (0x75, 0x7F61, 0x7F60).");
        }

        return ReadFacialRecord(record.Span);
    }

    /// <summary>The first face of an ISO/IEC 19794-5:2005 facial record.</summary>
    private static ChipFaceImage ReadFacialRecord(ReadOnlySpan<byte> record)
    {
        if (record.Length < LdsTags.FacialRecordHeaderLength || !record[..4].SequenceEqual(LdsTags.FacialRecordFormat))
        {
            throw Dg2Malformed("DG2's biometric data is not an ISO/IEC 19794-5 facial record.");
        }

        if (!record[4..8].SequenceEqual(LdsTags.FacialRecordVersion))
        {
            throw Dg2Malformed("DG2's facial record is not of the 19794-5:2005 version ICAO profiles.");
        }

        var recordLength = BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
        var faces = BinaryPrimitives.ReadUInt16BigEndian(record[12..]);
        if (recordLength > (uint)record.Length || recordLength < LdsTags.FacialRecordHeaderLength)
        {
            throw Dg2Malformed("DG2's facial record length does not match its data.");
        }

        if (faces == 0)
        {
            throw new ChipDataException(ChipDataError.Dg2NoImage, "DG2's facial record holds no face.");
        }

        var body = record[LdsTags.FacialRecordHeaderLength..(int)recordLength];
        const int fixedLength = LdsTags.FacialInformationLength + LdsTags.ImageInformationLength;
        if (body.Length < fixedLength)
        {
            throw Dg2Malformed("DG2's facial record ends inside its first face.");
        }

        var blockLength = BinaryPrimitives.ReadUInt32BigEndian(body);
        var featurePoints = BinaryPrimitives.ReadUInt16BigEndian(body[4..]);
        var imageInformation = LdsTags.FacialInformationLength + (featurePoints * LdsTags.FeaturePointLength);
        if (blockLength > (uint)body.Length || blockLength < (uint)(imageInformation + LdsTags.ImageInformationLength))
        {
            throw Dg2Malformed("DG2's face block length does not match its data.");
        }

        var info = body[imageInformation..];
        var format = info[1] switch
        {
            0 => ChipImageFormat.Jpeg,
            1 => ChipImageFormat.Jpeg2000,
            _ => throw Dg2Malformed("DG2's face image is neither JPEG nor JPEG 2000."),
        };
        var width = BinaryPrimitives.ReadUInt16BigEndian(info[2..]);
        var height = BinaryPrimitives.ReadUInt16BigEndian(info[4..]);
        var image = body[(imageInformation + LdsTags.ImageInformationLength)..(int)blockLength];
        if (image.IsEmpty)
        {
            throw new ChipDataException(ChipDataError.Dg2NoImage, "DG2's face block holds no image data.");
        }

        return new ChipFaceImage(format, image.ToArray(), width, height);
    }

    private static ChipDataException Dg1Malformed(string message) => new(ChipDataError.Dg1Malformed, message);

    private static ChipDataException Dg2Malformed(string message) => new(ChipDataError.Dg2Malformed, message);
}
