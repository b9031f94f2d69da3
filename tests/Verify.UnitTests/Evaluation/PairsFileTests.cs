using Verify.Evaluation;

namespace Verify.UnitTests.Evaluation;

public sealed class PairsFileTests
{
    [Fact]
    public void A_view_1_file_is_one_fold_of_same_then_different_pairs()
    {
        var pairs = PairsFile.Parse(["2", "Ann\t1\t2", "Bob 3 4", "Ann\t1\tBob\t3", "Cy 2 Dee 1"]);

        var fold = Assert.Single(pairs.Folds);
        Assert.Equal([true, true, false, false], fold.Select(p => p.SamePerson));
        Assert.Equal(Path.Combine("Ann", "Ann_0001.jpg"), fold[0].FirstImage);
        Assert.Equal(Path.Combine("Bob", "Bob_0003.jpg"), fold[2].SecondImage);
    }

    [Fact]
    public void A_view_2_file_has_folds()
    {
        var pairs = PairsFile.Parse(["2 1", "Ann 1 2", "Ann 1 Bob 2", "Cy 1 3", "Cy 1 Dee 1"]);

        Assert.Equal(2, pairs.Folds.Count);
        Assert.Equal("Cy", pairs.Folds[1][0].FirstName);
        Assert.Equal(4, pairs.Pairs.Count());
    }

    [Theory]
    [InlineData(new[] { "1", "Ann 1" }, "Line 2")]
    [InlineData(new[] { "1", "Ann 1 2", "Ann 1 2" }, "Line 3: expected a different-person pair")]
    [InlineData(new[] { "1", "Ann x 2", "Ann 1 Bob 2" }, "'x' is not a positive whole number")]
    [InlineData(new[] { "2", "Ann 1 2" }, "ends at line 2")]
    [InlineData(new[] { "a b c" }, "Line 1")]
    public void Malformed_files_are_reported_with_their_line(string[] lines, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => PairsFile.Parse(lines)).Message);
}
