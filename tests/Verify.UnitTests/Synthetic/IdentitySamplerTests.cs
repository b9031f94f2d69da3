using Verify.Documents.Mrz;
using Verify.Synthetic;

namespace Verify.UnitTests.Synthetic;

public sealed class IdentitySamplerTests
{
    private static readonly DateOnly EvaluationDay = new(2026, 12, 4);

    [Theory]
    [InlineData(MrzFormat.Td1)]
    [InlineData(MrzFormat.Td3)]
    public void Holders_drawn_valid_on_a_date_are_adults_with_unexpired_documents_then(MrzFormat format)
    {
        var random = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            var holder = IdentitySampler.SampleValidOn(random, format, EvaluationDay);

            Assert.True(holder.Mrz.ExpiryDate >= EvaluationDay, "expired on the day");
            Assert.True(holder.Mrz.BirthDate.AddYears(IdentitySampler.AdultAge) <= EvaluationDay, "under age on the day");
            Assert.True(holder.IssueDate <= EvaluationDay, "issued after the day");
            Assert.Equal(format, holder.Mrz.Format);
        }
    }

    [Fact]
    public void The_plain_draw_does_give_expired_documents_and_minors_which_is_why_the_valid_draw_exists()
    {
        var random = new Random(5);
        var holders = Enumerable.Range(0, 500).Select(_ => IdentitySampler.Sample(random, MrzFormat.Td3)).ToList();

        Assert.Contains(holders, h => h.Mrz.ExpiryDate < IdentitySampler.ReferenceDate);
        Assert.Contains(holders, h => h.Mrz.BirthDate.AddYears(IdentitySampler.AdultAge) > IdentitySampler.ReferenceDate);
    }

    [Fact]
    public void The_same_seed_and_date_give_the_same_holder()
    {
        var first = IdentitySampler.SampleValidOn(new Random(9), MrzFormat.Td1, EvaluationDay);
        var second = IdentitySampler.SampleValidOn(new Random(9), MrzFormat.Td1, EvaluationDay);

        Assert.Equal(first.Mrz, second.Mrz);
        Assert.Equal(first.IssueDate, second.IssueDate);
    }
}
