using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Verify.Documents.Reading;
using Verify.Imaging;

namespace Verify.Cli.Service;

/// <summary>The images of one submission: the document's front (or passport page), its back when it has one, and the selfie.</summary>
internal sealed record SubmissionImages(byte[]? DocumentFront, byte[]? DocumentBack, byte[] Selfie)
{
    /// <summary>The chip's DG1, DG2 and SOD, sent as chip_dg1, chip_dg2 and chip_sod; null for photographed documents.</summary>
    public ChipEvidence? Chip { get; init; }

    // Images and chip data: never printed.
    public override string ToString() => $"SubmissionImages {{ Front = {DocumentFront is not null}, Back = {DocumentBack is not null}, Chip = {Chip is not null} }}";
}

/// <summary>
/// What the service answered a submission: the verification's id when accepted, else the HTTP status; and how many
/// times it was refused as busy or over a limit (429, 503 with Retry-After) and sent again first.
/// </summary>
internal sealed record SubmissionAnswer(Guid? VerificationId, int StatusCode, int Refusals = 0)
{
    public bool Accepted => VerificationId is not null;
}

/// <summary>
/// A verification as the API shows it: its status (queued, processing, or decided: verified, rejected, needs_review),
/// reasons, result figures and when it was decided.
/// </summary>
internal sealed record ServiceDecision(string Status, IReadOnlyList<string> Reasons, JsonElement? Result, DateTimeOffset? CompletedAt = null)
{
    /// <summary>Whether the verification has left the queue with a decision.</summary>
    public bool IsFinal => Status is not ("queued" or "processing");
}

/// <summary>
/// One submission followed to its decision: the answer, the milliseconds from the first attempt to the accepted POST's
/// answer and to reading the final status, and the decision (null when not accepted or not decided in time).
/// </summary>
internal sealed record SubmissionTimeline(SubmissionAnswer Answer, double AcceptedMilliseconds, ServiceDecision? Decision, double DecidedMilliseconds);

/// <summary>
/// A client of a running service's verifications API, as `verify load` and `verify evaluate-e2e` use it: submits
/// with consent to biometric processing and without template storage, then polls until the verification is decided.
/// </summary>
internal sealed class VerificationServiceClient : IDisposable
{
    /// <summary>How often a verification's status is read while it waits.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Times a submission refused as busy or over a limit is sent again, each after the Retry-After the service gave.</summary>
    private const int MaxRefusals = 30;

    /// <summary>Longest Retry-After waited for; a refusal asking for longer (a daily quota) is the answer.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public VerificationServiceClient(Uri baseAddress, string key)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>
    /// POST /v1/verifications with the images and the consent fields; an idempotency key makes a retry safe. A refusal
    /// that says when to come back (429 or 503 with Retry-After: the client's share of uploads in flight, its rate, the
    /// server busy) is sent again after that time, as a platform would, up to <see cref="MaxRefusals"/> times and for
    /// waits up to <see cref="MaxRetryAfter"/>.
    /// </summary>
    public async Task<SubmissionAnswer> SubmitAsync(string subjectId, string policyVersion, SubmissionImages images, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        for (int refusals = 0; ; refusals++)
        {
            var (answer, retryAfter) = await SubmitOnceAsync(subjectId, policyVersion, images, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (retryAfter is not { } wait || wait > MaxRetryAfter || refusals == MaxRefusals)
            {
                return answer with { Refusals = refusals };
            }

            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Submits, then waits for the decision (at most <paramref name="within"/>, null: as long as it takes), timing both from the first attempt.</summary>
    public async Task<SubmissionTimeline> SubmitAndWaitAsync(string subjectId, string policyVersion, SubmissionImages images, string? idempotencyKey,
        TimeSpan? within, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var answer = await SubmitAsync(subjectId, policyVersion, images, idempotencyKey, cancellationToken).ConfigureAwait(false);
        double accepted = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (answer.VerificationId is not { } id)
        {
            return new SubmissionTimeline(answer, accepted, null, accepted);
        }

        var decision = await WaitForDecisionAsync(id, within, cancellationToken).ConfigureAwait(false);
        return new SubmissionTimeline(answer, accepted, decision, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>GET /v1/verifications/{id} once: the verification as it is now, decided or not.</summary>
    public async Task<ServiceDecision> ReadAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        var view = await _http.GetFromJsonAsync<JsonElement>(string.Create(CultureInfo.InvariantCulture, $"/v1/verifications/{verificationId}"),
            cancellationToken).ConfigureAwait(false);
        var reasons = view.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(reason => reason.GetString()!).ToArray()
            : [];
        return new ServiceDecision(view.GetProperty("status").GetString()!, reasons,
            view.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object ? result : null,
            view.TryGetProperty("completed_at", out var completed) && completed.ValueKind == JsonValueKind.String ? completed.GetDateTimeOffset() : null);
    }

    private async Task<(SubmissionAnswer Answer, TimeSpan? RetryAfter)> SubmitOnceAsync(string subjectId, string policyVersion, SubmissionImages images,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(subjectId), "subject_id" },
            { new StringContent("true"), "biometric_processing" },
            { new StringContent("false"), "template_storage" },
            { new StringContent(policyVersion), "policy_version" },
        };
        if (images.DocumentFront is { } front)
        {
            form.Add(Image(front), "document_front", FileName("front", front));
        }

        if (images.Chip is { } chip)
        {
            form.Add(new ByteArrayContent(chip.Dg1), "chip_dg1", "dg1.bin");
            form.Add(new ByteArrayContent(chip.Dg2), "chip_dg2", "dg2.bin");
            form.Add(new ByteArrayContent(chip.Sod), "chip_sod", "sod.bin");
        }

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
            bool refused = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return (new SubmissionAnswer(null, (int)response.StatusCode), refused ? retryAfter : null);
        }

        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        return (new SubmissionAnswer(accepted.GetProperty("id").GetGuid(), (int)response.StatusCode), null);
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
            var view = await ReadAsync(verificationId, cancellationToken).ConfigureAwait(false);
            if (view.IsFinal)
            {
                return view;
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
