using System.ComponentModel.DataAnnotations;
using Verify.Contracts;

namespace Verify.Pipeline.Messaging;

/// <summary>One platform endpoint that receives events over HTTPS instead of AMQP.</summary>
public sealed class WebhookEndpoint
{
    /// <summary>A short name, kept in the delivery log.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string Name { get; set; } = "";

    /// <summary>
    /// The API client whose events it receives, and only that client's: clients are tenants, and one platform never
    /// learns of another's verifications or badges. Required.
    /// </summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string ClientId { get; set; } = "";

    [Required]
    public Uri? Url { get; set; }

    /// <summary>The shared secret the body is signed with (HMAC-SHA256); at least 32 characters.</summary>
    [Required]
    [MinLength(32)]
    public string Secret { get; set; } = "";

    /// <summary>The event types it wants (verification.completed, identity.verified, badge.revoked); empty for all.</summary>
    public List<string> Events { get; set; } = [];
}

/// <summary>Outgoing webhooks: the endpoints, and how hard to try.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    /// <summary>Attempts before a delivery is marked failed; the pause doubles from 1 s up to an hour.</summary>
    [Range(1, 30)]
    public int MaxAttempts { get; set; } = 12;

    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatcher looks for due deliveries when it found none.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The client an event belongs to, or null for messages that are not events (commands).</summary>
    public static string? ClientOf(object message) => message switch
    {
        VerificationCompleted completed => completed.ClientId,
        IdentityVerified verified => verified.ClientId,
        BadgeRevoked revoked => revoked.ClientId,
        _ => null,
    };

    /// <summary>The webhook event type of a contract, or null for messages that are not events (commands).</summary>
    public static string? EventType(Type messageType) => messageType.Name switch
    {
        "VerificationCompleted" => "verification.completed",
        "IdentityVerified" => "identity.verified",
        "BadgeRevoked" => "badge.revoked",
        _ => null,
    };
}
