using Verify.Documents.Reading;

namespace Verify.UnitTests.Documents;

public sealed class DisjointSetsTests
{
    [Fact]
    public void Each_element_starts_alone_and_a_union_makes_the_smallest_member_the_root()
    {
        var sets = new DisjointSets(6);

        Assert.Equal([0, 1, 2, 3, 4, 5], Enumerable.Range(0, 6).Select(sets.Find));
        Assert.Equal(2, sets.Union(5, 2));
        Assert.Equal(2, sets.Union(4, 5));
        Assert.Equal(1, sets.Union(4, 1));

        Assert.Equal([0, 1, 1, 3, 1, 1], Enumerable.Range(0, 6).Select(sets.Find));
        Assert.Equal(1, sets.Union(2, 5));
    }

    [Fact]
    public void Added_elements_join_the_numbering()
    {
        var sets = new DisjointSets(1);

        int first = sets.Add(), second = sets.Add();
        sets.Union(second, first);

        Assert.Equal((1, 2, 3), (first, second, sets.Count));
        Assert.Equal(sets.Find(first), sets.Find(second));
        Assert.NotEqual(sets.Find(0), sets.Find(second));
    }
}
