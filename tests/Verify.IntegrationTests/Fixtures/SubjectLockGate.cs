using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Verify.Data;
using Verify.Data.Entities;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>A place where one writer of a subject waits until the test releases it.</summary>
public sealed class PausePoint
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the writer has arrived and waits.</summary>
    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    internal async Task PauseAsync(CancellationToken cancellationToken)
    {
        _reached.TrySetResult();
        await _released.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
    }
}

/// <summary>
/// Forces interleavings around the subject lock of the real service (interceptors on its database contexts):
/// <see cref="PauseBeforeCommit"/> holds a decision's or an approval's commit just before its transaction begins (the
/// pipeline's stages ran, the case was read), <see cref="PauseBeforeSave"/> holds it later, inside its transaction just
/// before it saves (it has taken the subject's lock, if it takes one, and checked the consent), <see cref="PauseAfterLock"/>
/// holds a writer that has just taken the subject's lock (an erasure mid-way), and <see cref="Locked"/> says when a
/// writer's lock statement has returned. Each point fires once, for the subject it names.
/// </summary>
public sealed class SubjectLockGate
{
    private readonly ConcurrentDictionary<(SubjectLockHolder, string), PausePoint> _beforeCommit = new();
    private readonly ConcurrentDictionary<(SubjectLockHolder, string), PausePoint> _beforeSave = new();
    private readonly ConcurrentDictionary<(SubjectLockHolder, string), PausePoint> _afterLock = new();
    private readonly ConcurrentDictionary<(SubjectLockHolder, string), TaskCompletionSource> _locked = new();

    public IInterceptor[] Interceptors => [new TransactionGate(this), new SaveGate(this), new CommandGate(this)];

    /// <summary>The next commit of <paramref name="holder"/> (a decision or a review) for <paramref name="subjectId"/> waits before its transaction begins.</summary>
    public PausePoint PauseBeforeCommit(SubjectLockHolder holder, string subjectId) => _beforeCommit[(holder, subjectId)] = new PausePoint();

    /// <summary>
    /// The next save of <paramref name="holder"/> (a decision or a review) for <paramref name="subjectId"/> inside its
    /// transaction waits just before it writes: where the lock, when taken, is held and the consent was checked. The
    /// point does not depend on the lock statement, so a writer that skipped it pauses here all the same.
    /// </summary>
    public PausePoint PauseBeforeSave(SubjectLockHolder holder, string subjectId) => _beforeSave[(holder, subjectId)] = new PausePoint();

    /// <summary>The next <paramref name="holder"/> to take <paramref name="subjectId"/>'s lock waits right after, holding it.</summary>
    public PausePoint PauseAfterLock(SubjectLockHolder holder, string subjectId) => _afterLock[(holder, subjectId)] = new PausePoint();

    /// <summary>Completes when <paramref name="holder"/> has taken <paramref name="subjectId"/>'s lock (its statement returned).</summary>
    public Task Locked(SubjectLockHolder holder, string subjectId) =>
        _locked.GetOrAdd((holder, subjectId), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Which holder's commit a transaction about to begin is: one the caller began (no changes pending) in a context tracking the verification (a decision) or the case (a review).</summary>
    private static (SubjectLockHolder, string)? CommitOf(DbContext context)
    {
        if (context.ChangeTracker.HasChanges())
        {
            return null;
        }

        if (context.ChangeTracker.Entries<VerificationRecord>().Select(e => e.Entity).FirstOrDefault() is { } verification)
        {
            return (SubjectLockHolder.Decision, verification.SubjectId);
        }

        return context.ChangeTracker.Entries<ReviewCase>().Select(e => e.Entity).FirstOrDefault() is { } reviewCase
            ? (SubjectLockHolder.Review, reviewCase.SubjectId)
            : null;
    }

    /// <summary>Which holder's save inside its transaction this is: one deciding a case it read (a review), else one recording the verification it tracks (a decision).</summary>
    private static (SubjectLockHolder, string)? SaveOf(DbContext context)
    {
        if (context.Database.CurrentTransaction is null)
        {
            return null;
        }

        if (context.ChangeTracker.Entries<ReviewCase>().FirstOrDefault(e => e.State == EntityState.Modified) is { } decided)
        {
            return (SubjectLockHolder.Review, decided.Entity.SubjectId);
        }

        return context.ChangeTracker.Entries<VerificationRecord>().Select(e => e.Entity).FirstOrDefault() is { } verification
            ? (SubjectLockHolder.Decision, verification.SubjectId)
            : null;
    }

    /// <summary>The holder and subject of a subject-lock statement, from its comment and its parameter.</summary>
    private static IEnumerable<(SubjectLockHolder, string)> LocksOf(DbCommand command) =>
        from holder in Enum.GetValues<SubjectLockHolder>()
        where command.CommandText.Contains($"subject_lock:{SubjectLock.Name(holder)} ", StringComparison.Ordinal)
        from parameter in command.Parameters.Cast<DbParameter>()
        where parameter.Value is string
        select (holder, (string)parameter.Value!);

    private sealed class TransactionGate(SubjectLockGate gate) : DbTransactionInterceptor
    {
        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context is { } context && CommitOf(context) is { } key && gate._beforeCommit.TryRemove(key, out var point))
            {
                await point.PauseAsync(cancellationToken);
            }

            return result;
        }
    }

    private sealed class SaveGate(SubjectLockGate gate) : SaveChangesInterceptor
    {
        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (eventData.Context is { } context && SaveOf(context) is { } key && gate._beforeSave.TryRemove(key, out var point))
            {
                await point.PauseAsync(cancellationToken);
            }

            return result;
        }
    }

    private sealed class CommandGate(SubjectLockGate gate) : DbCommandInterceptor
    {
        public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            foreach (var key in LocksOf(command))
            {
                gate._locked.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                if (gate._afterLock.TryRemove(key, out var point))
                {
                    await point.PauseAsync(cancellationToken);
                }
            }

            return result;
        }
    }
}
