namespace Verify.Data.Entities;

/// <summary>Where a webhook delivery stands.</summary>
public enum WebhookDeliveryState
{
    Pending,
    Delivered,

    /// <summary>Every attempt failed; an operator can see why in the log and replay it.</summary>
    Failed,
}

/// <summary>One event to deliver to one webhook endpoint, and the log of trying: attempts, last answer, next try.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }

    /// <summary>The event's outbox id, also sent to the endpoint (Verify-Event-Id) for deduplication.</summary>
    public Guid EventId { get; set; }

    /// <summary>The configured endpoint's name.</summary>
    public required string Endpoint { get; set; }

    /// <summary>The event type: verification.completed, identity.verified or badge.revoked.</summary>
    public required string EventType { get; set; }

    /// <summary>The JSON body, exactly as signed and sent (ids and codes only).</summary>
    public required string Body { get; set; }

    public WebhookDeliveryState State { get; set; }

    public int Attempts { get; set; }

    /// <summary>The HTTP status of the last attempt; null when it never got an answer.</summary>
    public int? LastStatusCode { get; set; }

    /// <summary>Why the last attempt failed, as a short code (timeout, connection_refused, http_500).</summary>
    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }
}
