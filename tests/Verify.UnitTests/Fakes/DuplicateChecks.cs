using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Verify.Inference.Models;
using Verify.Pipeline.Duplicates;
using Verify.Pipeline.Verification;

namespace Verify.UnitTests.Fakes;

/// <summary>
/// The safeguards and the commit over a <see cref="SqliteTestStore"/> as the service wires them: a real template index
/// kept by a real sync, and the repository's manifests for the 1:N threshold. Loaded (from the empty store) once made.
/// </summary>
public sealed class DuplicateChecks : IDisposable
{
    private DuplicateChecks(SqliteTestStore store, DuplicateSearchOptions options, VerificationOptions verification)
    {
        Index = new TemplateIndex(searchThreads: 1);
        Sync = new TemplateIndexSync(Index, store.Protector, store, Options.Create(options), store.Time, NullLogger<TemplateIndexSync>.Instance);
        var catalog = new ModelCatalog(Path.Combine(AppContext.BaseDirectory, "models"), AppContext.BaseDirectory);
        Search = new DuplicateFaceSearch(Index, Sync, catalog, Options.Create(options), store.Time);
        Safeguards = new DecisionSafeguards(store.Fingerprinter, Search);
        Recorder = new DecisionRecorder(store.Protector, store.Fingerprinter, Options.Create(verification), Options.Create(store.BlobOptions));
        Committer = new DecisionCommitter(Safeguards, Recorder, new EvidenceDisposal(store.Blobs, store.Time), Sync, store.Time,
            NullLogger<DecisionCommitter>.Instance);
    }

    public TemplateIndex Index { get; }

    public TemplateIndexSync Sync { get; }

    public DuplicateFaceSearch Search { get; }

    public DecisionSafeguards Safeguards { get; }

    public DecisionRecorder Recorder { get; }

    public DecisionCommitter Committer { get; }

    public static async Task<DuplicateChecks> CreateAsync(SqliteTestStore store, DuplicateSearchOptions? options = null, VerificationOptions? verification = null)
    {
        var checks = new DuplicateChecks(store, options ?? new DuplicateSearchOptions(), verification ?? new VerificationOptions());
        await checks.Sync.ReconcileAsync(CancellationToken.None);
        return checks;
    }

    public void Dispose() => Index.Dispose();
}
