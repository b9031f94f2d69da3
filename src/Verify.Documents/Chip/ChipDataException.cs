namespace Verify.Documents.Chip;

/// <summary>Why chip data (DG1, DG2 or the SOD) could not be read.</summary>
public enum ChipDataError
{
    /// <summary>DG1 is not a 0x61 template holding a 0x5F1F MRZ of 90, 72 or 88 MRZ characters.</summary>
    Dg1Malformed,

    /// <summary>DG2 is not a well-formed biometric template with an ISO/IEC 19794-5 facial record.</summary>
    Dg2Malformed,

    /// <summary>DG2 is well formed but holds no face image.</summary>
    Dg2NoImage,

    /// <summary>The SOD is not a 0x77 template holding a CMS SignedData over an LDS security object.</summary>
    SodMalformed,

    /// <summary>A file is larger than <see cref="ChipLimits"/> allows.</summary>
    TooLarge,
}

/// <summary>Chip data that cannot be parsed; the message is fit for an API client and never carries the data.</summary>
public sealed class ChipDataException(ChipDataError error, string message) : Exception(message)
{
    public ChipDataError Error { get; } = error;
}

/// <summary>The largest chip files accepted, far above what real chips hold (DG1 ~ 100 bytes, DG2 ~ 15-30 KiB, SOD ~ 2-4 KiB).</summary>
public static class ChipLimits
{
    public const int Dg1Bytes = 1024;
    public const int Dg2Bytes = 1024 * 1024;
    public const int SodBytes = 64 * 1024;

    internal static void Check(ReadOnlySpan<byte> data, int limit, string file)
    {
        if (data.Length > limit)
        {
            throw new ChipDataException(ChipDataError.TooLarge, $"The chip's {file} is larger than {limit} bytes.");
        }
    }
}
