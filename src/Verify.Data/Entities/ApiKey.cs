namespace Verify.Data.Entities;

/// <summary>What an API key may do.</summary>
public enum ApiRole
{
    /// <summary>A platform service: submits verifications and reads its own.</summary>
    Client,

    /// <summary>Trust and safety: works the review queue.</summary>
    Reviewer,

    /// <summary>Operators: everything, including subject deletion.</summary>
    Admin,
}

/// <summary>An API key, stored as a SHA-256 hash of its secret; the secret is shown once, at creation.</summary>
public sealed class ApiKey
{
    /// <summary>The public part of the key, sent before the secret: finds the row without scanning hashes.</summary>
    public required string KeyId { get; set; }

    public required byte[] SecretHash { get; set; }

    public ApiRole Role { get; set; }

    /// <summary>Whose key it is; verifications are owned by this id.</summary>
    public required string ClientId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>When the key stops working on its own (UTC); null: never. Set at creation or, for the old key, by a rotation's grace.</summary>
    public DateTime? ExpiresAt { get; set; }
}
