using System.Text.RegularExpressions;
using Verify.Api.Uploads;
using Verify.Data.Entities;
using Verify.Pipeline.Liveness;
using Verify.Pipeline.Submissions;

namespace Verify.Api.Verifications;

/// <summary>
/// Reads and checks a multipart submission: fields, consent, and every image by its bytes (<see cref="ImageUploadReader"/>).
/// Returns the submission, or the problem to answer with.
/// </summary>
internal sealed partial class SubmissionReader(ImageUploadReader uploads, ChipUploadReader chips)
{
    public const int MaxSelfieFrames = 5;

    // The sequence of a part that is checked but not stored (a document photo sent beside chip data).
    private const int NotKept = -1;

    private static readonly string[] FileFields = ["document_front", "document_back", "selfie", "selfie_frames", .. ChipUploadReader.Fields];

    public async Task<Read<Submission>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (form, unreadable) = await uploads.ReadFormAsync(request, cancellationToken).ConfigureAwait(false);
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

        var (chip, chipRefused) = await chips.ReadAsync(form.Files, cancellationToken).ConfigureAwait(false);
        if (chipRefused is not null)
        {
            return Read<Submission>.Refuse(chipRefused);
        }

        var images = new List<SubmittedImage>();
        foreach (var (field, file, kind, sequence) in parts.Files)
        {
            var (bytes, problem) = await uploads.ReadImageAsync(field, file, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Read<Submission>.Refuse(problem);
            }

            if (sequence != NotKept)
            {
                images.Add(new SubmittedImage(kind, sequence, bytes!));
            }
        }

        if (chip is not null)
        {
            images.AddRange([new SubmittedImage(BlobKind.ChipDg1, 0, chip.Dg1), new SubmittedImage(BlobKind.ChipDg2, 0, chip.Dg2), new SubmittedImage(BlobKind.ChipSod, 0, chip.Sod)]);
        }

        return new Submission(fields.SubjectId, fields.TemplateStorage, fields.PolicyVersion, images, parts.Challenge);
    }

    /// <summary>The subject, the consent and the policy version, checked in that order.</summary>
    private static Read<SubmissionFields> ReadFields(IFormCollection form)
    {
        if (ImageUploadReader.Field(form, "subject_id") is not { } subjectId)
        {
            return Read<SubmissionFields>.Refuse(Problems.MissingField("subject_id"));
        }

        if (!SubjectIds.IsValid(subjectId))
        {
            return Read<SubmissionFields>.Refuse(Problems.InvalidField("subject_id", SubjectIds.Rule));
        }

        // No consent, or a consent that is not a plain yes, stops here: nothing is stored.
        if (ImageUploadReader.Field(form, "biometric_processing") is not { } biometric || !bool.TryParse(biometric, out bool consented) || !consented)
        {
            return Read<SubmissionFields>.Refuse(Problems.ConsentRequired());
        }

        bool templateStorage = false;
        if (ImageUploadReader.Field(form, "template_storage") is { } storage && !bool.TryParse(storage, out templateStorage))
        {
            return Read<SubmissionFields>.Refuse(Problems.InvalidField("template_storage", "template_storage is true or false."));
        }

        if (ImageUploadReader.Field(form, "policy_version") is not { } policyVersion)
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
        if (ImageUploadReader.UnexpectedFile(files, FileFields, "document_front, document_back, selfie, selfie_frames, chip_dg1, chip_dg2 or chip_sod") is { } unexpected)
        {
            return Read<SubmissionParts>.Refuse(unexpected);
        }

        var fronts = files.GetFiles("document_front");
        var backs = files.GetFiles("document_back");
        var selfies = files.GetFiles("selfie");
        var frames = files.GetFiles("selfie_frames");
        // The chip's data stand in for the document's photos; without them a front photo is needed.
        bool chip = files.GetFiles(ChipUploadReader.Dg1Field).Count > 0;
        if (fronts.Count == 0 && !chip)
        {
            return Read<SubmissionParts>.Refuse(Problems.MissingField("document_front", "Send document_front (and document_back for a card or licence), or the chip's chip_dg1, chip_dg2 and chip_sod."));
        }

        if (fronts.Count == 0 && backs.Count > 0)
        {
            return Read<SubmissionParts>.Refuse(Problems.InvalidField("document_back", "A document_back is sent with its document_front."));
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
            if (ImageUploadReader.Field(form, "liveness_challenge") is not { } nonce || !LivenessChallenges.IsWellFormed(nonce))
            {
                return Read<SubmissionParts>.Refuse(Problems.InvalidField("liveness_challenge", "liveness_challenge is the nonce from POST /v1/liveness-challenges."));
            }

            if (frames.Count < 2)
            {
                return Read<SubmissionParts>.Refuse(Problems.InvalidField("selfie_frames", "A liveness challenge is answered with 2 to 5 selfie_frames showing the instruction."));
            }

            challenge = nonce;
        }

        // With the chip's files the document is read from the chip: photos sent beside them are checked like any image
        // but not kept, since nothing would read them and a stored image is personal data without a use.
        var parts = new List<(string Field, IFormFile File, BlobKind Kind, int Sequence)>();
        if (fronts.Count == 1)
        {
            parts.Add(("document_front", fronts[0], BlobKind.DocumentFront, chip ? NotKept : 0));
        }

        if (backs.Count == 1)
        {
            parts.Add(("document_back", backs[0], BlobKind.DocumentBack, chip ? NotKept : 0));
        }

        parts.AddRange(selfies.Count == 1
            ? [("selfie", selfies[0], BlobKind.Selfie, 0)]
            : frames.Select((frame, index) => ("selfie_frames", frame, BlobKind.Selfie, index)));
        return new SubmissionParts(parts, challenge);
    }

    private sealed record SubmissionFields(string SubjectId, bool TemplateStorage, string PolicyVersion);

    private sealed record SubmissionParts(IReadOnlyList<(string Field, IFormFile File, BlobKind Kind, int Sequence)> Files, string? Challenge);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex PolicyVersionPattern();
}
