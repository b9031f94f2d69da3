using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Verify.IntegrationTests.Fixtures;
using Verify.IntegrationTests.Imaging;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// The bad-input corpus: every malformed submission gets its documented 4xx problem (docs/api.md), nothing is stored
/// for it, and the service keeps serving throughout.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class BadInputTests(EmbeddedService service)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");
    private static readonly byte[] Html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><img src=x></body></html>");

    private byte[] Good => service.CleanDocument.Document;

    public static TheoryData<string, int, string> Corpus() => new()
    {
        { "truncated_jpeg", 400, "image_truncated" },
        { "zero_byte_file", 400, "image_empty" },
        { "pdf_renamed_jpg", 415, "unsupported_image_format" },
        { "html", 415, "unsupported_image_format" },
        { "png_100000x100000_header", 422, "image_too_large" },
        { "file_over_10_mb", 413, "file_too_large" },
        { "request_of_50_mb", 413, "request_too_large" },
        { "missing_subject_id", 400, "missing_field" },
        { "missing_policy_version", 400, "missing_field" },
        { "missing_document_front", 400, "missing_field" },
        { "missing_selfie", 400, "missing_field" },
        { "json_instead_of_multipart", 415, "unsupported_media_type" },
        { "part_declared_as_pdf", 415, "unsupported_content_type" },
        { "subject_id_of_10000_characters", 400, "invalid_field" },
        { "non_ascii_subject_id", 400, "invalid_field" },
        { "six_selfie_frames", 400, "invalid_field" },
        { "selfie_and_frames", 400, "invalid_field" },
        { "template_storage_not_a_boolean", 400, "invalid_field" },
        { "idempotency_key_of_200_characters", 400, "invalid_idempotency_key" },
        { "unexpected_file_field", 400, "invalid_field" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Bad_input_gets_its_documented_problem_and_the_service_keeps_serving(string name, int status, string code)
    {
        using var client = service.Client("client");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = Build(name) };
        if (name == "idempotency_key_of_200_characters")
        {
            request.Headers.Add("Idempotency-Key", new string('k', 200));
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"urn:verify:problem:{code}", problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        string text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 100), text, StringComparison.Ordinal);

        using var probe = service.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task An_image_that_passes_the_apis_check_but_does_not_decode_is_accepted_and_rejected_by_the_worker_as_unreadable()
    {
        using var client = service.Client("client");
        // Its chunks are whole (the API checks no more) but its pixel data is damaged: only a full decode finds out.
        var (id, _) = await EmbeddedService.PostAcceptedAsync(client, "/v1/verifications",
            EmbeddedService.Submission("undecodable-front", ImageStructureTests.DamagedPng(), Good, templateStorage: false));

        var decided = await service.WaitForDecisionAsync(client, id);

        Assert.Equal("rejected", decided.GetProperty("status").GetString());
        Assert.Contains("document_unreadable", decided.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("unreadable", decided.GetProperty("result").GetProperty("stages").GetProperty("document").GetString());
        using var probe = service.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
    }

    private HttpContent Build(string name)
    {
        byte[] selfie = Good;
        return name switch
        {
            "truncated_jpeg" => Form(document: Good[..(Good.Length / 3)]),
            "zero_byte_file" => Form(document: []),
            "pdf_renamed_jpg" => Form(document: Pdf),
            "html" => Form(document: Html),
            "png_100000x100000_header" => Form(document: ImageDecoderTests.PngWithHeaderOnly(100_000, 100_000)),
            "file_over_10_mb" => Form(document: Padded(Good, 12_000_000)),
            "request_of_50_mb" => Form(document: Padded(Good, 50_000_000)),
            "missing_subject_id" => Form(omit: "subject_id"),
            "missing_policy_version" => Form(omit: "policy_version"),
            "missing_document_front" => Form(omit: "document_front"),
            "missing_selfie" => Form(omit: "selfie"),
            "json_instead_of_multipart" => JsonContent.Create(new { subject_id = "x", biometric_processing = true }),
            "part_declared_as_pdf" => Form(documentType: "application/pdf"),
            "subject_id_of_10000_characters" => Form(subjectId: new string('s', 10_000)),
            "non_ascii_subject_id" => Form(subjectId: "zoë-用户"),
            "six_selfie_frames" => Form(frames: 6),
            "selfie_and_frames" => Form(frames: 2, alsoSelfie: true),
            "template_storage_not_a_boolean" => Form(templateStorage: "sometimes"),
            "idempotency_key_of_200_characters" => Form(),
            "unexpected_file_field" => WithExtraFile(Form()),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };

        MultipartFormDataContent Form(byte[]? document = null, string? omit = null, string documentType = "image/jpeg", string subjectId = "bad-input",
            int frames = 0, bool alsoSelfie = false, string templateStorage = "false")
        {
            var form = new MultipartFormDataContent();
            void Field(string field, string value)
            {
                if (omit != field)
                {
                    form.Add(new StringContent(value), field);
                }
            }

            Field("subject_id", subjectId);
            Field("biometric_processing", "true");
            Field("template_storage", templateStorage);
            Field("policy_version", "2026-11");
            if (omit != "document_front")
            {
                var part = new ByteArrayContent(document ?? Good);
                part.Headers.ContentType = new MediaTypeHeaderValue(documentType);
                form.Add(part, "document_front", "front.jpg");
            }

            if (frames == 0 || alsoSelfie)
            {
                if (omit != "selfie")
                {
                    form.Add(EmbeddedService.Image(selfie), "selfie", "selfie.jpg");
                }
            }

            for (int i = 0; i < frames; i++)
            {
                form.Add(EmbeddedService.Image(selfie), "selfie_frames", $"frame{i}.jpg");
            }

            return form;
        }
    }

    /// <summary>A form with one more file under a long, unprintable name, which must not come back as it was sent.</summary>
    private MultipartFormDataContent WithExtraFile(MultipartFormDataContent form)
    {
        form.Add(EmbeddedService.Image(Good), "passport\u0007" + new string('x', 300), "extra.jpg");
        return form;
    }

    /// <summary>A valid JPEG followed by filler up to <paramref name="length"/> bytes (decoders stop at the end-of-image marker).</summary>
    private static byte[] Padded(byte[] jpeg, int length)
    {
        var padded = new byte[length];
        jpeg.CopyTo(padded, 0);
        return padded;
    }
}
