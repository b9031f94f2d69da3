using Microsoft.Extensions.Options;
using Verify.Documents.Chip;
using Verify.Documents.Mrz;
using Verify.Imaging;

namespace Verify.Api.Uploads;

/// <summary>
/// Reads the chip parts of a submission (<c>chip_dg1</c>, <c>chip_dg2</c>, <c>chip_sod</c>, all three or none) and checks
/// their structure where they are received: DG1 holds an MRZ, DG2 a face record whose image header is within the
/// decoder's limits (JPEG or JPEG 2000: a pixel bomb is refused here), the SOD a CMS signed object. The signature, the
/// hashes and the signer's certificate are checked by the worker (passive authentication), whose outcome is a decision
/// reason rather than a refused request.
/// </summary>
/// <remarks>
/// As for images, nothing is decoded here: the face image's header is inspected only (see <see cref="ImageUploadReader"/>).
/// </remarks>
internal sealed class ChipUploadReader
{
    public const string Dg1Field = "chip_dg1";
    public const string Dg2Field = "chip_dg2";
    public const string SodField = "chip_sod";

    public static readonly IReadOnlyList<string> Fields = [Dg1Field, Dg2Field, SodField];

    private const string FaceFormats = "JPEG or JPEG 2000";

    private readonly ImageDecoder _faces;
    private readonly TimeProvider _time;

    public ChipUploadReader(IOptions<ImageDecoderOptions> decoderOptions, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(decoderOptions);
        _faces = new ImageDecoder(decoderOptions.Value.WithJpeg2000());
        _time = time;
    }

    /// <summary>The three chip files, checked; or the problem to answer with; neither (a default read) when no chip part was sent.</summary>
    public async Task<Read<ChipUpload>> ReadAsync(IFormFileCollection files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var parts = Fields.Select(field => files.GetFiles(field)).ToArray();
        if (parts.All(p => p.Count == 0))
        {
            return default;
        }

        if (Array.FindIndex(parts, p => p.Count != 1) is var wrong and >= 0)
        {
            return Read<ChipUpload>.Refuse(Problems.InvalidField(Fields[wrong],
                $"Send chip_dg1, chip_dg2 and chip_sod together, one file each ('{Fields[wrong]}' has {parts[wrong].Count})."));
        }

        var data = new byte[3][];
        long[] limits = [ChipLimits.Dg1Bytes, ChipLimits.Dg2Bytes, ChipLimits.SodBytes];
        for (int i = 0; i < 3; i++)
        {
            if (ImageUploadReader.LengthProblem(Fields[i], parts[i][0], limits[i], "chip_data_empty", "A chip file is empty.") is { } problem)
            {
                return Read<ChipUpload>.Refuse(problem);
            }

            data[i] = await ImageUploadReader.ReadAllAsync(parts[i][0], cancellationToken).ConfigureAwait(false);
        }

        return Check(data[0], data[1], data[2]) is { } invalid ? Read<ChipUpload>.Refuse(invalid) : new ChipUpload(data[0], data[1], data[2]);
    }

    /// <summary>The problem with the files' structure; null when DG1, DG2 (and its image's header) and the SOD are well formed.</summary>
    private IResult? Check(byte[] dg1, byte[] dg2, byte[] sod)
    {
        string field = Dg1Field;
        try
        {
            var lines = ChipDataGroups.ReadDg1Mrz(dg1);
            if (MrzParser.Parse(lines, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime)) is null)
            {
                return Invalid(field, ChipDataError.Dg1Malformed, "DG1 does not hold a machine readable zone.");
            }

            field = Dg2Field;
            var face = ChipDataGroups.ReadDg2Face(dg2);
            try
            {
                _faces.Inspect(face.Image);
            }
            catch (ImageDecodeException exception)
            {
                return ImageUploadReader.ImageProblem(field, exception, face.Image, FaceFormats);
            }

            field = SodField;
            ChipSecurityObject.Read(sod);
            return null;
        }
        catch (ChipDataException exception)
        {
            return exception.Error == ChipDataError.TooLarge
                ? Problems.Create(StatusCodes.Status413PayloadTooLarge, "chip_data_too_large", "A chip file is too large.", $"'{field}': {exception.Message}",
                    ImageUploadReader.FieldOf(field))
                : Invalid(field, exception.Error, exception.Message);
        }
    }

    private static IResult Invalid(string field, ChipDataError error, string message)
    {
        var extensions = ImageUploadReader.FieldOf(field);
        extensions["error"] = ErrorCode(error);
        return Problems.Create(StatusCodes.Status422UnprocessableEntity, "chip_data_invalid", "The chip data are malformed.", $"'{field}': {message}", extensions);
    }

    /// <summary>The snake_case word of a <see cref="ChipDataError"/> (dg1_malformed, dg2_no_image, ...).</summary>
    private static string ErrorCode(ChipDataError error) => error switch
    {
        ChipDataError.Dg1Malformed => "dg1_malformed",
        ChipDataError.Dg2Malformed => "dg2_malformed",
        ChipDataError.Dg2NoImage => "dg2_no_image",
        ChipDataError.SodMalformed => "sod_malformed",
        ChipDataError.TooLarge => "too_large",
        _ => "malformed",
    };
}

/// <summary>The chip files of a submission, checked by <see cref="ChipUploadReader"/>.</summary>
internal sealed record ChipUpload(byte[] Dg1, byte[] Dg2, byte[] Sod)
{
    // Chip data are personal data: sizes only.
    public override string ToString() => $"ChipUpload {{ Dg1 = {Dg1.Length} B, Dg2 = {Dg2.Length} B, Sod = {Sod.Length} B }}";
}
