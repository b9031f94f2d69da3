using System.Numerics.Tensors;

namespace Verify.Pipeline.Duplicates;

/// <summary>
/// The templates of one client under one model version: unit vectors in contiguous blocks of rows, searched with one dot
/// product per row. Rows are kept dense (a removed row takes the last row's place), so a search reads memory straight
/// through. Many searches run at once; an add or a removal waits for them and holds them off while it writes. A large
/// gallery is searched by up to <paramref name="threads"/> threads, a block each.
/// </summary>
internal sealed class TemplateGallery(int dimension, int threads) : IDisposable
{
    /// <summary>Rows per block: 4096 rows of 512 floats are 8 MiB, so growing never copies the whole matrix.</summary>
    internal const int RowsPerBlock = 4096;

    /// <summary>Below this many rows one thread searches; above it the blocks are shared among the cores.</summary>
    private const int ParallelRows = 2 * RowsPerBlock;

    private readonly List<float[]> _blocks = [];
    private readonly Dictionary<Guid, int> _rowOf = [];
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private Guid[] _ids = [];
    private string[] _subjects = [];
    private long[] _expiresAt = [];
    private int _count;

    public int Dimension => dimension;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds a unit vector, or replaces the row of a template already held.</summary>
    public void Upsert(Guid templateId, string subjectId, DateTime expiresAt, ReadOnlySpan<float> unitVector)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rowOf.TryGetValue(templateId, out int row))
            {
                row = _count++;
                EnsureCapacity(_count);
                _rowOf[templateId] = row;
            }

            _ids[row] = templateId;
            _subjects[row] = subjectId;
            _expiresAt[row] = expiresAt.Ticks;
            unitVector.CopyTo(RowSpan(row));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a template; false when it was not held.</summary>
    public bool Remove(Guid templateId)
    {
        _lock.EnterWriteLock();
        try
        {
            return RemoveHeld(templateId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes every template of a subject but those in <paramref name="keep"/>; returns how many went.</summary>
    public int RemoveSubject(string subjectId, IReadOnlySet<Guid> keep)
    {
        _lock.EnterWriteLock();
        try
        {
            var held = new List<Guid>();
            for (int row = 0; row < _count; row++)
            {
                if (string.Equals(_subjects[row], subjectId, StringComparison.Ordinal) && !keep.Contains(_ids[row]))
                {
                    held.Add(_ids[row]);
                }
            }

            foreach (var id in held)
            {
                RemoveHeld(id);
            }

            return held.Count;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The ids of every template held.</summary>
    public void CopyIdsTo(ICollection<Guid> ids)
    {
        _lock.EnterReadLock();
        try
        {
            for (int row = 0; row < _count; row++)
            {
                ids.Add(_ids[row]);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Every row of another subject, not expired at <paramref name="nowTicks"/>, whose cosine with the unit vector
    /// <paramref name="probe"/> reaches <paramref name="threshold"/>.
    /// </summary>
    public List<TemplateMatch> Search(ReadOnlySpan<float> probe, string excludedSubjectId, float threshold, long nowTicks)
    {
        _lock.EnterReadLock();
        try
        {
            int blocks = (_count + RowsPerBlock - 1) / RowsPerBlock;
            if (_count < ParallelRows || threads == 1)
            {
                var found = new List<TemplateMatch>();
                for (int block = 0; block < blocks; block++)
                {
                    SearchBlock(block, probe, excludedSubjectId, threshold, nowTicks, found);
                }

                return found;
            }

            // The probe goes to the other threads as an array (a span cannot be captured); the write lock stays out
            // until every block is done, because this thread holds the read lock until Parallel.For returns.
            var query = probe.ToArray();
            var perBlock = new List<TemplateMatch>[blocks];
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block =>
            {
                var found = new List<TemplateMatch>();
                SearchBlock(block, query, excludedSubjectId, threshold, nowTicks, found);
                perBlock[block] = found;
            });
            return [.. perBlock.SelectMany(found => found)];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// About the bytes this gallery holds: the blocks, the per-row id, subject reference and expiry, and the row lookup
    /// (not the subject strings themselves, one per subject).
    /// </summary>
    public long ApproximateBytes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return (_blocks.Count * (long)RowsPerBlock * dimension * sizeof(float))
                    + (_ids.Length * (16L + IntPtr.Size + sizeof(long)))
                    + (_rowOf.Count * 32L);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public void Dispose() => _lock.Dispose();

    private void SearchBlock(int block, ReadOnlySpan<float> probe, string excludedSubjectId, float threshold, long nowTicks, List<TemplateMatch> found)
    {
        var rows = _blocks[block];
        int first = block * RowsPerBlock;
        int end = Math.Min(_count, first + RowsPerBlock);
        for (int row = first; row < end; row++)
        {
            float score = TensorPrimitives.Dot(rows.AsSpan((row - first) * dimension, dimension), probe);
            if (score >= threshold && _expiresAt[row] > nowTicks && !string.Equals(_subjects[row], excludedSubjectId, StringComparison.Ordinal))
            {
                found.Add(new TemplateMatch(_subjects[row], _ids[row], score));
            }
        }
    }

    private Span<float> RowSpan(int row) => _blocks[row / RowsPerBlock].AsSpan(row % RowsPerBlock * dimension, dimension);

    private bool RemoveHeld(Guid templateId)
    {
        if (!_rowOf.Remove(templateId, out int row))
        {
            return false;
        }

        int last = --_count;
        if (row != last)
        {
            // The last row fills the gap, so the rows stay dense.
            RowSpan(last).CopyTo(RowSpan(row));
            _ids[row] = _ids[last];
            _subjects[row] = _subjects[last];
            _expiresAt[row] = _expiresAt[last];
            _rowOf[_ids[row]] = row;
        }

        _subjects[last] = null!;
        if (_count <= (_blocks.Count - 1) * RowsPerBlock)
        {
            _blocks.RemoveAt(_blocks.Count - 1);
        }

        return true;
    }

    private void EnsureCapacity(int rows)
    {
        while (_blocks.Count * RowsPerBlock < rows)
        {
            _blocks.Add(new float[RowsPerBlock * dimension]);
        }

        if (_ids.Length < rows)
        {
            int capacity = Math.Max(rows, Math.Max(64, _ids.Length * 2));
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _subjects, capacity);
            Array.Resize(ref _expiresAt, capacity);
        }
    }
}
