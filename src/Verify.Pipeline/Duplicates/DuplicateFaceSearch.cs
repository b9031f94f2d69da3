using Microsoft.Extensions.Options;
using Verify.Inference.Faces;
using Verify.Inference.Models;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline.Duplicates;

/// <summary>
/// The 1:N half of the duplicate check: does this selfie match another subject of the same client? Searches the
/// <see cref="TemplateIndex"/> with the selfie's embedding of <see cref="DuplicateSearchOptions.FaceModel"/> at the
/// threshold that model's manifest calibrates for <see cref="DuplicateSearchOptions.FaceFalseAcceptRate"/>.
/// </summary>
public sealed class DuplicateFaceSearch(TemplateIndex index, TemplateIndexSync sync, ModelCatalog catalog, IOptions<DuplicateSearchOptions> options,
    TimeProvider time)
{
    private readonly Lazy<double> _threshold = new(() =>
        FaceMatcher.ThresholdAt(options.Value.FaceModel, catalog.Get(options.Value.FaceModel).Matching, options.Value.FaceFalseAcceptRate));

    /// <summary>The cosine at or above which two faces count as one person in the search; throws when that rate is not calibrated.</summary>
    public double Threshold => _threshold.Value;

    /// <summary>
    /// The other subject of the client whose template matches the selfie best at or above <see cref="Threshold"/>, or
    /// null (no match, the search switched off, or no embedding of the searched model). Waits for the index's first load.
    /// </summary>
    public async Task<TemplateMatch?> FindAsync(string clientId, string subjectId, IReadOnlyList<ModelEmbedding> selfie, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selfie);
        var settings = options.Value;
        if (!settings.FaceSearch || selfie.FirstOrDefault(e => string.Equals(e.ModelId, settings.FaceModel, StringComparison.Ordinal)) is not { } probe)
        {
            return null;
        }

        await sync.Loaded.WaitAsync(cancellationToken).ConfigureAwait(false);
        var matches = index.Search(probe.ModelId, probe.Embedding.ModelVersion, clientId, subjectId, probe.Embedding.Vector, Threshold,
            time.GetUtcNow().UtcDateTime, limit: 1);
        return matches.Count > 0 ? matches[0] : null;
    }
}
