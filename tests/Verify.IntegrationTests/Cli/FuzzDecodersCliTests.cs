using System.Text;
using Verify.Cli;
using Verify.Cli.Fuzzing;
using Verify.Imaging;
using Verify.IntegrationTests.Fixtures;
using static Verify.IntegrationTests.Fixtures.CliRunner;

namespace Verify.IntegrationTests.Cli;

/// <summary>
/// `verify fuzz-decoders`, bounded by a number of inputs (not by time): the five decoders and the API's multipart
/// readers end every mutated input in a typed outcome, and the command's failure accounting (untyped exceptions,
/// hangs) really counts them.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class FuzzDecodersCliTests
{
    [Fact]
    public async Task Mutated_images_and_multipart_bodies_all_end_in_a_typed_outcome_with_no_untyped_exception_and_no_hang()
    {
        var (exitCode, output, error) = await Run("fuzz-decoders", "--count", "250", "--seed", "16", "--per-input-timeout", "30s");

        Assert.True(exitCode == ExitCodes.Success, output + error);
        foreach (string target in new[] { "jpeg", "png", "webp", "heif", "jpeg2000", "multipart" })
        {
            Assert.Matches($@"\| {target} \| 250 \| .+ \| 0 \| 0 \|", output);
        }

        Assert.Contains("Total: 1,500 inputs, crashes 0, hangs 0.", output);
        // The mutations reach past the header: some inputs decode, some are refused at each stage.
        Assert.Matches(@"\| jpeg \| 250 \| .*Truncated \d+.*decoded \d+", output);
        Assert.Matches(@"\| multipart \| 250 \| .*problem:malformed_request \d+.*read \d+", output);
    }

    [Fact]
    public void An_input_past_the_timeout_is_a_hang_and_an_untyped_exception_a_failure()
    {
        var tally = new FuzzTally("test");
        // Not disposable, so the abandoned thread never meets a disposed handle (it may start after the test has ended).
        var release = new TaskCompletionSource();

        tally.Add(0, Watchdog.Run(() => { release.Task.Wait(); return "decoded"; }, TimeSpan.FromMilliseconds(50)), "stuck");
        release.SetResult();
        tally.Add(1, FuzzTargets.Image(new ImageDecoder(), "%PDF-1.7\n"u8.ToArray()).Outcome, "a PDF");
        tally.Add(2, FuzzTally.UntypedPrefix + "NullReferenceException", "forced");

        Assert.Equal((3, 1, 1, true), (tally.Inputs, tally.Hangs, tally.Untyped, tally.Failed));
        Assert.Equal(1, tally.Outcomes["UnsupportedFormat"]);
        Assert.Equal(["input 0: hang after stuck", "input 2: untyped:NullReferenceException after forced"], tally.Failures);
    }

    [Fact]
    public void A_multipart_body_goes_through_the_apis_own_reader_to_a_typed_problem_or_a_read()
    {
        var uploads = FuzzTargets.Uploads(new ImageDecoder());
        byte[] body = Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"subject_id\"\r\n\r\nx\r\n--b--\r\n");

        Assert.Equal("problem:consent_required", FuzzTargets.Multipart(uploads, new MultipartRequest("multipart/form-data; boundary=b", body.Length, body, Report: false)));
        Assert.Equal("problem:malformed_request", FuzzTargets.Multipart(uploads, new MultipartRequest("multipart/form-data; boundary=b", body.Length, body[..20], Report: false)));
        Assert.Equal("problem:unsupported_media_type", FuzzTargets.Multipart(uploads, new MultipartRequest("text/plain", body.Length, body, Report: true)));
    }
}
