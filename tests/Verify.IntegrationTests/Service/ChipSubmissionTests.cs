using System.Buffers.Binary;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.Documents.Chip;
using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.Imaging.Codecs;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic.Chip;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// Submissions that carry an ePassport's chip (DG1, DG2, SOD) instead of a document photo, through HTTP, the bus, the
/// real models and passive authentication against the service's trust store (<see cref="EmbeddedService.ChipIssuer"/>'s CSCA).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class ChipSubmissionTests(EmbeddedService service)
{
    // The holder of the service's clean document: the same face, so the 1:N search finds no one else.
    private const string Holder = "holder-1";

    private static readonly MrzIdentity Identity = new(MrzFormat.Td3, "P", "NLD", "JANSEN", "ANNA MARIA", "NX4R7KP21", "NLD",
        new DateOnly(1990, 3, 14), MrzSex.Female, new DateOnly(2031, 5, 1));

    [Theory]
    [InlineData(ChipImageFormat.Jpeg)]
    [InlineData(ChipImageFormat.Jpeg2000)]
    public async Task A_genuine_chip_is_verified_at_chip_assurance_and_its_files_are_deleted_with_the_images(ChipImageFormat face)
    {
        using var client = service.Client("client");
        var id = await SubmitAsync(client, Chip(face: face));

        var body = await service.WaitForDecisionAsync(client, id);

        Assert.Equal("verified", body.GetProperty("status").GetString());
        var result = body.GetProperty("result");
        Assert.Equal("chip", result.GetProperty("document_source").GetString());
        Assert.True(result.GetProperty("chip_authenticated").GetBoolean());
        Assert.False(result.TryGetProperty("chip_authentication", out _));
        Assert.Equal("Td3", result.GetProperty("document_format").GetString());
        var badge = await service.WaitForEventAsync<IdentityVerified>(e => e.VerificationId == id);
        Assert.NotNull(badge);
        Assert.StartsWith("chip_", badge.AssuranceLevel, StringComparison.Ordinal);
        Assert.True(await service.EventuallyAsync(async db => !await db.Blobs.AnyAsync(b => b.VerificationId == id)), "the chip's files are deleted with the images");
    }

    [Theory]
    [InlineData(ChipTamper.Dg1ByteChanged, "rejected", "chip_dg1_altered")]
    [InlineData(ChipTamper.Dg2ByteChanged, "rejected", "chip_dg2_altered")]
    [InlineData(ChipTamper.SignatureBroken, "rejected", "chip_signature_invalid")]
    [InlineData(ChipTamper.ForgedSigner, "rejected", "chip_signer_untrusted")]
    [InlineData(ChipTamper.ExpiredSigner, "rejected", "chip_signer_expired")]
    [InlineData(ChipTamper.RevokedSigner, "rejected", "chip_signer_revoked")]
    [InlineData(ChipTamper.UnknownCsca, "needs_review", "chip_csca_unknown")]
    public async Task A_forged_or_altered_chip_gets_its_own_reason(ChipTamper tamper, string status, string reason)
    {
        using var client = service.Client("client");
        var id = await SubmitAsync(client, Chip(tamper));

        var body = await service.WaitForDecisionAsync(client, id);

        Assert.Equal(status, body.GetProperty("status").GetString());
        Assert.Contains(reason, body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        var result = body.GetProperty("result");
        Assert.False(result.GetProperty("chip_authenticated").GetBoolean());
        Assert.Equal(reason, result.GetProperty("chip_authentication").GetString());
    }

    [Fact]
    public async Task A_document_photo_sent_beside_the_chip_is_not_kept_and_a_reviewer_sees_the_chips_portrait()
    {
        using var client = service.Client("client");
        var form = Form(Chip(ChipTamper.UnknownCsca));
        form.Add(EmbeddedService.Image(service.CleanDocument.Document), "document_front", "front.jpg");
        var id = (await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications", form)).Id;

        var body = await service.WaitForDecisionAsync(client, id);

        // Sent to review: the evidence stays for the reviewer, so what was stored can be seen.
        Assert.Equal("needs_review", body.GetProperty("status").GetString());
        await using var db = service.Database();
        var kinds = await db.Blobs.Where(b => b.VerificationId == id).Select(b => b.Kind).ToListAsync();
        Assert.DoesNotContain(BlobKind.DocumentFront, kinds);
        Assert.Contains(BlobKind.ChipDg2, kinds);
        Assert.Contains(BlobKind.DocumentPortrait, kinds);
    }

    [Fact]
    public async Task A_jpeg_2000_bomb_in_dg2_is_refused_as_too_large_and_nothing_is_stored()
    {
        using var client = service.Client("client");
        var bomb = service.ChipIssuer.Issue(Identity, new ChipFaceImage(ChipImageFormat.Jpeg2000, Jpeg2000Bomb(30000, 30000), 30000, 30000));
        int before = await CountAsync();

        using var response = await client.PostAsync("/v1/verifications", Form(bomb));

        await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, "image_too_large");
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Corrupt_or_incomplete_chip_data_get_typed_problems()
    {
        using var client = service.Client("client");
        var genuine = Chip();

        using (var corrupt = await client.PostAsync("/v1/verifications", Form(genuine with { Dg2 = [0x75, 0x82, 0x7F, 0xFF, 1, 2, 3] })))
        {
            var problem = await ProblemAssert.IsAsync(corrupt, HttpStatusCode.UnprocessableEntity, "chip_data_invalid");
            Assert.Equal("chip_dg2", problem.GetProperty("field").GetString());
            Assert.Equal("dg2_malformed", problem.GetProperty("error").GetString());
        }

        using (var garbageFace = await client.PostAsync("/v1/verifications",
            Form(service.ChipIssuer.Issue(Identity, new ChipFaceImage(ChipImageFormat.Jpeg2000, [0, 0, 0, 12, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A, 9, 9], 420, 540)))))
        {
            Assert.Equal("chip_dg2", (await ProblemAssert.IsAsync(garbageFace, HttpStatusCode.BadRequest, null)).GetProperty("field").GetString());
        }

        using (var sod = await client.PostAsync("/v1/verifications", Form(genuine with { Sod = [0x77, 0x03, 0x30, 0x01, 0x00] })))
        {
            Assert.Equal("sod_malformed", (await ProblemAssert.IsAsync(sod, HttpStatusCode.UnprocessableEntity, "chip_data_invalid")).GetProperty("error").GetString());
        }

        var dg1Only = Form(genuine, parts: ["chip_dg1"]);
        using (var incomplete = await client.PostAsync("/v1/verifications", dg1Only))
        {
            await ProblemAssert.IsAsync(incomplete, HttpStatusCode.BadRequest, "invalid_field");
        }
    }

    /// <summary>A chip of <see cref="Identity"/> whose face is the photo printed on the service's clean document, as JPEG or JPEG 2000.</summary>
    private ChipFiles Chip(ChipTamper tamper = ChipTamper.None, ChipImageFormat face = ChipImageFormat.Jpeg)
    {
        using var photo = new ImageDecoder().Decode(File.ReadAllBytes(Path.Combine(TestPaths.LfwImages, service.CleanDocument.PortraitPhoto)));
        byte[] image = face == ChipImageFormat.Jpeg ? ImageEncoder.EncodeJpeg(photo, 85) : Jpeg2000Encoder.Encode(photo, compressionRatio: 15);
        return service.ChipIssuer.Issue(Identity, new ChipFaceImage(face, image, photo.Width, photo.Height), tamper);
    }

    private MultipartFormDataContent Form(ChipFiles chip, IReadOnlyList<string>? parts = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(Holder), "subject_id" },
            { new StringContent("true"), "biometric_processing" },
            { new StringContent("false"), "template_storage" },
            { new StringContent("2026-11"), "policy_version" },
        };
        foreach (var (name, bytes) in new[] { ("chip_dg1", chip.Dg1), ("chip_dg2", chip.Dg2), ("chip_sod", chip.Sod) })
        {
            if (parts is null || parts.Contains(name))
            {
                form.Add(new ByteArrayContent(bytes), name, $"{name}.bin");
            }
        }

        form.Add(EmbeddedService.Image(CleanDocuments.HolderSelfie(service.CleanDocument)), "selfie", "selfie.jpg");
        return form;
    }

    private async Task<Guid> SubmitAsync(HttpClient client, ChipFiles chip) =>
        (await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications", Form(chip))).Id;

    private async Task<int> CountAsync()
    {
        await using var db = service.Database();
        return await db.Verifications.CountAsync() + await db.Blobs.CountAsync();
    }

    /// <summary>
    /// A small real JPEG 2000 codestream whose size header (SIZ) was rewritten to say <paramref name="width"/> x
    /// <paramref name="height"/> in one tile: decoding it as stated would allocate gigabytes.
    /// </summary>
    private static byte[] Jpeg2000Bomb(int width, int height)
    {
        using var small = RgbImage.Allocate(64, 64);
        var bytes = Jpeg2000Encoder.Encode(small, compressionRatio: 20, jp2Container: false);
        var span = bytes.AsSpan();
        Assert.Equal(0xFF4F, BinaryPrimitives.ReadUInt16BigEndian(span));
        Assert.Equal(0xFF51, BinaryPrimitives.ReadUInt16BigEndian(span[2..]));
        // SIZ: marker, length, capabilities, then image width and height, image offsets, tile width and height.
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], (uint)height);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(span[28..], (uint)height);
        return bytes;
    }
}
