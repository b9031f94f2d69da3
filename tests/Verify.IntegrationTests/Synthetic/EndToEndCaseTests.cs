using System.Security.Cryptography;
using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using Verify.Synthetic;
using Verify.Synthetic.EndToEnd;

namespace Verify.IntegrationTests.Synthetic;

/// <summary>End-to-end submissions generated from the LFW photos in place.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class EndToEndCaseTests
{
    private static readonly DateOnly EvaluationDay = new(2026, 12, 4);

    [Fact]
    public void The_same_seed_and_date_give_the_same_bytes_and_another_seed_other_cases()
    {
        using var first = Generator(seed: 4);
        using var second = Generator(seed: 4);
        using var other = Generator(seed: 5);
        int genuine = first.Kinds.ToList().IndexOf(EndToEndCaseKind.Genuine);

        Assert.Equal(Hash(first.Generate(genuine)), Hash(second.Generate(genuine)));
        Assert.NotEqual(Hash(first.Generate(genuine)), Hash(other.Generate(genuine)));
    }

    [Fact]
    public void An_incomplete_document_is_a_card_front_alone_and_an_unreadable_one_keeps_its_sides()
    {
        using var generator = Generator(seed: 4);
        var incomplete = generator.Generate(generator.Kinds.ToList().IndexOf(EndToEndCaseKind.IncompleteDocument));
        var unreadable = generator.Generate(generator.Kinds.ToList().IndexOf(EndToEndCaseKind.UnreadableDocument));

        Assert.Equal(MrzFormat.Td1, incomplete.DocumentFormat);
        Assert.Null(incomplete.DocumentBack);
        Assert.Equal(unreadable.DocumentFormat == MrzFormat.Td1, unreadable.DocumentBack is not null);
    }

    [Fact]
    public void Selfies_are_enlarged_to_the_configured_size()
    {
        using var generator = Generator(seed: 4);
        var genuine = generator.Generate(generator.Kinds.ToList().IndexOf(EndToEndCaseKind.Genuine));

        var info = new ImageDecoder().Identify(genuine.Selfie);

        Assert.Equal(ImageFormat.Png, info.Format);
        Assert.Equal(640, Math.Max(info.Width, info.Height));
    }

    private static EndToEndCaseGenerator Generator(int seed) => new(new EndToEndCaseOptions
    {
        Documents = new SyntheticGeneratorOptions { FacesFolder = TestPaths.LfwImages, Seed = seed },
        ValidOn = EvaluationDay,
        Count = 10,
    });

    private static string Hash(EndToEndCase generated) => Convert.ToHexString(SHA256.HashData(
        [.. generated.DocumentFront ?? [], .. generated.DocumentBack ?? [], .. generated.Chip?.Sod ?? [], .. generated.Selfie]));
}
