using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>Owns one TurboJPEG compressor or decompressor (not thread-safe, so one per call).</summary>
internal sealed partial class TurboJpegHandle : SafeHandle
{
    public TurboJpegHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Creates a decompressor.</summary>
    public static TurboJpegHandle Decompressor() => Check(tjInitDecompress(), "decompressor");

    /// <summary>Creates a compressor.</summary>
    public static TurboJpegHandle Compressor() => Check(tjInitCompress(), "compressor");

    /// <summary>The message of the last error on this handle.</summary>
    public string LastError() => Marshal.PtrToStringUTF8(tjGetErrorStr2(this)) ?? "unknown error";

    protected override bool ReleaseHandle() => tjDestroy(handle) == 0;

    private static TurboJpegHandle Check(TurboJpegHandle created, string what)
    {
        if (created.IsInvalid)
        {
            created.Dispose();
            throw new InvalidOperationException($"libturbojpeg could not create a {what}.");
        }

        return created;
    }

    [LibraryImport(JpegCodec.Library)]
    private static partial TurboJpegHandle tjInitDecompress();

    [LibraryImport(JpegCodec.Library)]
    private static partial TurboJpegHandle tjInitCompress();

    [LibraryImport(JpegCodec.Library)]
    private static partial int tjDestroy(IntPtr handle);

    [LibraryImport(JpegCodec.Library)]
    private static partial IntPtr tjGetErrorStr2(TurboJpegHandle handle);
}
