using Verify.Evaluation;
using Verify.Synthetic.EndToEnd;

namespace Verify.UnitTests.Synthetic;

public sealed class EndToEndMixTests
{
    [Fact]
    public void Three_hundred_cases_are_fifty_five_percent_genuine_fifteen_impostor_and_five_of_each_other_kind()
    {
        var counts = EndToEndMix.Default.Counts(300);

        Assert.Equal(165, counts[EndToEndCaseKind.Genuine]);
        Assert.Equal(45, counts[EndToEndCaseKind.Impostor]);
        Assert.All(EndToEndCaseKinds.All.Except([EndToEndCaseKind.Genuine, EndToEndCaseKind.Impostor]), kind => Assert.Equal(15, counts[kind]));
    }

    [Fact]
    public void The_photographed_mix_is_the_one_before_tampered_documents()
    {
        var counts = EndToEndMix.Photographed.Counts(300);

        Assert.Equal(180, counts[EndToEndCaseKind.Genuine]);
        Assert.Equal(0, counts[EndToEndCaseKind.TamperedDocument]);
        Assert.All(EndToEndCaseKinds.All.Except([EndToEndCaseKind.Genuine, EndToEndCaseKind.Impostor, EndToEndCaseKind.TamperedDocument]),
            kind => Assert.Equal(15, counts[kind]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(299)]
    [InlineData(1001)]
    public void The_counts_always_add_up_to_the_run(int total)
    {
        Assert.Equal(total, EndToEndMix.Default.Counts(total).Values.Sum());
        Assert.Equal(total, EndToEndMix.Default.Assign(total, seed: 1).Count);
    }

    [Fact]
    public void Ten_cases_still_cover_every_kind_taking_the_missing_ones_from_genuine()
    {
        var counts = EndToEndMix.Default.Counts(10);

        // 5.5, 1.5 and 0.5 each: genuine, impostor, print and screen spoof win the ties in list order; the other four kinds take a genuine case each.
        Assert.Equal([2, 2, 1, 1, 1, 1, 1, 1], EndToEndCaseKinds.All.Select(kind => counts[kind]));
    }

    [Fact]
    public void A_kind_without_a_share_is_never_generated()
    {
        var mix = new EndToEndMix(new Dictionary<EndToEndCaseKind, double> { [EndToEndCaseKind.Genuine] = 3, [EndToEndCaseKind.Impostor] = 1 });

        var counts = mix.Counts(20);

        Assert.Equal(15, counts[EndToEndCaseKind.Genuine]);
        Assert.Equal(5, counts[EndToEndCaseKind.Impostor]);
        Assert.Equal(0, counts[EndToEndCaseKind.PrintSpoof]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order_and_another_seed_another()
    {
        var first = EndToEndMix.Default.Assign(50, seed: 7);
        var again = EndToEndMix.Default.Assign(50, seed: 7);
        var other = EndToEndMix.Default.Assign(50, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(first.Order(), other.Order());
    }

    [Fact]
    public void A_mix_is_written_as_kind_weight_pairs()
    {
        var mix = EndToEndMix.Parse("print_spoof=1, screen_spoof=3");

        Assert.Equal(0.25, mix.Shares[EndToEndCaseKind.PrintSpoof], 10);
        Assert.Equal(0.75, mix.Shares[EndToEndCaseKind.ScreenSpoof], 10);
        Assert.Equal(0, mix.Shares[EndToEndCaseKind.Genuine]);
    }

    [Theory]
    [InlineData("selfie=1")]
    [InlineData("genuine")]
    [InlineData("genuine=lots")]
    [InlineData("genuine=0")]
    [InlineData("")]
    public void A_mix_naming_no_kind_or_no_weight_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => EndToEndMix.Parse(text));
    }

    [Fact]
    public void Negative_or_all_zero_shares_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new EndToEndMix(new Dictionary<EndToEndCaseKind, double> { [EndToEndCaseKind.Genuine] = -1 }));
        Assert.Throws<ArgumentException>(() => new EndToEndMix(new Dictionary<EndToEndCaseKind, double> { [EndToEndCaseKind.Genuine] = 0 }));
    }

    [Fact]
    public void Only_genuine_cases_should_be_verified_only_unusable_selfies_must_be_rejected_and_only_impostors_spoofs_and_forgeries_are_attacks()
    {
        Assert.Equal([EndToEndCaseKind.Genuine], EndToEndCaseKinds.All.Where(kind => kind.Expected() == ExpectedDecision.Verified));
        Assert.Equal([EndToEndCaseKind.UnusableSelfie], EndToEndCaseKinds.All.Where(kind => kind.Expected() == ExpectedDecision.Rejected));
        Assert.Equal([EndToEndCaseKind.Impostor, EndToEndCaseKind.PrintSpoof, EndToEndCaseKind.ScreenSpoof, EndToEndCaseKind.TamperedDocument],
            EndToEndCaseKinds.All.Where(kind => kind.IsAttack()));
        Assert.Equal(EndToEndCaseKinds.All.Count, EndToEndCaseKinds.All.Select(kind => kind.ToName()).Distinct().Count());
    }
}
