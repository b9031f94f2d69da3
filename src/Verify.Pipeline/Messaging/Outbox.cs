using System.Text.Json;
using Verify.Data;
using Verify.Data.Entities;

namespace Verify.Pipeline.Messaging;

/// <summary>Adds messages to the transactional outbox: they are published once the caller's unit of work commits.</summary>
public static class Outbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Add<T>(VerifyDbContext db, T message, DateTime now)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Outbox.Add(new OutboxMessage
        {
            Id = Guid.NewGuid(),
            MessageType = typeof(T).FullName!,
            Payload = JsonSerializer.Serialize(message, Json),
            CreatedAt = now,
        });
    }
}
