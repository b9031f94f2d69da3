namespace Verify.Imaging;

/// <summary>Why an image could not be decoded; stable values that callers map to user-facing errors.</summary>
public enum ImageDecodeError
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>Not one of the supported formats (the message says what it looks like, when known).</summary>
    UnsupportedFormat,

    /// <summary>The data ends before the image does.</summary>
    Truncated,

    /// <summary>The data is damaged or not valid for its format.</summary>
    Corrupt,

    /// <summary>The dimensions exceed the configured limits; nothing was decoded.</summary>
    TooLarge,
}

/// <summary>Thrown when an image cannot be decoded; <see cref="Error"/> says why.</summary>
public sealed class ImageDecodeException(ImageDecodeError error, ImageFormat format, string message)
    : Exception(message)
{
    public ImageDecodeError Error { get; } = error;

    /// <summary>The format sniffed from the bytes, or <see cref="ImageFormat.Unknown"/>.</summary>
    public ImageFormat Format { get; } = format;
}
