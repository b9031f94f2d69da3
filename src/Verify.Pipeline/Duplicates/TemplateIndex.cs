using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace Verify.Pipeline.Duplicates;

/// <summary>A stored template as the index knows it: ids, its tenant and model, and when retention deletes it. Never the vector.</summary>
public sealed record IndexedTemplate(Guid TemplateId, string ClientId, string SubjectId, string ModelId, string ModelVersion, DateTime ExpiresAt);

/// <summary>Another subject's template that a face matched, with the cosine similarity between them.</summary>
public sealed record TemplateMatch(string SubjectId, Guid TemplateId, double Score);

/// <summary>
/// The consented face templates of this process, decrypted, for 1:N search: one gallery per client and model version,
/// so a search reads only the rows it may match (same client, same embedding space) and one client's templates never
/// answer another client's search. Safe for concurrent searches, adds and removals.
/// </summary>
/// <param name="searchThreads">Threads one search of a large gallery may use (at least 1).</param>
public sealed class TemplateIndex(int searchThreads) : IDisposable
{
    private readonly ConcurrentDictionary<(string ModelId, string ModelVersion, string ClientId), TemplateGallery> _galleries = new();

    /// <summary>Templates held, over every gallery.</summary>
    public int Count => _galleries.Values.Sum(gallery => gallery.Count);

    /// <summary>About the bytes the index holds (vectors and per-row bookkeeping); the benchmark measures the real figure.</summary>
    public long ApproximateBytes => _galleries.Values.Sum(gallery => gallery.ApproximateBytes);

    /// <summary>Adds a template (its embedding is scaled to unit length), or replaces it when already held.</summary>
    /// <exception cref="ArgumentException">The embedding is empty or zero, or its length differs from the gallery's others.</exception>
    public void Add(IndexedTemplate template, ReadOnlySpan<float> embedding)
    {
        ArgumentNullException.ThrowIfNull(template);
        float norm = embedding.IsEmpty ? 0 : TensorPrimitives.Norm(embedding);
        if (!(norm > 0) || float.IsInfinity(norm))
        {
            throw new ArgumentException("A template needs a non-zero, finite embedding.", nameof(embedding));
        }

        int dimension = embedding.Length;
        var gallery = _galleries.GetOrAdd((template.ModelId, template.ModelVersion, template.ClientId), _ => new TemplateGallery(dimension, Math.Max(1, searchThreads)));
        if (gallery.Dimension != embedding.Length)
        {
            throw new ArgumentException($"The gallery of {template.ModelVersion} holds {gallery.Dimension}-value embeddings, not {embedding.Length}.", nameof(embedding));
        }

        Span<float> unit = embedding.Length <= 1024 ? stackalloc float[embedding.Length] : new float[embedding.Length];
        TensorPrimitives.Divide(embedding, norm, unit);
        gallery.Upsert(template.TemplateId, template.SubjectId, template.ExpiresAt, unit);
    }

    /// <summary>Removes a template; false when it was not held.</summary>
    public bool Remove(Guid templateId) => _galleries.Values.Any(gallery => gallery.Remove(templateId));

    /// <summary>Removes every template of one client's subject, except those in <paramref name="keep"/>; the same subject id under another client stays.</summary>
    public int RemoveSubject(string clientId, string subjectId, IReadOnlySet<Guid>? keep = null)
    {
        IReadOnlySet<Guid> kept = keep ?? new HashSet<Guid>();
        return _galleries.Where(entry => string.Equals(entry.Key.ClientId, clientId, StringComparison.Ordinal))
            .Sum(entry => entry.Value.RemoveSubject(subjectId, kept));
    }

    /// <summary>The ids of every template held.</summary>
    public HashSet<Guid> TemplateIds()
    {
        var ids = new HashSet<Guid>();
        foreach (var gallery in _galleries.Values)
        {
            gallery.CopyIdsTo(ids);
        }

        return ids;
    }

    /// <summary>
    /// The other subjects of the same client whose templates of the same model version match <paramref name="probe"/>
    /// at <paramref name="threshold"/> or above (cosine), each once with its best template, best first, at most
    /// <paramref name="limit"/>; templates expired at <paramref name="now"/> count for nothing.
    /// </summary>
    public IReadOnlyList<TemplateMatch> Search(string modelId, string modelVersion, string clientId, string excludedSubjectId,
        ReadOnlySpan<float> probe, double threshold, DateTime now, int limit = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!_galleries.TryGetValue((modelId, modelVersion, clientId), out var gallery) || gallery.Dimension != probe.Length)
        {
            return [];
        }

        float norm = TensorPrimitives.Norm(probe);
        if (!(norm > 0) || float.IsInfinity(norm))
        {
            return [];
        }

        Span<float> unit = probe.Length <= 1024 ? stackalloc float[probe.Length] : new float[probe.Length];
        TensorPrimitives.Divide(probe, norm, unit);
        return [.. gallery.Search(unit, excludedSubjectId, (float)threshold, now.Ticks)
            .GroupBy(match => match.SubjectId, StringComparer.Ordinal)
            .Select(subject => subject.MaxBy(match => match.Score)!)
            .OrderByDescending(match => match.Score)
            .ThenBy(match => match.SubjectId, StringComparer.Ordinal)
            .Take(limit)];
    }

    public void Dispose()
    {
        foreach (var gallery in _galleries.Values)
        {
            gallery.Dispose();
        }
    }
}
