using System.Formats.Asn1;

namespace Verify.Documents.Chip;

/// <summary>The BER-TLV tags of the ICAO Doc 9303 part 10 data groups and of the data they hold.</summary>
public static class LdsTags
{
    /// <summary>0x61: the DG1 template.</summary>
    public static readonly Asn1Tag Dg1 = new(TagClass.Application, 1, isConstructed: true);

    /// <summary>0x5F1F: the MRZ data element in DG1.</summary>
    public static readonly Asn1Tag Mrz = new(TagClass.Application, 31);

    /// <summary>0x75: the DG2 template.</summary>
    public static readonly Asn1Tag Dg2 = new(TagClass.Application, 21, isConstructed: true);

    /// <summary>0x7F61: the biometric information group template.</summary>
    public static readonly Asn1Tag BiometricGroup = new(TagClass.Application, 97, isConstructed: true);

    /// <summary>0x7F60: one biometric information template.</summary>
    public static readonly Asn1Tag BiometricTemplate = new(TagClass.Application, 96, isConstructed: true);

    /// <summary>0xA1: the biometric header template.</summary>
    public static readonly Asn1Tag BiometricHeader = new(TagClass.ContextSpecific, 1, isConstructed: true);

    /// <summary>0x5F2E: the biometric data block.</summary>
    public static readonly Asn1Tag BiometricData = new(TagClass.Application, 46);

    /// <summary>0x7F2E: the biometric data block, constructed (enciphered) form.</summary>
    public static readonly Asn1Tag BiometricDataConstructed = new(TagClass.Application, 46, isConstructed: true);

    /// <summary>0x77: the SOD template, around the CMS ContentInfo.</summary>
    public static readonly Asn1Tag Sod = new(TagClass.Application, 23, isConstructed: true);

    /// <summary>id-icao-mrtd-security-ldsSecurityObject: the SOD's signed content type.</summary>
    public const string LdsSecurityObjectOid = "2.23.136.1.1.1";

    /// <summary>id-icao-cscaMasterList: an ICAO master list's signed content type.</summary>
    public const string CscaMasterListOid = "2.23.136.1.1.2";

    /// <summary>"FAC\0": the format identifier of an ISO/IEC 19794-5 facial record.</summary>
    public static ReadOnlySpan<byte> FacialRecordFormat => "FAC\0"u8;

    /// <summary>"010\0": the 19794-5:2005 version that ICAO Doc 9303 profiles.</summary>
    public static ReadOnlySpan<byte> FacialRecordVersion => "010\0"u8;

    /// <summary>Bytes of the facial record header: format, version, record length (4), number of faces (2).</summary>
    public const int FacialRecordHeaderLength = 14;

    /// <summary>Bytes of a facial information block before its feature points.</summary>
    public const int FacialInformationLength = 20;

    /// <summary>Bytes of one feature point.</summary>
    public const int FeaturePointLength = 8;

    /// <summary>Bytes of the image information that follows the feature points.</summary>
    public const int ImageInformationLength = 12;
}
