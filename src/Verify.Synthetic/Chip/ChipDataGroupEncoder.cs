using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Verify.Documents.Chip;

namespace Verify.Synthetic.Chip;

/// <summary>Writes chip data groups and the LDS security object as ICAO Doc 9303 part 10 lays them out.</summary>
internal static class ChipDataGroupEncoder
{
    public const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>DG1: 0x61 around 0x5F1F, the MRZ lines written as one string.</summary>
    public static byte[] Dg1(IEnumerable<string> mrzLines)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(LdsTags.Dg1))
        {
            writer.WriteOctetString(System.Text.Encoding.ASCII.GetBytes(string.Concat(mrzLines)), LdsTags.Mrz);
        }

        return writer.Encode();
    }

    /// <summary>DG2: one biometric information template around a 19794-5 facial record of <paramref name="face"/>.</summary>
    public static byte[] Dg2(ChipFaceImage face) => Dg2FromRecord(FacialRecord(face));

    /// <summary>DG2 around any biometric data block (for malformed records in tests).</summary>
    public static byte[] Dg2FromRecord(byte[] record, int count = 1)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(LdsTags.Dg2))
        using (writer.PushSequence(LdsTags.BiometricGroup))
        {
            writer.WriteInteger(count);
            using (writer.PushSequence(LdsTags.BiometricTemplate))
            {
                using (writer.PushSequence(LdsTags.BiometricHeader))
                {
                    writer.WriteOctetString([0x01, 0x01], new Asn1Tag(TagClass.ContextSpecific, 0)); // patron header version 1.1
                    writer.WriteOctetString([0x02], new Asn1Tag(TagClass.ContextSpecific, 1)); // biometric type: facial features
                    writer.WriteOctetString([0x01, 0x01], new Asn1Tag(TagClass.ContextSpecific, 7)); // format owner: ISO/IEC JTC1 SC37
                    writer.WriteOctetString([0x00, 0x08], new Asn1Tag(TagClass.ContextSpecific, 8)); // format type: 19794-5
                }

                writer.WriteOctetString(record, LdsTags.BiometricData);
            }
        }

        return writer.Encode();
    }

    /// <summary>An ISO/IEC 19794-5:2005 facial record with one face, no feature points, and the image as given.</summary>
    public static byte[] FacialRecord(ChipFaceImage face)
    {
        var blockLength = LdsTags.FacialInformationLength + LdsTags.ImageInformationLength + face.Image.Length;
        var record = new byte[LdsTags.FacialRecordHeaderLength + blockLength];
        var span = record.AsSpan();
        LdsTags.FacialRecordFormat.CopyTo(span);
        LdsTags.FacialRecordVersion.CopyTo(span[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)record.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], 1);
        var block = span[LdsTags.FacialRecordHeaderLength..];
        BinaryPrimitives.WriteUInt32BigEndian(block, (uint)blockLength);
        // Feature points 0; gender, eye and hair colour, feature mask, expression and pose all "unspecified" (zero).
        var image = block[LdsTags.FacialInformationLength..];
        image[0] = 1; // face image type: full frontal
        image[1] = face.Format == ChipImageFormat.Jpeg ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteUInt16BigEndian(image[2..], checked((ushort)face.Width));
        BinaryPrimitives.WriteUInt16BigEndian(image[4..], checked((ushort)face.Height));
        image[6] = 1; // colour space: 24-bit RGB
        image[7] = 2; // source type: digital camera
        face.Image.CopyTo(image[LdsTags.ImageInformationLength..]);
        return record;
    }

    /// <summary>LDSSecurityObject v0 with the given data group hashes.</summary>
    public static byte[] LdsSecurityObject(string hashAlgorithmOid, IReadOnlyDictionary<int, byte[]> hashes)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(hashAlgorithmOid);
            }

            using (writer.PushSequence())
            {
                foreach (var (group, hash) in hashes.OrderBy(pair => pair.Key))
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteInteger(group);
                        writer.WriteOctetString(hash);
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>The SHA-256 hashes of DG1 and DG2, as a genuine SOD signs them.</summary>
    public static Dictionary<int, byte[]> Sha256Hashes(byte[] dg1, byte[] dg2) =>
        new() { [1] = SHA256.HashData(dg1), [2] = SHA256.HashData(dg2) };

    /// <summary>0x77 around a CMS ContentInfo.</summary>
    public static byte[] SodTemplate(byte[] contentInfo)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(LdsTags.Sod))
        {
            writer.WriteEncodedValue(contentInfo);
        }

        return writer.Encode();
    }
}
