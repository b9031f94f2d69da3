namespace Verify.Documents.Reading;

/// <summary>
/// Union-find over the integers 0..Count-1, with path halving; a union keeps the smaller root, so a set's root is its
/// smallest member. Used to join touching pixels into blobs and neighbouring characters into text lines.
/// </summary>
internal sealed class DisjointSets
{
    private readonly List<int> _parent;

    /// <param name="count">Elements to start with, each in a set of its own.</param>
    public DisjointSets(int count = 0) => _parent = [.. Enumerable.Range(0, count)];

    public int Count => _parent.Count;

    /// <summary>Adds an element in a set of its own and returns it.</summary>
    public int Add()
    {
        _parent.Add(_parent.Count);
        return _parent.Count - 1;
    }

    /// <summary>The root (smallest member) of the set holding <paramref name="element"/>.</summary>
    public int Find(int element)
    {
        while (_parent[element] != element)
        {
            _parent[element] = _parent[_parent[element]];
            element = _parent[element];
        }

        return element;
    }

    /// <summary>Merges the sets of <paramref name="first"/> and <paramref name="second"/>; returns the merged set's root.</summary>
    public int Union(int first, int second)
    {
        int a = Find(first), b = Find(second);
        if (a != b)
        {
            _parent[Math.Max(a, b)] = Math.Min(a, b);
        }

        return Math.Min(a, b);
    }
}
