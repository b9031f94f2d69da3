using Microsoft.EntityFrameworkCore;
using Verify.Data;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// A consumer's receipt of a command: its outbox row (the bus message id is the outbox id) is marked sent when the
/// consumer has the message, before any work. In embedded mode the dispatcher leaves the row leased but unsent after
/// the in-memory send (leased for <see cref="MessagingOptions.QueuedLease"/>, so a command waiting in a long in-memory
/// queue is not sent again meanwhile), so a process that dies between the send and the receipt loses nothing: the row
/// is sent again once its lease lapses. On RabbitMQ the dispatcher marks it sent after the broker confirmed the publish (publisher
/// confirms) and this finds nothing left to mark.
/// </summary>
public sealed class CommandReceipts(IDbContextFactory<VerifyDbContext> databases, TimeProvider time)
{
    public async Task AcknowledgeAsync(Guid? messageId, CancellationToken cancellationToken)
    {
        if (messageId is not { } id)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Outbox.Where(m => m.Id == id && m.SentAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.SentAt, now), cancellationToken).ConfigureAwait(false);
    }
}
