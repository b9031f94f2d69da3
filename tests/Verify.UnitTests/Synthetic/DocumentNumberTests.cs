using Verify.Documents.Mrz;
using Verify.Synthetic;
using Xunit.Abstractions;

namespace Verify.UnitTests.Synthetic;

public sealed class DocumentNumberTests(ITestOutputHelper output)
{
    private const string LookAlikes = "O0I1S5B8";
    private const string LookAlikeLetters = "OISB";

    [Fact]
    public void Hard_numbers_are_the_same_as_before_production_numbers_existed()
    {
        // Drawn by the generator before the production style was added; the evaluation sets of seeds 11 and 12 rely on them.
        var random = new Random(11);

        string[] numbers = [.. Enumerable.Range(0, 6).Select(_ => IdentitySampler.DocumentNumber(random))];

        Assert.Equal(["YB1OXZ575", "11BB62568", "DV1017766", "OUG926KRB", "288970151", "IB4082891"], numbers);
    }

    [Theory]
    [InlineData(11, 0, "BS346517", "BS346517<3ESP9606014F3304293<<<<<<<<<<<<<<06")]
    [InlineData(11, 1, "F68348569", "5211021M2403270CAN<<<<<<<<<<<4")]
    [InlineData(11, 3, "L12081891", "5507216M2403203POL<<<<<<<<<<<1")]
    [InlineData(12, 0, "GV8361577", "GV83615776USA4403263M2804084<<<<<<<<<<<<<<06")]
    [InlineData(12, 3, "DB454232", "0506225M2104016NLD<<<<<<<<<<<8")]
    public void Hard_holders_of_the_seed_11_and_12_sets_are_the_same_as_before(int seed, int index, string number, string secondLine)
    {
        // Mixed sets: TD3 at even indices, TD1 at odd; the holder stream is stream 0 of the document.
        var format = index % 2 == 0 ? MrzFormat.Td3 : MrzFormat.Td1;

        var identity = IdentitySampler.Sample(new Random(RandomStreams.Seed(seed, index, 0)), format, DocumentNumberStyle.Hard, new Random(0));

        Assert.Equal(number, identity.Mrz.DocumentNumber);
        Assert.Equal(secondLine, MrzComposer.Compose(identity.Mrz)[1]);
    }

    // Written independently of the generator's table: what each issuer's numbers look like (approximately).
    [Theory]
    [InlineData("D", MrzFormat.Td3, "^[CFGHJK][CFGHJKLMNPRTVWXYZ0-9]{8}$")]
    [InlineData("D", MrzFormat.Td1, "^[LMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}$")]
    [InlineData("FRA", MrzFormat.Td3, "^[0-9]{2}[A-Z]{2}[0-9]{5}$")]
    [InlineData("FRA", MrzFormat.Td1, "^[A-HJ-NP-Z0-9]{9}$")]
    [InlineData("GBR", MrzFormat.Td3, "^[0-9]{9}$")]
    [InlineData("GBR", MrzFormat.Td1, "^[A-HJ-NP-Z]{2}[0-9]{7}$")]
    [InlineData("ITA", MrzFormat.Td3, "^[A-HJ-NP-Z]{2}[0-9]{7}$")]
    [InlineData("ITA", MrzFormat.Td1, "^[A-HJ-NP-Z]{2}[0-9]{5}[A-HJ-NP-Z]{2}$")]
    [InlineData("ESP", MrzFormat.Td3, "^[A-HJ-NP-Z]{3}[0-9]{6}$")]
    [InlineData("ESP", MrzFormat.Td1, "^[A-HJ-NP-Z]{3}[0-9]{6}$")]
    [InlineData("NLD", MrzFormat.Td3, "^[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]$")]
    [InlineData("NLD", MrzFormat.Td1, "^[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]$")]
    [InlineData("POL", MrzFormat.Td3, "^[A-Z]{2}[0-9]{7}$")]
    [InlineData("POL", MrzFormat.Td1, "^[A-Z]{3}[0-9]{6}$")]
    [InlineData("CAN", MrzFormat.Td3, "^[A-HJ-NP-Z]{2}[0-9]{6}$")]
    [InlineData("CAN", MrzFormat.Td1, "^[A-HJ-NP-Z]{2}[0-9]{6}$")]
    [InlineData("USA", MrzFormat.Td3, "^(A[0-9]{8}|[0-9]{9})$")]
    [InlineData("USA", MrzFormat.Td1, "^C[0-9]{8}$")]
    [InlineData("BRA", MrzFormat.Td3, "^[A-HJ-NP-Z]{2}[0-9]{6}$")]
    [InlineData("BRA", MrzFormat.Td1, "^[A-HJ-NP-Z]{2}[0-9]{6}$")]
    [InlineData("IND", MrzFormat.Td3, "^[A-HJ-NP-Z][0-9]{7}$")]
    [InlineData("IND", MrzFormat.Td1, "^[A-HJ-NP-Z][0-9]{7}$")]
    [InlineData("JPN", MrzFormat.Td3, "^[A-HJ-NP-Z]{2}[0-9]{7}$")]
    [InlineData("JPN", MrzFormat.Td1, "^[A-HJ-NP-Z]{2}[0-9]{7}$")]
    [InlineData("NGA", MrzFormat.Td3, "^[A-HJ-NP-Z][0-9]{8}$")]
    [InlineData("NGA", MrzFormat.Td1, "^[A-HJ-NP-Z][0-9]{8}$")]
    [InlineData("SWE", MrzFormat.Td3, "^[0-9]{8}$")]
    [InlineData("SWE", MrzFormat.Td1, "^[0-9]{8}$")]
    public void Production_numbers_match_their_issuers_pattern(string issuer, MrzFormat format, string pattern)
    {
        var random = new Random(7);

        var numbers = Enumerable.Range(0, 300).Select(_ => IssuerDocumentNumbers.Draw(random, issuer, format)).ToList();

        Assert.All(numbers, number => Assert.Matches(pattern, number));
    }

