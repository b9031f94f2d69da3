using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Verify.Imaging;

namespace Verify.Cli.Service;

/// <summary>The images of one submission: the document's front (or passport page), its back when it has one, and the selfie.</summary>
internal sealed record SubmissionImages(byte[] DocumentFront, byte[]? DocumentBack, byte[] Selfie);

/// <summary>What the service answered a submission: the verification's id when accepted, else the HTTP status.</summary>
internal sealed record SubmissionAnswer(Guid? VerificationId, int StatusCode)
{
    public bool Accepted => VerificationId is not null;
}

/// <summary>A decided verification as the API shows it: its status (verified, rejected, needs_review), reasons and result figures.</summary>
internal sealed record ServiceDecision(string Status, IReadOnlyList<string> Reasons, JsonElement? Result);

/// <summary>
/// A client of a running service's verifications API, as `verify load` and `verify evaluate-e2e` use it: submits
/// with consent to biometric processing and without template storage, then polls until the verification is decided.
/// </summary>
internal sealed class VerificationServiceClient : IDisposable
{
    /// <summary>How often a verification's status is read while it waits.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _http;

    public VerificationServiceClient(Uri baseAddress, string key)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>POST /v1/verifications with the images and the consent fields; an idempotency key makes a retry safe.</summary>
    public async Task<SubmissionAnswer> SubmitAsync(string subjectId, string policyVersion, SubmissionImages images, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(subjectId), "subject_id" },
            { new StringContent("true"), "biometric_processing" },
            { new StringContent("false"), "template_storage" },
            { new StringContent(policyVersion), "policy_version" },
        };
        form.Add(Image(images.DocumentFront), "document_front", FileName("front", images.DocumentFront));
        if (images.DocumentBack is { } back)
        {
            form.Add(Image(back), "document_back", FileName("back", back));
        }

        form.Add(Image(images.Selfie), "selfie", FileName("selfie", images.Selfie));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return new SubmissionAnswer(null, (int)response.StatusCode);
        }

        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        return new SubmissionAnswer(accepted.GetProperty("id").GetGuid(), (int)response.StatusCode);
    }

    /// <summary>
    /// Reads GET /v1/verifications/{id} every <see cref="PollInterval"/> until it is no longer queued or processing;
    /// null when it is still undecided after <paramref name="within"/> (null: wait as long as it takes).
    /// </summary>
    public async Task<ServiceDecision?> WaitForDecisionAsync(Guid verificationId, TimeSpan? within, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (within is not { } limit || Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            var view = await _http.GetFromJsonAsync<JsonElement>(string.Create(CultureInfo.InvariantCulture, $"/v1/verifications/{verificationId}"),
                cancellationToken).ConfigureAwait(false);
            string status = view.GetProperty("status").GetString()!;
            if (status is not ("queued" or "processing"))
            {
                var reasons = view.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(reason => reason.GetString()!).ToArray()
                    : [];
                return new ServiceDecision(status, reasons,
                    view.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object ? result : null);
            }
        }

        return null;
    }

    public void Dispose() => _http.Dispose();

    private static ByteArrayContent Image(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(ImageFormatSniffer.Sniff(bytes) == ImageFormat.Png ? "image/png" : "image/jpeg");
        return content;
    }

    private static string FileName(string name, byte[] bytes) => ImageFormatSniffer.Sniff(bytes) == ImageFormat.Png ? $"{name}.png" : $"{name}.jpg";
}
