using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Verify.Api.Verifications;
using Verify.Imaging;

namespace Verify.Api.Uploads;

/// <summary>
/// Reads multipart uploads of images within the upload limits (<see cref="UploadOptions"/>): the form, held in memory so
/// no unencrypted image lands in a temporary file, and each image by its bytes (format sniffed from magic bytes, never
/// from the name or declared type; its header and framing inspected, so empty, unsupported, truncated and oversized
/// images and pixel bombs are refused before anything is stored). Verification submissions and impersonation reports
/// read their parts with it.
/// </summary>
/// <remarks>
/// No image is decoded here: this process faces the internet and holds the API keys, the audit key and the blob key,
/// so the native decoders (the largest attack surface in the service) run only on its headers
/// (<see cref="ImageDecoder.Inspect"/>); the full decode happens in the worker, which takes no inbound connections and
/// ends a verification whose image does not decode as rejected (<c>document_unreadable</c>, <c>selfie_unreadable</c>).
/// In embedded mode the worker runs in this process, so the separation holds only in the distributed deployment.
/// </remarks>
internal sealed class ImageUploadReader(ImageDecoder decoder, IOptions<UploadOptions> options)
{
    /// <summary>The form of a multipart request within the request limit, or the problem to answer with.</summary>
    public async Task<Read<IFormCollection>> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        long limit = options.Value.MaxRequestBytes;
        if (!request.HasFormContentType || !(request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return Read<IFormCollection>.Refuse(Problems.NotMultipart());
        }

        if (request.ContentLength > limit)
        {
            return Read<IFormCollection>.Refuse(Problems.RequestTooLarge(limit));
        }

        return await ReadFormAsync(request, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The problem for the first file part whose name is not one of <paramref name="fields"/>; null when there is none.</summary>
    public static IResult? UnexpectedFile(IFormFileCollection files, IReadOnlyCollection<string> fields, string expected)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.FirstOrDefault(f => !fields.Contains(f.Name, StringComparer.Ordinal)) is not { } unexpected)
        {
            return null;
        }

        // The caller chose this name: echoed only short and printable.
        string name = Truncate(unexpected.Name);
        return Problems.InvalidField(name, $"'{name}' is not a file field; send {expected}.");
    }

