using Verify.Pipeline.Duplicates;

namespace Verify.UnitTests.Duplicates;

/// <summary>The in-memory 1:N index: who it finds, whom it never shows, removal, and searches while it changes.</summary>
public sealed class TemplateIndexTests : IDisposable
{
    private const string Model = "fr-feature";
    private const string Version = "fr-feature@1";
    private static readonly DateTime Now = new(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = Now.AddYears(3);
    private readonly TemplateIndex _index = new(searchThreads: 1);

    public void Dispose() => _index.Dispose();

    [Fact]
    public void Finds_the_other_subject_nearest_to_the_probe_best_first_each_subject_once()
    {
        var probe = Direction(1);
        Add("client-a", "far", Near(probe, 0.62));
        Add("client-a", "near", Near(probe, 0.9));
        Add("client-a", "near", Near(probe, 0.8));
        Add("client-a", "stranger", Direction(2));

        var matches = _index.Search(Model, Version, "client-a", "probe-subject", probe, threshold: 0.6, Now);

        Assert.Equal(["near", "far"], matches.Select(m => m.SubjectId));
        Assert.Equal(0.9, matches[0].Score, 3);
        Assert.Equal(0.62, matches[1].Score, 3);
    }

    [Fact]
    public void Never_returns_the_subject_itself_another_clients_subjects_or_another_model_version()
    {
        var probe = Direction(3);
        Add("client-a", "probe-subject", probe);
        Add("client-b", "other-client", probe);
        _index.Add(new IndexedTemplate(Guid.NewGuid(), "client-a", "old-model", Model, "fr-feature@0", Later), probe);

        Assert.Empty(_index.Search(Model, Version, "client-a", "probe-subject", probe, 0.5, Now));
        Assert.Equal("other-client", Assert.Single(_index.Search(Model, Version, "client-b", "probe-subject", probe, 0.5, Now)).SubjectId);
    }

    [Fact]
    public void Embeddings_are_compared_as_directions_whatever_their_length()
    {
        var probe = Direction(4);
        Add("client-a", "scaled", [.. probe.Select(v => v * 7)]);

        var match = Assert.Single(_index.Search(Model, Version, "client-a", "someone", [.. probe.Select(v => v / 3)], 0.99, Now));

        Assert.Equal(1.0, match.Score, 4);
    }

    [Fact]
    public void A_removed_template_or_subject_is_found_no_more_and_the_others_still_are()
    {
        var probe = Direction(5);
        var removed = Add("client-a", "first", probe);
        Add("client-a", "second", Near(probe, 0.95));
        Add("client-b", "erased", probe);
        Add("client-a", "erased", Near(probe, 0.9));

        Assert.True(_index.Remove(removed));
        Assert.False(_index.Remove(removed));
        // One client's subject goes; the same subject id under another client is another person and stays.
        Assert.Equal(1, _index.RemoveSubject("client-a", "erased"));

        Assert.Equal(["second"], _index.Search(Model, Version, "client-a", "someone", probe, 0.5, Now).Select(m => m.SubjectId));
        Assert.Equal(["erased"], _index.Search(Model, Version, "client-b", "someone", probe, 0.5, Now).Select(m => m.SubjectId));
        Assert.Equal(1, _index.RemoveSubject("client-b", "erased"));
        Assert.Empty(_index.Search(Model, Version, "client-b", "someone", probe, 0.5, Now));
        Assert.Equal(1, _index.Count);
    }

    [Fact]
    public void Removal_keeps_every_other_row_findable_across_blocks()
    {
        var ids = Enumerable.Range(0, 9000).Select(i => Add("client-a", $"s{i}", Direction(1000 + i))).ToArray();
        foreach (var id in ids.Where((_, i) => i % 3 == 0))
        {
            _index.Remove(id);
        }

        Assert.Equal(6000, _index.Count);
        Assert.Equal(ids.Where((_, i) => i % 3 != 0).ToHashSet(), _index.TemplateIds());
        for (int i = 1; i < 9000; i += 997)
        {
            var matches = _index.Search(Model, Version, "client-a", "someone", Direction(1000 + i), 0.99, Now);
            Assert.Equal(i % 3 == 0 ? [] : [$"s{i}"], matches.Select(m => m.SubjectId));
        }
    }

    [Fact]
    public void An_expired_template_counts_for_nothing()
    {
        var probe = Direction(6);
        _index.Add(new IndexedTemplate(Guid.NewGuid(), "client-a", "expired", Model, Version, Now), probe);

        Assert.Empty(_index.Search(Model, Version, "client-a", "someone", probe, 0.5, Now));
        Assert.Single(_index.Search(Model, Version, "client-a", "someone", probe, 0.5, Now.AddSeconds(-1)));
    }

    [Fact]
    public void Adding_a_template_again_replaces_it()
    {
        var id = Guid.NewGuid();
        _index.Add(new IndexedTemplate(id, "client-a", "subject", Model, Version, Later), Direction(7));
        _index.Add(new IndexedTemplate(id, "client-a", "subject", Model, Version, Later), Direction(8));

        Assert.Equal(1, _index.Count);
        Assert.Empty(_index.Search(Model, Version, "client-a", "someone", Direction(7), 0.9, Now));
        Assert.Single(_index.Search(Model, Version, "client-a", "someone", Direction(8), 0.9, Now));
    }

    [Fact]
    public void An_embedding_of_another_length_or_of_zeros_is_refused()
    {
        Add("client-a", "subject", Direction(9));

        Assert.Throws<ArgumentException>(() => _index.Add(new IndexedTemplate(Guid.NewGuid(), "client-a", "s", Model, Version, Later), new float[16]));
        Assert.Throws<ArgumentException>(() => _index.Add(new IndexedTemplate(Guid.NewGuid(), "client-a", "s", Model, Version, Later), new float[64]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Searches_running_while_templates_come_and_go_always_find_the_ones_that_stay(int searchThreads)
    {
        using var index = new TemplateIndex(searchThreads);
        var kept = Direction(10);
        index.Add(new IndexedTemplate(Guid.NewGuid(), "client-a", "kept", Model, Version, Later), kept);
        for (int i = 0; i < 10_000; i++)
        {
            index.Add(new IndexedTemplate(Guid.NewGuid(), "client-a", $"filler-{i}", Model, Version, Later), Direction(20_000 + i));
        }

        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            int round = 0;
            while (!stop.IsCancellationRequested)
            {
                var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();
                foreach (var id in ids)
                {
                    index.Add(new IndexedTemplate(id, "client-a", $"churn-{round}", Model, Version, Later), Direction(50_000 + (round++ % 500)));
                }

                foreach (var id in ids)
                {
                    index.Remove(id);
                }
            }
        });
        var searches = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                Assert.Contains("kept", index.Search(Model, Version, "client-a", "someone", kept, 0.99, Now).Select(m => m.SubjectId));
            }
        })).ToArray();

        await Task.WhenAll(searches);
        await stop.CancelAsync();
        await churn;
        Assert.Equal(10_001, index.Count);
    }

    private Guid Add(string client, string subject, float[] embedding)
    {
        var id = Guid.NewGuid();
        _index.Add(new IndexedTemplate(id, client, subject, Model, Version, Later), embedding);
        return id;
    }

    /// <summary>A random unit vector of 64 values, the same for the same seed.</summary>
    private static float[] Direction(int seed)
    {
        var random = new Random(seed);
        var vector = Enumerable.Range(0, 64).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    /// <summary>A unit vector whose cosine with <paramref name="unit"/> is <paramref name="cosine"/>.</summary>
    private static float[] Near(float[] unit, double cosine)
    {
        // Take a random direction, remove its part along the unit vector, and mix the two.
        var other = Direction(99_999);
        float along = other.Zip(unit, (a, b) => a * b).Sum();
        var orthogonal = other.Zip(unit, (a, b) => a - (along * b)).ToArray();
        float norm = MathF.Sqrt(orthogonal.Sum(v => v * v));
        double sine = Math.Sqrt(1 - (cosine * cosine));
        return [.. unit.Zip(orthogonal, (u, o) => (float)((cosine * u) + (sine * o / norm)))];
    }
}
