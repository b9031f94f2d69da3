using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Verify.Data.Entities;
using Verify.Imaging;
using Verify.Pipeline.Liveness;
using Verify.Pipeline.Submissions;

namespace Verify.Api.Verifications;

/// <summary>
/// Reads and checks a multipart submission: fields, consent, and every image by its bytes (format sniffed from magic
/// bytes, never from the name or declared type; fully decoded, so truncated or corrupt images and pixel bombs are
/// refused here, before anything is stored). Returns the submission, or the problem to answer with.
/// </summary>
internal sealed partial class SubmissionReader(ImageDecoder decoder, IOptions<UploadOptions> options)
{
    public const int MaxSelfieFrames = 5;

    private static readonly string[] FileFields = ["document_front", "document_back", "selfie", "selfie_frames"];

    public async Task<Read<Submission>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!request.HasFormContentType || !(request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return Read<Submission>.Refuse(Problems.NotMultipart());
        }

        if (request.ContentLength > limits.MaxRequestBytes)
        {
            return Read<Submission>.Refuse(Problems.RequestTooLarge(limits.MaxRequestBytes));
        }

        var (form, unreadable) = await ReadFormAsync(request, limits.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return Read<Submission>.Refuse(unreadable!);
        }

        var (fields, invalid) = ReadFields(form);
        if (fields is null)
        {
            return Read<Submission>.Refuse(invalid!);
        }

        var (parts, refused) = SelectParts(form);
        if (parts is null)
        {
            return Read<Submission>.Refuse(refused!);
        }

        var images = new List<SubmittedImage>();
        foreach (var (field, file, kind, sequence) in parts.Files)
        {
            var (bytes, problem) = await ReadImageAsync(field, file, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Read<Submission>.Refuse(problem);
            }

            images.Add(new SubmittedImage(kind, sequence, bytes!));
        }