    /// <summary>The value of a field sent exactly once and not empty; null otherwise.</summary>
    public static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>The form, held in memory up to the request limit, or the problem when the body is too large or not readable multipart.</summary>
    private static async Task<Read<IFormCollection>> ReadFormAsync(HttpRequest request, long maxRequestBytes, CancellationToken cancellationToken)
    {
        try
        {
            // Held in memory up to the request limit: an unencrypted image never lands in a temporary file.
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = maxRequestBytes;
            }

            var form = await request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = maxRequestBytes,
                MemoryBufferThreshold = (int)Math.Min(int.MaxValue, maxRequestBytes),
                BufferBodyLengthLimit = maxRequestBytes,
                ValueCountLimit = 64,
                ValueLengthLimit = 4096,
            }, cancellationToken).ConfigureAwait(false);
            return Read<IFormCollection>.Of(form);
        }
        catch (InvalidDataException exception) when (exception.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            return Read<IFormCollection>.Refuse(Problems.RequestTooLarge(maxRequestBytes));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Read<IFormCollection>.Refuse(Problems.RequestTooLarge(maxRequestBytes));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel's own minimum data rate (UploadAdmission sets it) tripped before our stream's: the same answer.
            throw new UploadTooSlowException("The request body arrived below the minimum data rate.", exception);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Read<IFormCollection>.Refuse(Problems.Create(StatusCodes.Status400BadRequest, "malformed_request", "The multipart body could not be read.",
                "The request body is not well-formed multipart/form-data."));
        }
    }

    /// <summary>
    /// One image part, checked by its bytes: not empty, within the size limit, not declared as something else than an
    /// image, a supported format whose header is within the pixel limits and whose framing is complete (never decoded
    /// here); or the problem naming its field.
    /// </summary>
    public async Task<Read<byte[]>> ReadImageAsync(string field, IFormFile file, CancellationToken cancellationToken)
    {
        if (LengthProblem(field, file, options.Value.MaxFileBytes, "image_empty", "An image is empty.") is { } wrongLength)
        {
            return Read<byte[]>.Refuse(wrongLength);
        }

        // A declared type is only a hint, but a part that says it is something else than an image is refused.
        if (file.ContentType is { Length: > 0 } declared && !declared.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            && !declared.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return Read<byte[]>.Refuse(Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_content_type", "A part is not declared as an image.",
                $"'{field}' is declared as '{Truncate(declared)}'; send image/* or application/octet-stream.", FieldOf(field)));
        }

        byte[] bytes = await ReadAllAsync(file, cancellationToken).ConfigureAwait(false);
        try
        {
            decoder.Inspect(bytes);
        }
        catch (ImageDecodeException exception)
        {
            return Read<byte[]>.Refuse(ImageProblem(field, exception, bytes, ImageDecoder.SupportedFormats));
        }

        return bytes;
    }

    /// <summary>The problem for an image of <paramref name="field"/> that failed inspection: its error, typed.</summary>
    public static IResult ImageProblem(string field, ImageDecodeException exception, byte[] bytes, string supportedFormats)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Error switch
        {
            ImageDecodeError.UnsupportedFormat => Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_image_format",
                "The image format is not supported.",
                $"'{field}' is not {supportedFormats}{(ImageFormatSniffer.DescribeUnsupported(bytes) is { } what ? $" (it looks like {what})" : "")}.",
                FieldOf(field)),
            ImageDecodeError.TooLarge => Problems.Create(StatusCodes.Status422UnprocessableEntity, "image_too_large",
                "The image has too many pixels.", $"'{field}': {exception.Message}", FieldOf(field)),
            ImageDecodeError.Empty => Problems.Create(StatusCodes.Status400BadRequest, "image_empty", "An image is empty.", $"'{field}' has no bytes.", FieldOf(field)),
            ImageDecodeError.Truncated => Problems.Create(StatusCodes.Status400BadRequest, "image_truncated",
                "The image is truncated.", $"'{field}' ends before the image does; send the whole file.", FieldOf(field)),
            _ => Problems.Create(StatusCodes.Status400BadRequest, "image_corrupt", "The image is damaged.",
                $"'{field}' could not be decoded as {exception.Format}.", FieldOf(field)),
        };
    }

    /// <summary>The problem when a file part is empty (<paramref name="emptyCode"/>, <paramref name="emptyTitle"/>) or over <paramref name="limit"/> bytes; null when neither.</summary>
    public static IResult? LengthProblem(string field, IFormFile file, long limit, string emptyCode, string emptyTitle)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Length == 0 ? Problems.Create(StatusCodes.Status400BadRequest, emptyCode, emptyTitle, $"'{field}' has no bytes.", FieldOf(field))
            : file.Length > limit ? Problems.FileTooLarge(field, limit)
            : null;
    }

    /// <summary>A file part's bytes, read into memory (never a temporary file).</summary>
    public static async Task<byte[]> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return bytes;
    }

    /// <summary>The <c>field</c> extension of a problem.</summary>
    public static Dictionary<string, object?> FieldOf(string field) => new() { ["field"] = field };

    // Names chosen by the caller are echoed only in short, printable form.
    private static string Truncate(string text) => new([.. text.Where(c => c is >= ' ' and <= '~').Take(40)]);
}

/// <summary>What reading (part of) an upload gave: the value, or the problem to answer with.</summary>
internal readonly record struct Read<T>(T? Value, IResult? Problem)
    where T : class
{
    public static implicit operator Read<T>(T value) => Of(value);

    public static Read<T> Of(T value) => new(value, null);

    public static Read<T> Refuse(IResult problem) => new(null, problem);
}
