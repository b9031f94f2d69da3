namespace Verify.Data.Entities;

/// <summary>
/// A message written in the same transaction as the rows it announces, and published to the bus afterwards: no
/// verification exists without its message, and no message without its verification.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Also the bus message id, so consumers can recognise a redelivery.</summary>
    public Guid Id { get; set; }

    /// <summary>The contract type's full name.</summary>
    public required string MessageType { get; set; }

    /// <summary>The message as JSON (contracts carry ids and codes, never images).</summary>
    public required string Payload { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SentAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The dispatcher that holds this message until <see cref="LockedUntil"/> (several API instances share one outbox).</summary>
    public Guid? LockId { get; set; }

    public DateTime? LockedUntil { get; set; }
}
