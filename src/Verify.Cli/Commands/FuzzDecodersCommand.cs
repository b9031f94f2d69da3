using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Verify.Cli.Fuzzing;
using Verify.Cli.Lfw;
using Verify.Imaging;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify fuzz-decoders`: mutation fuzzing of the five image decoders (JPEG, PNG, WebP, HEIF, and JPEG 2000 as the
/// chip path's decoder takes it) and of the API's
/// multipart reader, each for a bounded time or number of inputs. Every input runs on its own thread under a watchdog;
/// the command prints the inputs tried and the outcomes by kind per target, and exits non-zero when any input threw
/// an untyped exception or ran past the per-input timeout. A native crash ends the process (and the run) outright.
/// </summary>
internal static class FuzzDecodersCommand
{
    public const string Multipart = "multipart";

    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "Seconds of fuzzing per target (5 decoders and the multipart reader).", DefaultValueFactory = _ => 60 };
        var count = new Option<int?>("--count") { Description = "Inputs per target instead of a time bound (for repeatable runs and tests)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the mutations: the same seed and count replay the same inputs.", DefaultValueFactory = _ => 1 };
        var timeout = new Option<TimeSpan>("--per-input-timeout") { Description = "An input still running after this long is a hang (e.g. 10s, 500ms).", DefaultValueFactory = _ => TimeSpan.FromSeconds(10), CustomParser = ParseDuration };
        var targets = new Option<string[]>("--targets")
        {
            Description = "Targets to fuzz: jpeg, png, webp, heif, jpeg2000, multipart (default: all).",
            DefaultValueFactory = _ => ["jpeg", "png", "webp", "heif", "jpeg2000", Multipart],
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("fuzz-decoders", "Fuzz the image decoders and the multipart reader with mutated inputs; non-zero exit on any untyped exception or hang.")
        {
            seconds, count, seed, timeout, targets,
        };
        command.SetAction(parse =>
        {
            var chosen = parse.GetRequiredValue(targets).Select(t => t.ToLowerInvariant()).Distinct().ToArray();
            if (parse.GetValue(seconds) < 1 || parse.GetValue(count) is < 1 || parse.GetValue(timeout) <= TimeSpan.Zero
                || chosen.Length == 0 || chosen.Any(t => Format(t) is null && t != Multipart))
            {
                parse.InvocationConfiguration.Error.WriteLine("error: --seconds and --count must be at least 1, --per-input-timeout positive, --targets among jpeg, png, webp, heif, jpeg2000, multipart.");
                return ExitCodes.Usage;
            }

            var bound = new Bound(parse.GetValue(count), TimeSpan.FromSeconds(parse.GetValue(seconds)));
            var tallies = chosen.Select(target => Run(target, bound, parse.GetValue(seed), parse.GetValue(timeout))).ToList();
            parse.InvocationConfiguration.Output.Write(Report(tallies, CommonOptions.Invocation(parse)));
            return tallies.Any(t => t.Failed) ? ExitCodes.FuzzFailures : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Inputs per target: a count when given, else as many as fit in the time.</summary>
    private sealed record Bound(int? Count, TimeSpan Time)
    {
        public bool Done(int inputs, Stopwatch clock) => Count is { } count ? inputs >= count : clock.Elapsed >= Time;
    }

    private static FuzzTally Run(string target, Bound bound, int seed, TimeSpan timeout)
    {
        // JPEG 2000 is decoded only where chip portraits are (AllowJpeg2000); its target fuzzes that decoder.
        var decoder = new ImageDecoder(new ImageDecoderOptions { AllowJpeg2000 = Format(target) == ImageFormat.Jpeg2000 });
        var tally = new FuzzTally(target);
        // Each target has its own stream of mutations, so one target's count does not shift another's inputs.
        var random = new Random(HashCode.Combine(seed, target.Length, target[0]));
        Func<(Func<(string, bool)> Classify, string Mutation)> next;
        if (Format(target) is { } format)
        {
            var mutator = new ImageMutator(format, SeedImages.For(format), random);
            next = () =>
            {
                var (input, mutation) = mutator.Next();
                return (() => FuzzTargets.Image(decoder, input), mutation);
            };
        }
        else
        {
            var uploads = FuzzTargets.Uploads(decoder);
            var mutator = new MultipartMutator(SeedImages.For(ImageFormat.Jpeg)[0], random);
            next = () =>
            {
                var (input, mutation) = mutator.Next();
                return (() => (FuzzTargets.Multipart(uploads, input), false), mutation);
            };
        }

        var clock = Stopwatch.StartNew();
        for (int input = 0; !bound.Done(input, clock); input++)
        {
            var (classify, mutation) = next();
            bool passedCheckFailedDecode = false;
            string outcome = Watchdog.Run(() =>
            {
                (string result, passedCheckFailedDecode) = classify();
                return result;
            }, timeout);
            tally.Add(input, outcome, mutation, passedCheckFailedDecode);
        }

        return tally;
    }

    private static ImageFormat? Format(string target) => target switch
    {
        "jpeg" => ImageFormat.Jpeg,
        "png" => ImageFormat.Png,
        "webp" => ImageFormat.WebP,
        "heif" => ImageFormat.Heic,
        "jpeg2000" => ImageFormat.Jpeg2000,
        _ => null,
    };

    private static string Report(List<FuzzTally> tallies, string invocation)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Decoder and multipart fuzzing: {invocation}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}.").AppendLine();
        var table = new MarkdownTable("target", "inputs", "outcomes", "passed API check, failed decode", "untyped exceptions", "hangs");
        foreach (var tally in tallies)
        {
            table.Row(tally.Target, tally.Inputs.ToString("N0", CultureInfo.InvariantCulture),
                string.Join(", ", tally.Outcomes.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value:N0}"))),
                tally.Target == Multipart ? "-" : tally.PassedCheckFailedDecode.ToString("N0", CultureInfo.InvariantCulture),
                tally.Untyped.ToString(CultureInfo.InvariantCulture), tally.Hangs.ToString(CultureInfo.InvariantCulture));
        }

        text.Append(table).AppendLine();
        foreach (var failure in tallies.SelectMany(t => t.Failures.Select(f => $"{t.Target}: {f}")))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- FAILURE {failure}");
        }

        int crashes = tallies.Sum(t => t.Untyped), hangs = tallies.Sum(t => t.Hangs);
        text.AppendLine(CultureInfo.InvariantCulture, $"Total: {tallies.Sum(t => t.Inputs):N0} inputs, crashes {crashes}, hangs {hangs}.");
        return text.ToString();
    }

    private static TimeSpan ParseDuration(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "10s" : result.Tokens[0].Value;
        double? value = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => Number(text[..^2]) / 1000,
            _ when text.EndsWith('s') => Number(text[..^1]),
            _ => Number(text),
        };
        if (value is > 0)
        {
            return TimeSpan.FromSeconds(value.Value);
        }

        result.AddError($"--per-input-timeout '{text}' is not a positive duration such as 10s or 500ms.");
        return TimeSpan.Zero;

        static double? Number(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;
    }
}
