using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;

namespace Verify.Api.Webhooks;

/// <summary>
/// Delivers queued events to the configured webhook endpoints: a JSON body signed with HMAC-SHA256 under the endpoint's
/// secret (<c>Verify-Signature: t={unix seconds},v1={hex}</c> over <c>{t}.{body}</c>), retried with a doubling pause
/// (1 s up to an hour) until a 2xx answer or <see cref="WebhookOptions.MaxAttempts"/>, every attempt kept in the
/// delivery log. Several API instances share the log under short claims, so one delivery is not sent twice at once.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IDbContextFactory<VerifyDbContext> databases,
    IHttpClientFactory clients,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Endpoints.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            int attempted = 0;
            try
            {
                attempted = await DeliverDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception);
            }

            if (attempted < BatchSize)
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>Tries every delivery that is due, once; returns how many were tried.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.WebhookDeliveries.Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        // The claim: push the next attempt past this one's timeout; only rows still due when we write are ours.
        var claim = now + settings.Timeout + TimeSpan.FromSeconds(5) + TimeSpan.FromTicks(Random.Shared.Next(1, 10_000));
        await db.WebhookDeliveries.Where(d => due.Contains(d.Id) && d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.NextAttemptAt, claim), cancellationToken);
        var deliveries = await db.WebhookDeliveries.Where(d => due.Contains(d.Id) && d.NextAttemptAt == claim).ToListAsync(cancellationToken);
        var client = clients.CreateClient(HttpClientName);
        foreach (var delivery in deliveries)
        {
            var endpoint = settings.Endpoints.FirstOrDefault(e => e.Name == delivery.Endpoint);
            if (endpoint?.Url is null)
            {
                (delivery.State, delivery.LastError) = (WebhookDeliveryState.Failed, "endpoint_removed");
                continue;
            }

            // The name was queued for one client's event; if the configuration since gave that name to another client,
            // the event is not that client's to receive.
            if (EventClient(delivery.Body) != endpoint.ClientId)
            {
                (delivery.State, delivery.LastError) = (WebhookDeliveryState.Failed, "endpoint_client_changed");
                continue;
            }

            await AttemptAsync(client, endpoint, delivery, cancellationToken);
            // Saved one by one: a delivery that succeeded is never left looking due once the claim lapses.
            await db.SaveChangesAsync(cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return deliveries.Count;
    }

    /// <summary>The client whose event a delivery body carries (<c>data.client_id</c>); null when it names none.</summary>
    internal static string? EventClient(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("client_id", out var client) && client.ValueKind == JsonValueKind.String ? client.GetString() : null;
    }

    /// <summary>The signature header for <paramref name="body"/> at <paramref name="unixSeconds"/>.</summary>
    public static string Signature(string secret, long unixSeconds, string body)
    {
        string signed = string.Create(CultureInfo.InvariantCulture, $"{unixSeconds}.{body}");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed));
        return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}");
    }

    private async Task AttemptAsync(HttpClient client, WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        delivery.Attempts++;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("Verify-Event-Id", delivery.EventId.ToString());
        request.Headers.Add("Verify-Event-Type", delivery.EventType);
        request.Headers.Add("Verify-Signature", Signature(endpoint.Secret, now.ToUnixTimeSeconds(), delivery.Body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            delivery.LastStatusCode = (int)response.StatusCode;
            delivery.LastError = response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"http_{(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            (delivery.LastStatusCode, delivery.LastError) = (null, "timeout");
        }
        catch (HttpRequestException exception)
        {
            (delivery.LastStatusCode, delivery.LastError) = (null, exception.HttpRequestError.ToString().ToLowerInvariant());
        }

        if (delivery.LastError is null)
        {
            (delivery.State, delivery.DeliveredAt) = (WebhookDeliveryState.Delivered, now.UtcDateTime);
            return;
        }

        if (delivery.Attempts >= options.Value.MaxAttempts)
        {
            delivery.State = WebhookDeliveryState.Failed;
            LogGaveUp(logger, delivery.Id, delivery.Endpoint, delivery.Attempts, delivery.LastError);
            return;
        }

        var pause = TimeSpan.FromSeconds(Math.Min(3600, Math.Pow(2, delivery.Attempts - 1)));
        delivery.NextAttemptAt = now.UtcDateTime + pause;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery pass failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} to {Endpoint} failed after {Attempts} attempts ({Error})")]
    private static partial void LogGaveUp(ILogger logger, Guid deliveryId, string endpoint, int attempts, string error);
}
