using System.Text.Json;
using Verify.Cli;
using Verify.Cli.Commands;
using Verify.IntegrationTests.Fixtures;
using static Verify.IntegrationTests.Fixtures.CliRunner;

namespace Verify.IntegrationTests.Cli;

/// <summary>The `verify` command line, run in-process on real LFW photographs with the real models.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class VerifyCliTests : IDisposable
{
    private readonly string _temporary = Directory.CreateTempSubdirectory("verify-cli-").FullName;

    [Fact]
    public async Task Compare_tells_two_photos_of_one_person_from_two_people()
    {
        var same = await Run("compare", TestPaths.Lfw("Colin_Powell", 38), TestPaths.Lfw("Colin_Powell", 212));
        var different = await Run("compare", TestPaths.Lfw("Colin_Powell", 38), TestPaths.Lfw("George_W_Bush", 353));

        Assert.Equal(0, same.ExitCode);
        Assert.Contains("decision:   same person", same.Output);
        Assert.Equal(1, different.ExitCode);
        Assert.Contains("decision:   different people", different.Output);
        Assert.Contains("similarity:", different.Output);
        Assert.Contains("timings:", different.Output);
    }

    [Fact]
    public async Task Compare_as_json_reports_faces_score_threshold_and_timings()
    {
        var result = await Run("compare", TestPaths.Lfw("Colin_Powell", 38), TestPaths.Lfw("Colin_Powell", 212), "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("match", root.GetProperty("decision").GetString());
        Assert.True(root.GetProperty("similarity").GetDouble() >= root.GetProperty("threshold").GetDouble());
        Assert.StartsWith("fr-feature@", root.GetProperty("matcher").GetString());
        Assert.All(root.GetProperty("images").EnumerateArray(), image => Assert.True(image.GetProperty("faces").GetArrayLength() >= 1));
        foreach (string stage in new[] { "decode", "detect", "align", "embed", "match" })
        {
            Assert.True(root.GetProperty("timingsMs").TryGetProperty(stage, out _), $"no {stage} timing");
        }
    }

    [Fact]
    public async Task Compare_with_an_image_without_a_face_says_so_with_exit_code_3()
    {
        string noFace = Path.Combine(_temporary, "wall.png");
        File.WriteAllBytes(noFace, TestEncoders.Png(Patterns.Gradient(400, 300), 400, 300, format: 2));

        var result = await Run("compare", TestPaths.Lfw("Colin_Powell", 38), noFace);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no face: the second image shows no face", result.Output);
    }

    [Fact]
    public async Task Compare_with_a_pdf_renamed_jpg_is_unreadable_input_with_exit_code_4()
    {
        string fake = Path.Combine(_temporary, "selfie.jpg");
        File.WriteAllText(fake, "%PDF-1.7\n%%EOF\n");

        var result = await Run("compare", fake, TestPaths.Lfw("Colin_Powell", 38));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("PDF document", result.Output);
    }

    [Fact]
    public async Task A_wrong_command_line_is_a_usage_error()
    {
        var result = await Run("compare", "only-one-image.jpg");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error:", result.Error);
    }

    [Fact]
    public async Task Evaluate_reports_accuracy_error_rates_misses_and_latency_and_survives_a_missing_file()
    {
        // Two folds of LFW DevTest pairs, one of them naming the image missing from the archive.
        string pairs = Path.Combine(_temporary, "pairs.txt");
        File.WriteAllLines(pairs,
        [
            "2\t3",
            "Colin_Powell\t38\t212", "Abdullah_Gul\t13\t14", "Abdullah_Gul\t13\t16",
            "Colin_Powell\t38\tGeorge_W_Bush\t353", "Abdullah_Gul\t13\tColin_Powell\t212", "Betsy_Coffin\t1\tGeorge_W_Bush\t353",
            "Colin_Powell\t74\t205", "Colin_Powell\t120\t166", "Abdullah_Gul\t14\t16",
            "George_W_Bush\t353\tColin_Powell\t74", "Abdullah_Gul\t16\tColin_Powell\t120", "Colin_Powell\t166\tAbdullah_Gul\t13",
        ]);
        string report = Path.Combine(_temporary, "evaluation.md");

        var result = await Run("evaluate", "--pairs", pairs, "--images", TestPaths.LfwImages, "--report", report);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Missing files: 1 (Betsy_Coffin/Betsy_Coffin_0001.jpg)", result.Output);
        Assert.Contains("2-fold accuracy", result.Output);
        Assert.Contains("| fr-feature@", result.Output);
        Assert.Contains("| dlib-resnet-v1@", result.Output);
        Assert.Contains("EER", result.Output);
        Assert.Contains("| detect |", result.Output);
        Assert.Contains("| 0.2428 / 0.3350 | report: another person's photos |", result.Output);
        Assert.Equal(result.Output, File.ReadAllText(report));
    }

    [Fact]
    public async Task Evaluate_rejects_a_malformed_pairs_file_with_the_line_number()
    {
        string pairs = Path.Combine(_temporary, "broken.txt");
        File.WriteAllLines(pairs, ["1", "Colin_Powell\tthirty-eight\t212", "Colin_Powell\t38\tGeorge_W_Bush\t353"]);

        var result = await Run("evaluate", "--pairs", pairs, "--images", TestPaths.LfwImages);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Line 2", result.Error);
    }

    [Fact]
    public async Task Benchmark_batch_times_dlib_at_each_batch_size_and_says_fr_feature_cannot_batch()
    {
        string photos = Path.Combine(TestPaths.LfwImages, "Colin_Powell");
        string[] small = ["--images", photos, "--batch-sizes", "1", "2", "--faces", "2", "--warmup", "0", "--threads", "1"];

        var dlib = await Run(["benchmark-batch", .. small]);
        var arcFace = await Run(["benchmark-batch", "--model", "fr-feature", .. small]);

        Assert.Equal(0, dlib.ExitCode);
        Assert.Contains("| 1 | Cpu | dlib-resnet-v1@", dlib.Output);
        Assert.Matches(@"\| dlib-resnet-v1@\w+ \| 2 \|", dlib.Output);
        Assert.Equal(0, arcFace.ExitCode);
        Assert.Matches(@"\| fr-feature@\w+ \| 1 \|", arcFace.Output);
        Assert.DoesNotMatch(@"\| fr-feature@\w+ \| 2 \|", arcFace.Output);
        Assert.Contains("fr-feature has a fixed batch of 1", arcFace.Output);
    }

    [Fact]
    public async Task Benchmark_batcher_pads_the_runs_of_concurrent_callers_to_the_run_sizes_and_times_detection()
    {
        string photos = Path.Combine(TestPaths.LfwImages, "Colin_Powell");

        var result = await Run("benchmark-batcher", "--images", photos, "--callers", "1", "3", "--faces", "6", "--bucket-sizes", "1", "4",
            "--max-batch-size", "4", "--max-delay-ms", "50", "--threads", "1", "--detect-streams", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("runs padded to 1, 4;", result.Output);
        // One caller always runs alone; three callers' runs of two to four faces are padded to 4 (at most one tail run of one).
        Assert.Matches(@"\| 1 \| [\d.]+ \| [\d.]+ / [\d.]+ \| 6 \| 1\.0 \| 1: 6 \(1\.0\) \|", result.Output);
        Assert.Matches(@"\| 3 \| [\d.]+ \| [\d.]+ / [\d.]+ \| \d \| [\d.]+ \| (1: 1 \(1\.0\), )?4: \d \([\d.]+\) \|", result.Output);
        Assert.Matches(@"\| 2 \| [\d.]+ \| [\d.]+ / [\d.]+ \|", result.Output);
    }

    [Fact]
    public async Task Evaluate_e2e_decides_every_kind_through_the_service_stages_and_verifies_no_impostor_or_spoof()
    {
        string report = Path.Combine(_temporary, "e2e.md");

        // Ten cases cover the eight kinds (two genuine, two impostors, one of each other kind), on the four document types in turn.
        var result = await Run("evaluate-e2e", "--count", "10", "--seed", "1", "--valid-on", "2026-12-04", "--faces", TestPaths.LfwImages, "--report", report);

        Assert.Equal(0, result.ExitCode);
        foreach (string section in new[] { "### Summary", "### Decisions per kind", "### Reasons per kind", "### Genuine cases not verified, by reason", "genuine pass rate", "false accepts", "time to decision p50 / p95" })
        {
            Assert.Contains(section, result.Output);
        }

        foreach (string kind in new[] { "genuine", "impostor", "print_spoof", "screen_spoof", "unreadable_document", "incomplete_document", "unusable_selfie", "tampered_document" })
        {
            Assert.Matches($@"\| {kind} \| [a-z ]+ \| \d+ \|", result.Output);
        }

        Assert.Matches(@"\*\*false accepts\*\* \(impostor, spoof or tampered document verified\) \| 0\.0% \(0/5\)", result.Output);
        Assert.Matches(@"\| tampered_document \| not verified \| 1 \| 0\.0% \(0/1\)", result.Output);
        Assert.Matches(@"\| unusable_selfie \| rejected \| 1 \| 0\.0% \(0/1\) \| 100\.0% \(1/1\)", result.Output);
        Assert.Equal(result.Output, File.ReadAllText(report));
    }

    [Fact]
    public async Task Evaluate_e2e_with_a_url_but_no_key_is_a_usage_error()
    {
        var result = await Run("evaluate-e2e", "--url", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--url and --key go together", result.Error);
    }

    [Fact]
    public void A_reports_heading_leaves_out_the_api_key()
    {
        var parse = VerifyCommandLine.Create().Parse(["evaluate-e2e", "--url", "http://127.0.0.1:5080", "--key", "vk_not_for_reports", "--count", "5"]);

        string heading = CommonOptions.Invocation(parse, "--key");

        Assert.DoesNotContain("vk_not_for_reports", heading);
        Assert.EndsWith("--key *** --count 5", heading);
    }

    public void Dispose() => Directory.Delete(_temporary, recursive: true);
}