        return new Submission(fields.SubjectId, fields.TemplateStorage, fields.PolicyVersion, images, parts.Challenge);
    }

    /// <summary>The subject, the consent and the policy version, checked in that order.</summary>
    private static Read<SubmissionFields> ReadFields(IFormCollection form)
    {
        if (Field(form, "subject_id") is not { } subjectId)
        {
            return Read<SubmissionFields>.Refuse(Problems.MissingField("subject_id"));
        }

        if (!SubjectIds.IsValid(subjectId))
        {
            return Read<SubmissionFields>.Refuse(Problems.InvalidField("subject_id", SubjectIds.Rule));
        }

        // No consent, or a consent that is not a plain yes, stops here: nothing is stored.
        if (Field(form, "biometric_processing") is not { } biometric || !bool.TryParse(biometric, out bool consented) || !consented)
        {
            return Read<SubmissionFields>.Refuse(Problems.ConsentRequired());
        }

        bool templateStorage = false;
        if (Field(form, "template_storage") is { } storage && !bool.TryParse(storage, out templateStorage))
        {
            return Read<SubmissionFields>.Refuse(Problems.InvalidField("template_storage", "template_storage is true or false."));
        }

        if (Field(form, "policy_version") is not { } policyVersion)
        {
            return Read<SubmissionFields>.Refuse(Problems.MissingField("policy_version"));
        }

        if (!PolicyVersionPattern().IsMatch(policyVersion))
        {
            return Read<SubmissionFields>.Refuse(Problems.InvalidField("policy_version", "policy_version is 1 to 32 characters of A-Z, a-z, 0-9 and . _ -."));
        }

        return new SubmissionFields(subjectId, templateStorage, policyVersion);
    }

    /// <summary>Which file parts make the submission (document, then the selfie or its frames) and the challenge they answer.</summary>
    private static Read<SubmissionParts> SelectParts(IFormCollection form)
    {
        var files = form.Files;
        if (files.FirstOrDefault(f => !FileFields.Contains(f.Name, StringComparer.Ordinal)) is { } unexpected)
        {
            // The caller chose this name: echoed only short and printable.
            string name = Truncate(unexpected.Name);
            return Read<SubmissionParts>.Refuse(Problems.InvalidField(name, $"'{name}' is not a file field; send document_front, document_back, selfie or selfie_frames."));
        }

        var fronts = files.GetFiles("document_front");
        var backs = files.GetFiles("document_back");
        var selfies = files.GetFiles("selfie");
        var frames = files.GetFiles("selfie_frames");
        if (fronts.Count == 0)
        {
            return Read<SubmissionParts>.Refuse(Problems.MissingField("document_front"));
        }

        if (fronts.Count > 1 || backs.Count > 1 || selfies.Count > 1)
        {
            string field = fronts.Count > 1 ? "document_front" : backs.Count > 1 ? "document_back" : "selfie";
            return Read<SubmissionParts>.Refuse(Problems.InvalidField(field, $"Send one '{field}'."));
        }

        if (selfies.Count == 0 && frames.Count == 0)
        {
            return Read<SubmissionParts>.Refuse(Problems.MissingField("selfie"));
        }

        if (selfies.Count > 0 && frames.Count > 0)
        {
            return Read<SubmissionParts>.Refuse(Problems.InvalidField("selfie_frames", "Send either one selfie or 1 to 5 selfie_frames, not both."));
        }

        if (frames.Count > MaxSelfieFrames)
        {
            return Read<SubmissionParts>.Refuse(Problems.InvalidField("selfie_frames", $"Send at most {MaxSelfieFrames} selfie_frames."));
        }

        string? challenge = null;
        if (form.ContainsKey("liveness_challenge"))
        {
            if (Field(form, "liveness_challenge") is not { } nonce || !LivenessChallenges.IsWellFormed(nonce))
            {
                return Read<SubmissionParts>.Refuse(Problems.InvalidField("liveness_challenge", "liveness_challenge is the nonce from POST /v1/liveness-challenges."));
            }

            if (frames.Count < 2)
            {
                return Read<SubmissionParts>.Refuse(Problems.InvalidField("selfie_frames", "A liveness challenge is answered with 2 to 5 selfie_frames showing the instruction."));
            }

            challenge = nonce;
        }

        var parts = new List<(string Field, IFormFile File, BlobKind Kind, int Sequence)>
        {
            ("document_front", fronts[0], BlobKind.DocumentFront, 0),
        };
        if (backs.Count == 1)
        {
            parts.Add(("document_back", backs[0], BlobKind.DocumentBack, 0));
        }

        parts.AddRange(selfies.Count == 1
            ? [("selfie", selfies[0], BlobKind.Selfie, 0)]
            : frames.Select((frame, index) => ("selfie_frames", frame, BlobKind.Selfie, index)));
        return new SubmissionParts(parts, challenge);
    }

    private sealed record SubmissionFields(string SubjectId, bool TemplateStorage, string PolicyVersion);

    private sealed record SubmissionParts(IReadOnlyList<(string Field, IFormFile File, BlobKind Kind, int Sequence)> Files, string? Challenge);

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
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Read<IFormCollection>.Refuse(Problems.Create(StatusCodes.Status400BadRequest, "malformed_request", "The multipart body could not be read.",
                "The request body is not well-formed multipart/form-data."));
        }
    }

    private async Task<Read<byte[]>> ReadImageAsync(string field, IFormFile file, CancellationToken cancellationToken)
    {
        long limit = options.Value.MaxFileBytes;
        if (file.Length == 0)
        {
            return Read<byte[]>.Refuse(Problems.Create(StatusCodes.Status400BadRequest, "image_empty", "An image is empty.", $"'{field}' has no bytes.", FieldOf(field)));
        }

        if (file.Length > limit)
        {
            return Read<byte[]>.Refuse(Problems.FileTooLarge(field, limit));
        }

        // A declared type is only a hint, but a part that says it is something else than an image is refused.
        if (file.ContentType is { Length: > 0 } declared && !declared.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            && !declared.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return Read<byte[]>.Refuse(Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_content_type", "A part is not declared as an image.",
                $"'{field}' is declared as '{Truncate(declared)}'; send image/* or application/octet-stream.", FieldOf(field)));
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var image = decoder.Decode(bytes);
        }
        catch (ImageDecodeException exception)
        {
            return Read<byte[]>.Refuse(exception.Error switch
            {
                ImageDecodeError.UnsupportedFormat => Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_image_format",
                    "The image format is not supported.",
                    $"'{field}' is not {ImageDecoder.SupportedFormats}{(ImageFormatSniffer.DescribeUnsupported(bytes) is { } what ? $" (it looks like {what})" : "")}.",
                    FieldOf(field)),
                ImageDecodeError.TooLarge => Problems.Create(StatusCodes.Status422UnprocessableEntity, "image_too_large",
                    "The image has too many pixels.", $"'{field}': {exception.Message}", FieldOf(field)),
                ImageDecodeError.Empty => Problems.Create(StatusCodes.Status400BadRequest, "image_empty", "An image is empty.", $"'{field}' has no bytes.", FieldOf(field)),
                ImageDecodeError.Truncated => Problems.Create(StatusCodes.Status400BadRequest, "image_truncated",
                    "The image is truncated.", $"'{field}' ends before the image does; send the whole file.", FieldOf(field)),
                _ => Problems.Create(StatusCodes.Status400BadRequest, "image_corrupt", "The image is damaged.",
                    $"'{field}' could not be decoded as {exception.Format}.", FieldOf(field)),
            });
        }

        return bytes;
    }

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static Dictionary<string, object?> FieldOf(string field) => new() { ["field"] = field };

    // Names chosen by the caller are echoed only in short, printable form.
    private static string Truncate(string text) => new([.. text.Where(c => c is >= ' ' and <= '~').Take(40)]);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex PolicyVersionPattern();
}

/// <summary>What reading (part of) a submission gave: the value, or the problem to answer with.</summary>
internal readonly record struct Read<T>(T? Value, IResult? Problem)
    where T : class
{
    public static implicit operator Read<T>(T value) => Of(value);

    public static Read<T> Of(T value) => new(value, null);

    public static Read<T> Refuse(IResult problem) => new(null, problem);
}
