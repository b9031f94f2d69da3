using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// Publishes what the outbox holds, in order, and marks it sent. Runs in the API process (never in workers, so a killed
/// worker cannot leave half-published events); API instances sharing one database take messages under a lease, so two
/// never send the same one at once. Each message keeps its outbox id as its bus message id, for consumers to deduplicate.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    IOptions<WebhookOptions> webhooks,
    MessageSigner signer,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 50;

    /// <summary>Sending stops this long before the lease ends, so a send in flight cannot outlast it.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, Type> Contracts = new[]
    {
        typeof(VerifyIdentity), typeof(AssessImpersonationReport), typeof(VerificationCompleted), typeof(IdentityVerified), typeof(BadgeRevoked),
    }.ToDictionary(type => type.FullName!, StringComparer.Ordinal);

    private readonly Guid _dispatcherId = Guid.NewGuid();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await DispatchOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong (database, broker, a malformed row), the loop lives on: a background service that
                // throws would stop the whole API.
                LogDispatchFailed(logger, exception);
                sent = 0;
            }

            if (sent < BatchSize)
            {
                await Task.Delay(options.Value.OutboxPollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes up to one batch under a lease, sends it, marks it sent; returns how many went out.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<VerifyDbContext>>();
        var send = scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        var leaseEnd = now + options.Value.OutboxLease;
        var candidates = await db.Outbox.Where(m => m.SentAt == null && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return 0;
        }

        // The lease: only rows still free when we write become ours, whatever another dispatcher did meanwhile.
        await db.Outbox.Where(m => candidates.Contains(m.Id) && m.SentAt == null && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.LockId, _dispatcherId).SetProperty(m => m.LockedUntil, leaseEnd), cancellationToken)
            .ConfigureAwait(false);
        var messages = await db.Outbox.Where(m => m.LockId == _dispatcherId && m.LockedUntil == leaseEnd && m.SentAt == null)
            .OrderBy(m => m.CreatedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        int sent = 0;
        foreach (var message in messages)
        {
            // Never send under a lease about to lapse: another dispatcher may take the rest of the batch from then on.
            if (time.GetUtcNow().UtcDateTime >= leaseEnd - LeaseMargin)
            {
                break;
            }

            if (!Contracts.TryGetValue(message.MessageType, out var type))
            {
                LogUnknownType(logger, message.Id, message.MessageType);
                message.Attempts++;
                continue;
            }

            var body = JsonSerializer.Deserialize(message.Payload, type, Outbox.Json)!;
            Guid messageId = message.Id;
            // Signed, so the consumers know it is the service's own and not something published by whoever reached the broker.
            string signature = signer.Sign(type, messageId, body);
            void Stamp(SendContext context)
            {
                context.MessageId = messageId;
                context.Headers.Set(MessageSigner.Header, signature);
            }

            if (CommandQueue(type) is { } queue)
            {
                var endpoint = await send.GetSendEndpoint(new Uri($"queue:{queue}")).ConfigureAwait(false);
                await endpoint.Send(body, type, Stamp, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await publish.Publish(body, type, Stamp, cancellationToken).ConfigureAwait(false);
            }

            // In embedded mode a command is marked sent by its consumer on receipt (CommandReceipts): the in-memory
            // queue dies with the process, so until then the row stays leased, to be sent again when the lease lapses.
            // Leased for as long as a verification may wait in the queue, not just the dispatcher's lease: a command
            // waiting behind a long backlog is not sent again and again meanwhile (the re-driver covers a lost one too).
            var sentAt = time.GetUtcNow().UtcDateTime;
            if (CommandQueue(type) is not null && options.Value.ConsumerAcknowledgesCommands)
            {
                message.LockedUntil = Max(leaseEnd, sentAt + options.Value.QueuedLease);
            }
            else
            {
                message.SentAt = sentAt;
            }

            message.Attempts++;
            AddWebhookDeliveries(db, message, type, body);
            // Marked one by one: a crash between sending and marking re-sends one message, not a batch.
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            sent++;
        }

        return sent;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>The queue a command is sent to (a worker kind's); null for an event, which is published.</summary>
    private string? CommandQueue(Type type) =>
        type == typeof(VerifyIdentity) ? MessagingOptions.QueueName(options.Value.Queue)
        : type == typeof(AssessImpersonationReport) ? MessagingOptions.ReportQueueName(options.Value.Queue)
        : null;

    /// <summary>
    /// Queues the event for every endpoint of the event's client that wants it (never another client's endpoint), in
    /// the same save that marks it sent (the unique event-and-endpoint index keeps a re-sent event from being queued twice).
    /// </summary>
    private void AddWebhookDeliveries(VerifyDbContext db, Data.Entities.OutboxMessage message, Type type, object body)
    {
        if (WebhookOptions.EventType(type) is not { } eventType || WebhookOptions.ClientOf(body) is not { } clientId
            || webhooks.Value.Endpoints.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = message.Id,
            ["type"] = eventType,
            ["created_at"] = new DateTimeOffset(message.CreatedAt),
            ["data"] = body,
        }, WebhookJson);
        foreach (var endpoint in webhooks.Value.Endpoints.Where(e => string.Equals(e.ClientId, clientId, StringComparison.Ordinal)
            && (e.Events.Count == 0 || e.Events.Contains(eventType, StringComparer.Ordinal))))
        {
            if (!db.WebhookDeliveries.Local.Any(d => d.EventId == message.Id && d.Endpoint == endpoint.Name)
                && !db.WebhookDeliveries.Any(d => d.EventId == message.Id && d.Endpoint == endpoint.Name))
            {
                db.WebhookDeliveries.Add(new Data.Entities.WebhookDelivery
                {
                    Id = Guid.NewGuid(), EventId = message.Id, Endpoint = endpoint.Name, EventType = eventType, Body = json,
                    State = Data.Entities.WebhookDeliveryState.Pending, CreatedAt = now, NextAttemptAt = now,
                });
            }
        }
    }

    /// <summary>The webhook body's form: snake_case names and enums, so an event's status reads as the API's word (needs_review).</summary>
    internal static readonly JsonSerializerOptions WebhookJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} has an unknown type {MessageType}; left unsent")]
    private static partial void LogUnknownType(ILogger logger, Guid messageId, string messageType);
}
