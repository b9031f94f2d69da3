using System.Linq.Expressions;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Duplicates;

/// <summary>
/// Keeps this process's <see cref="TemplateIndex"/> in step with the database: loads every searchable template at start
/// (consented, not held for a reviewer, not expired), adds a verification's templates once it has committed, reloads a
/// subject after an erasure or a revocation, and reconciles the whole index now and then for whatever an event missed.
/// Only the searched model's templates are held (<see cref="DuplicateSearchOptions.FaceModel"/>), none when the face
/// search is off. Templates are decrypted into memory only; a template that no configured key opens is left out and
/// logged by id.
/// </summary>
public sealed partial class TemplateIndexSync(
    TemplateIndex index,
    PayloadProtector protector,
    IDbContextFactory<VerifyDbContext> databases,
    IOptions<DuplicateSearchOptions> options,
    TimeProvider time,
    ILogger<TemplateIndexSync> logger)
{
    /// <summary>Templates looked up per query when loading by id (an IN list the providers handle comfortably).</summary>
    private const int IdsPerQuery = 500;

    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the index holds every template that was searchable at start; searches wait for it.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>
    /// Makes the index hold exactly the searchable templates of the database: adds those missing, drops those deleted,
    /// expired or held for review since. Returns how many were added and removed.
    /// </summary>
    public async Task<(int Added, int Removed)> ReconcileAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = (await db.FaceTemplates.Where(Searchable()).Select(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
        var held = index.TemplateIds();
        int removed = 0;
        foreach (var gone in held.Where(id => !stored.Contains(id)))
        {
            removed += index.Remove(gone) ? 1 : 0;
        }

        var missing = stored.Where(id => !held.Contains(id)).ToArray();
        int added = 0;
        foreach (var chunk in missing.Chunk(IdsPerQuery))
        {
            added += (await LoadAsync(db, t => chunk.Contains(t.Id), cancellationToken).ConfigureAwait(false)).Count;
        }

        if (_loaded.TrySetResult())
        {
            LogLoaded(logger, index.Count, index.ApproximateBytes / (1024 * 1024));
        }

        return (added, removed);
    }

    /// <summary>Adds the searchable templates one verification stored (after its decision committed, or a reviewer approved it).</summary>
    public async Task<int> AddVerificationAsync(VerifyDbContext db, Guid verificationId, CancellationToken cancellationToken) =>
        (await LoadAsync(db, t => t.VerificationId == verificationId, cancellationToken).ConfigureAwait(false)).Count;

    /// <inheritdoc cref="AddVerificationAsync(VerifyDbContext, Guid, CancellationToken)"/>
    public async Task<int> AddVerificationAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await AddVerificationAsync(db, verificationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the index hold what the database holds for one client's subject now (a badge revocation names both: the
    /// same subject id under another client is another person): after an erasure nothing, after a revocation what is
    /// still stored.
    /// </summary>
    public async Task RefreshSubjectAsync(string clientId, string subjectId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // Load first, then drop the rest, so that a search meanwhile never misses a template that stays.
        var current = await LoadAsync(db,
            t => t.SubjectId == subjectId && db.Verifications.Any(v => v.Id == t.VerificationId && v.ClientId == clientId),
            cancellationToken).ConfigureAwait(false);
        index.RemoveSubject(clientId, subjectId, current);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// What a search may match: the searched model's templates (every stored one is consented), not waiting for a
    /// reviewer, not expired; nothing when the face search is off.
    /// </summary>
    private Expression<Func<FaceTemplate, bool>> Searchable()
    {
        var now = Now;
        var settings = options.Value;
        string model = settings.FaceModel;
        bool on = settings.FaceSearch;
        return t => on && t.ModelId == model && !t.HeldForReview && t.ExpiresAt > now;
    }

    /// <summary>Decrypts the searchable templates that <paramref name="which"/> selects into the index; returns their ids.</summary>
    private async Task<HashSet<Guid>> LoadAsync(VerifyDbContext db, Expression<Func<FaceTemplate, bool>> which, CancellationToken cancellationToken)
    {
        var rows = db.FaceTemplates.AsNoTracking().Where(which).Where(Searchable())
            .Join(db.Verifications, t => t.VerificationId, v => v.Id, (t, v) => new
            {
                t.Id, v.ClientId, t.SubjectId, t.ModelId, t.ModelVersion, t.ExpiresAt, t.Ciphertext,
            });
        var loaded = new HashSet<Guid>();
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            byte[] plaintext;
            try
            {
                plaintext = protector.Unprotect(row.Ciphertext, FaceTemplates.Purpose(row.Id));
            }
            catch (PayloadUnprotectException)
            {
                LogUnreadable(logger, row.Id);
                continue;
            }

            index.Add(new IndexedTemplate(row.Id, row.ClientId, row.SubjectId, row.ModelId, row.ModelVersion, row.ExpiresAt),
                MemoryMarshal.Cast<byte, float>(plaintext));
            loaded.Add(row.Id);
        }

        return loaded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Template index loaded: {Templates} templates, about {Mebibytes} MiB")]
    private static partial void LogLoaded(ILogger logger, int templates, long mebibytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template {TemplateId} does not open with the configured keys; it is left out of the duplicate search")]
    private static partial void LogUnreadable(ILogger logger, Guid templateId);
}