    [Fact]
    public void Every_issuer_drawn_from_has_production_numbers_for_passports_and_cards()
    {
        var random = new Random(3);

        foreach (var country in IssuingCountry.All)
        {
            foreach (var format in new[] { MrzFormat.Td3, MrzFormat.Td1 })
            {
                string number = IssuerDocumentNumbers.Draw(random, country.Code, format);

                Assert.InRange(number.Length, 8, 9);
            }
        }
    }

    [Fact]
    public void Canadian_passport_numbers_are_shorter_than_the_field_and_end_in_a_filler()
    {
        var identity = SampleProduction(seed: 0, MrzFormat.Td3, "CAN");

        Assert.Equal(8, identity.Mrz.DocumentNumber.Length);
        Assert.Equal(identity.Mrz.DocumentNumber + "<", MrzComposer.Compose(identity.Mrz)[1][..9]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_production_number()
    {
        var first = IdentitySampler.Sample(new Random(5), MrzFormat.Td3, DocumentNumberStyle.Production, new Random(6));
        var second = IdentitySampler.Sample(new Random(5), MrzFormat.Td3, DocumentNumberStyle.Production, new Random(6));
        var other = IdentitySampler.Sample(new Random(5), MrzFormat.Td3, DocumentNumberStyle.Production, new Random(8));

        Assert.Equal(first.Mrz, second.Mrz);
        Assert.NotEqual(first.Mrz.DocumentNumber, other.Mrz.DocumentNumber);
    }

    [Fact]
    public void The_production_style_keeps_the_holder_of_the_hard_style()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var hard = IdentitySampler.Sample(new Random(seed), MrzFormat.Td1, DocumentNumberStyle.Hard, new Random(1));
            var production = IdentitySampler.Sample(new Random(seed), MrzFormat.Td1, DocumentNumberStyle.Production, new Random(1));

            Assert.Equal(hard.Mrz with { DocumentNumber = "" }, production.Mrz with { DocumentNumber = "" });
            Assert.Equal((hard.Country, hard.PlaceOfBirth, hard.IssueDate, hard.Authority), (production.Country, production.PlaceOfBirth, production.IssueDate, production.Authority));
            Assert.Equal(hard.Address, production.Address);
        }
    }

    [Fact]
    public void Look_alike_characters_are_far_rarer_in_production_numbers_than_in_the_hard_set()
    {
        var hard = Numbers(DocumentNumberStyle.Hard);
        var production = Numbers(DocumentNumberStyle.Production);

        // Digits are uniform in both styles, so 0, 1, 5 and 8 are 40 % of the digits in each; the hard set differs in
        // its letters (O, I, S and B forced into 40 % of them) and in holding at least one look-alike per number.
        // Measured on these 5000 numbers: look-alike letters 40.0 % hard, 7.7 % production; all look-alikes 40.1 % and 30.7 %.
        double hardLetters = Share(hard, LookAlikeLetters), productionLetters = Share(production, LookAlikeLetters);
        double hardAll = Share(hard, LookAlikes), productionAll = Share(production, LookAlikes);
        double hardLetterShare = LetterShare(hard), productionLetterShare = LetterShare(production);
        output.WriteLine($"look-alike letters O I S B among letters: hard {hardLetters:P1}, production {productionLetters:P1}");
        output.WriteLine($"look-alikes O 0 I 1 S 5 B 8 among all characters: hard {hardAll:P1}, production {productionAll:P1}");
        output.WriteLine($"letters among all characters: hard {hardLetterShare:P1}, production {productionLetterShare:P1}");

        Assert.True(productionLetters < hardLetters / 4, $"look-alike letters: production {productionLetters:P1}, hard {hardLetters:P1}");
        Assert.True(productionAll < hardAll, $"all look-alikes: production {productionAll:P1}, hard {hardAll:P1}");
    }

    private static List<string> Numbers(DocumentNumberStyle style) =>
        [.. Enumerable.Range(0, 5000).Select(seed => IdentitySampler.Sample(new Random(seed), seed % 2 == 0 ? MrzFormat.Td3 : MrzFormat.Td1, style,
            new Random(seed + 1_000_000)).Mrz.DocumentNumber)];

    /// <summary>The share of the characters of <paramref name="numbers"/> in <paramref name="set"/>, letters only when the set is all letters.</summary>
    private static double Share(List<string> numbers, string set)
    {
        bool lettersOnly = set.All(char.IsLetter);
        var characters = numbers.SelectMany(number => number).Where(c => !lettersOnly || char.IsLetter(c)).ToList();
        return characters.Count(set.Contains) / (double)characters.Count;
    }

    private static double LetterShare(List<string> numbers) =>
        numbers.SelectMany(number => number).Count(char.IsLetter) / (double)numbers.Sum(number => number.Length);

    private static SyntheticIdentity SampleProduction(int seed, MrzFormat format, string issuer)
    {
        // Draw holders until one is of the issuer: the issuer is drawn, not chosen.
        for (int attempt = seed; ; attempt++)
        {
            var identity = IdentitySampler.Sample(new Random(attempt), format, DocumentNumberStyle.Production, new Random(attempt));
            if (identity.Country.Code == issuer)
            {
                return identity;
            }
        }
    }
}
