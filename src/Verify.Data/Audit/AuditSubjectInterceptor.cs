using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Verify.Data.Entities;

namespace Verify.Data.Audit;

/// <summary>
/// Gives every audit row added through a context its subject salt and digest as it is saved, so the places that write
/// audit rows stay a plain <c>db.AuditEvents.Add(...)</c>. Stateless: one instance serves every context.
/// </summary>
public sealed class AuditSubjectInterceptor : SaveChangesInterceptor
{
    public static AuditSubjectInterceptor Instance { get; } = new();

    private AuditSubjectInterceptor()
    {
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        LinkAdded(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        LinkAdded(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void LinkAdded(DbContext? context)
    {
        foreach (var entry in context?.ChangeTracker.Entries<AuditEvent>() ?? [])
        {
            if (entry.State == EntityState.Added)
            {
                AuditSubjects.Link(entry.Entity);
            }
        }
    }
}
