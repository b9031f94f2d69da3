using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Verify.Imaging.Codecs;

/// <summary>
/// The part of openjpeg 2.5's API (Debian's libopenjp2-7) that the JPEG 2000 codec and encoder use: codecs, memory
/// streams through callbacks (no temporary files), images, and the message handlers, which collect openjpeg's errors
/// for the exception instead of letting them reach a console.
/// </summary>
/// <remarks>None of these objects is thread-safe; every call creates its own codec, stream and image.</remarks>
internal static unsafe partial class OpenJpegNative
{
    public const string Library = "libopenjp2.so.7";

    public const int CodecJ2k = 0;
    public const int CodecJp2 = 2;

    public const int ColorSpaceUnknown = -1;
    public const int ColorSpaceUnspecified = 0;
    public const int ColorSpaceSrgb = 1;
    public const int ColorSpaceGray = 2;
    public const int ColorSpaceSycc = 3;
    public const int ColorSpaceEycc = 4;

    /// <summary>Bytes openjpeg buffers between the stream and its callbacks.</summary>
    private const int StreamBuffer = 64 * 1024;

    /// <summary>A reader over pinned memory; lives on the caller's stack for the duration of the decode.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>opj_image_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0;
        public uint Y0;
        public uint X1;
        public uint Y1;
        public uint ComponentCount;
        public int ColorSpace;
        public ImageComponent* Components;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    /// <summary>opj_image_comp_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponent
    {
        public uint Dx;
        public uint Dy;
        public uint Width;
        public uint Height;
        public uint X0;
        public uint Y0;
        public uint Precision;
        public uint Depth;
        public uint Signed;
        public uint DecodedResolutions;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }

    /// <summary>opj_image_cmptparm_t, what <c>opj_image_create</c> takes per component.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ComponentParameters
    {
        public uint Dx;
        public uint Dy;
        public uint Width;
        public uint Height;
        public uint X0;
        public uint Y0;
        public uint Precision;
        public uint Depth;
        public uint Signed;
    }

    /// <summary>Creates a decompressor for a JP2 file or a raw codestream, its messages routed to <paramref name="messages"/>.</summary>
    public static CodecHandle Decompressor(bool jp2, OpenJpegMessages messages) =>
        Attach(opj_create_decompress(jp2 ? CodecJp2 : CodecJ2k), messages, "decompressor");

    /// <summary>Creates a compressor writing a JP2 file or a raw codestream.</summary>
    public static CodecHandle Compressor(bool jp2, OpenJpegMessages messages) =>
        Attach(opj_create_compress(jp2 ? CodecJp2 : CodecJ2k), messages, "compressor");

    /// <summary>An input stream over <paramref name="source"/>, which must stay pinned (and alive) while the stream is used.</summary>
    public static StreamHandle ReadStream(MemorySource* source)
    {
        var stream = Created(opj_stream_create(StreamBuffer, 1), "stream");
        opj_stream_set_user_data(stream, source, null);
        opj_stream_set_user_data_length(stream, (ulong)source->Length);
        opj_stream_set_read_function(stream, &Read);
        opj_stream_set_skip_function(stream, &SkipRead);
        opj_stream_set_seek_function(stream, &SeekRead);
        return stream;
    }

    /// <summary>An output stream into the <see cref="MemoryStream"/> that <paramref name="target"/> holds (the JP2 writer seeks back to fill in box lengths).</summary>
    public static StreamHandle WriteStream(GCHandle target)
    {
        var stream = Created(opj_stream_create(StreamBuffer, 0), "stream");
        opj_stream_set_user_data(stream, (void*)GCHandle.ToIntPtr(target), null);
        opj_stream_set_write_function(stream, &Write);
        opj_stream_set_skip_function(stream, &SkipWrite);
        opj_stream_set_seek_function(stream, &SeekWrite);
        return stream;
    }

    private static CodecHandle Attach(CodecHandle codec, OpenJpegMessages messages, string what)
    {
        Created(codec, what);
        void* client = (void*)messages.Client;
        opj_set_error_handler(codec, &OpenJpegMessages.OnError, client);
        opj_set_warning_handler(codec, &OpenJpegMessages.OnWarning, client);
        opj_set_info_handler(codec, &OpenJpegMessages.OnInfo, client);
        return codec;
    }

