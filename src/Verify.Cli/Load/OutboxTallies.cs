using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verify.Contracts;
using Verify.Data;

namespace Verify.Cli.Load;

/// <summary>Counts, per verification, the VerifyIdentity commands and VerificationCompleted events in the service's outbox (read only).</summary>
internal static class OutboxTallies
{
    private static readonly string CommandType = typeof(VerifyIdentity).FullName!;
    private static readonly string CompletedType = typeof(VerificationCompleted).FullName!;

    /// <summary>The tallies of the messages written since <paramref name="since"/> (UTC), by verification id.</summary>
    public static async Task<IReadOnlyDictionary<Guid, OutboxTally>> ReadAsync(VerifyDbContext db, DateTime since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var messages = await db.Outbox.AsNoTracking()
            .Where(m => (m.MessageType == CommandType || m.MessageType == CompletedType) && m.CreatedAt >= since)
            .Select(m => new { m.MessageType, m.Payload, Sent = m.SentAt != null })
            .ToListAsync(cancellationToken);
        var tallies = new Dictionary<Guid, OutboxTally>();
        foreach (var message in messages)
        {
            // Both contracts carry the verification's id; the outbox stores them with the web (camelCase) JSON defaults.
            using var payload = JsonDocument.Parse(message.Payload);
            var id = payload.RootElement.GetProperty("verificationId").GetGuid();
            var tally = tallies.GetValueOrDefault(id) ?? new OutboxTally(0, 0, 0);
            bool command = message.MessageType == CommandType;
            tallies[id] = new OutboxTally(tally.Commands + (command ? 1 : 0), tally.Completions + (command ? 0 : 1), tally.Unsent + (message.Sent ? 0 : 1));
        }

        return tallies;
    }
}
