using Verify.Api.Uploads;
using Verify.Pipeline.Impersonation;

namespace Verify.Api.ImpersonationReports;

/// <summary>
/// Reads and checks a multipart impersonation report: the reported account's id, the claimed subject's id and 1 to
/// <see cref="MaxImages"/> images, each checked by its bytes like a verification's (<see cref="ImageUploadReader"/>).
/// Returns the report, or the problem to answer with.
/// </summary>
internal sealed class ReportReader(ImageUploadReader uploads)
{
    public const int MaxImages = 10;

    private const string ImagesField = "images";

    private static readonly string[] FileFields = [ImagesField];

    public async Task<Read<ReportSubmission>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (form, unreadable) = await uploads.ReadFormAsync(request, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return Read<ReportSubmission>.Refuse(unreadable!);
        }

        var (reported, badReported) = OpaqueId(form, "reported_account_id");
        if (reported is null)
        {
            return Read<ReportSubmission>.Refuse(badReported!);
        }

        var (claimed, badClaimed) = OpaqueId(form, "claimed_subject_id");
        if (claimed is null)
        {
            return Read<ReportSubmission>.Refuse(badClaimed!);
        }

        if (ImageUploadReader.UnexpectedFile(form.Files, FileFields, $"1 to {MaxImages} '{ImagesField}'") is { } unexpected)
        {
            return Read<ReportSubmission>.Refuse(unexpected);
        }

        var files = form.Files.GetFiles(ImagesField);
        if (files.Count == 0)
        {
            return Read<ReportSubmission>.Refuse(Problems.MissingField(ImagesField, $"Send 1 to {MaxImages} images of the reported account as '{ImagesField}'."));
        }

        if (files.Count > MaxImages)
        {
            return Read<ReportSubmission>.Refuse(Problems.InvalidField(ImagesField, $"Send at most {MaxImages} '{ImagesField}'; this request has {files.Count}."));
        }

        var images = new List<byte[]>(files.Count);
        foreach (var file in files)
        {
            var (bytes, problem) = await uploads.ReadImageAsync(ImagesField, file, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Read<ReportSubmission>.Refuse(problem);
            }

            images.Add(bytes!);
        }

        return new ReportSubmission(reported.Value, claimed.Value, images);
    }

    /// <summary>A required field holding an opaque id of the platform (the rule of subject ids), or the problem naming it.</summary>
    private static Read<OpaqueValue> OpaqueId(IFormCollection form, string field) =>
        ImageUploadReader.Field(form, field) switch
        {
            null => Read<OpaqueValue>.Refuse(Problems.MissingField(field)),
            { } value when !SubjectIds.IsValid(value) => Read<OpaqueValue>.Refuse(Problems.InvalidField(field, SubjectIds.RuleFor(field))),
            { } value => new OpaqueValue(value),
        };

    /// <summary>A checked id (Read holds reference types).</summary>
    private sealed record OpaqueValue(string Value);
}