    private static T Created<T>(T handle, string what)
        where T : SafeHandle
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidOperationException($"libopenjp2 could not create a {what}.");
        }

        return handle;
    }

    // The stream callbacks. (OPJ_SIZE_T)-1 from a read and -1 from a skip mean the end of the stream; a skip must never
    // answer 0 for a positive request, or openjpeg asks again for ever.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Read(void* buffer, nuint count, void* user)
    {
        var source = (MemorySource*)user;
        long left = source->Length - source->Position;
        if (left <= 0)
        {
            return nuint.MaxValue;
        }

        long length = (long)Math.Min((ulong)left, count);
        Buffer.MemoryCopy(source->Data + source->Position, buffer, length, length);
        source->Position += length;
        return (nuint)length;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long SkipRead(long count, void* user)
    {
        var source = (MemorySource*)user;
        if (count < 0 ? source->Position + count < 0 : source->Position >= source->Length)
        {
            return -1;
        }

        long skipped = Math.Min(count, source->Length - source->Position);
        source->Position += skipped;
        return skipped;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SeekRead(long position, void* user)
    {
        var source = (MemorySource*)user;
        if (position < 0 || position > source->Length)
        {
            return 0;
        }

        source->Position = position;
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Write(void* buffer, nuint count, void* user)
    {
        try
        {
            var target = (MemoryStream)GCHandle.FromIntPtr((IntPtr)user).Target!;
            target.Write(new ReadOnlySpan<byte>(buffer, checked((int)count)));
            return count;
        }
        catch (Exception exception) when (exception is OverflowException or IOException or NotSupportedException)
        {
            return nuint.MaxValue;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long SkipWrite(long count, void* user)
    {
        var target = (MemoryStream)GCHandle.FromIntPtr((IntPtr)user).Target!;
        if (count < 0 || target.Position + count > int.MaxValue)
        {
            return -1;
        }

        target.Position += count;
        return count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SeekWrite(long position, void* user)
    {
        var target = (MemoryStream)GCHandle.FromIntPtr((IntPtr)user).Target!;
        if (position < 0 || position > int.MaxValue)
        {
            return 0;
        }

        target.Position = position;
        return 1;
    }

    /// <summary>Owns an opj_codec_t.</summary>
    public sealed class CodecHandle : SafeHandle
    {
        public CodecHandle()
            : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            opj_destroy_codec(handle);
            return true;
        }
    }

    /// <summary>Owns an opj_stream_t (not the memory it reads or writes).</summary>
    public sealed class StreamHandle : SafeHandle
    {
        public StreamHandle()
            : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            opj_stream_destroy(handle);
            return true;
        }
    }

    /// <summary>Owns an opj_image_t and its component buffers.</summary>
    public sealed class ImageHandle : SafeHandle
    {
        public ImageHandle()
            : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public ImageHandle(Image* image)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle((IntPtr)image);

        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>The image structure; valid while this handle is.</summary>
        public Image* Value => (Image*)handle;

        protected override bool ReleaseHandle()
        {
            opj_image_destroy(handle);
            return true;
        }
    }

    [LibraryImport(Library)]
    private static partial CodecHandle opj_create_decompress(int format);

    [LibraryImport(Library)]
    private static partial CodecHandle opj_create_compress(int format);

    [LibraryImport(Library)]
    private static partial void opj_destroy_codec(IntPtr codec);

    [LibraryImport(Library)]
    private static partial int opj_set_error_handler(CodecHandle codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    private static partial int opj_set_warning_handler(CodecHandle codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    private static partial int opj_set_info_handler(CodecHandle codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    public static partial void opj_set_default_decoder_parameters(void* parameters);

    [LibraryImport(Library)]
    public static partial int opj_setup_decoder(CodecHandle codec, void* parameters);

    [LibraryImport(Library)]
    public static partial int opj_decoder_set_strict_mode(CodecHandle codec, int strict);

    [LibraryImport(Library)]
    public static partial int opj_codec_set_threads(CodecHandle codec, int threads);

    [LibraryImport(Library)]
    public static partial int opj_read_header(StreamHandle stream, CodecHandle codec, Image** image);

    [LibraryImport(Library)]
    public static partial int opj_decode(CodecHandle codec, StreamHandle stream, ImageHandle image);

    [LibraryImport(Library)]
    public static partial int opj_end_decompress(CodecHandle codec, StreamHandle stream);

    [LibraryImport(Library)]
    public static partial void opj_set_default_encoder_parameters(void* parameters);

    [LibraryImport(Library)]
    public static partial int opj_setup_encoder(CodecHandle codec, void* parameters, ImageHandle image);

    [LibraryImport(Library)]
    public static partial int opj_start_compress(CodecHandle codec, ImageHandle image, StreamHandle stream);

    [LibraryImport(Library)]
    public static partial int opj_encode(CodecHandle codec, StreamHandle stream);

    [LibraryImport(Library)]
    public static partial int opj_end_compress(CodecHandle codec, StreamHandle stream);

    [LibraryImport(Library)]
    public static partial Image* opj_image_create(uint components, ComponentParameters* parameters, int colorSpace);

    [LibraryImport(Library)]
    private static partial void opj_image_destroy(IntPtr image);

    [LibraryImport(Library)]
    private static partial StreamHandle opj_stream_create(nuint bufferSize, int isInput);

    [LibraryImport(Library)]
    private static partial void opj_stream_destroy(IntPtr stream);

    [LibraryImport(Library)]
    private static partial void opj_stream_set_user_data(StreamHandle stream, void* data, void* free);

    [LibraryImport(Library)]
    private static partial void opj_stream_set_user_data_length(StreamHandle stream, ulong length);

    [LibraryImport(Library)]
    private static partial void opj_stream_set_read_function(StreamHandle stream, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint> read);

    [LibraryImport(Library)]
    private static partial void opj_stream_set_write_function(StreamHandle stream, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint> write);

    [LibraryImport(Library)]
    private static partial void opj_stream_set_skip_function(StreamHandle stream, delegate* unmanaged[Cdecl]<long, void*, long> skip);

    [LibraryImport(Library)]
    private static partial void opj_stream_set_seek_function(StreamHandle stream, delegate* unmanaged[Cdecl]<long, void*, int> seek);
}

/// <summary>
/// Collects what openjpeg reports during one call (its first errors and warnings, as text; never pixel data), so that
/// nothing reaches stdout or stderr and the exception can say why. One per call: it is the handlers' client data.
/// </summary>
internal sealed unsafe class OpenJpegMessages : IDisposable
{
    private const int Kept = 4;
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];
    private GCHandle _self;

    public OpenJpegMessages() => _self = GCHandle.Alloc(this);

    /// <summary>The pointer handed to openjpeg as the handlers' client data.</summary>
    public IntPtr Client => GCHandle.ToIntPtr(_self);

    /// <summary>The first errors and warnings, joined for an exception message.</summary>
    public string Summary => _errors.Count + _warnings.Count == 0 ? "no message from openjpeg" : string.Join("; ", _errors.Concat(_warnings));

    public void Dispose()
    {
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void OnError(byte* message, void* client) => Keep(message, client, warning: false);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void OnWarning(byte* message, void* client) => Keep(message, client, warning: true);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void OnInfo(byte* message, void* client)
    {
        // Progress and marker notes: dropped.
    }

    private static void Keep(byte* message, void* client, bool warning)
    {
        if (client == null || GCHandle.FromIntPtr((IntPtr)client).Target is not OpenJpegMessages messages)
        {
            return;
        }

        var list = warning ? messages._warnings : messages._errors;
        if (list.Count < Kept && Marshal.PtrToStringUTF8((IntPtr)message) is { } text)
        {
            // openjpeg's messages are short texts about markers and lengths, with a trailing newline.
            list.Add(text.Length > 200 ? text[..200] : text.TrimEnd());
        }
    }
}
