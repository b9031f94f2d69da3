using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Verify.Synthetic;
using Verify.Synthetic.Licences;

namespace Verify.Cli.Commands;

/// <summary>`verify samples generate`: synthetic ID documents with ground truth, for testing and evaluating the document reader.</summary>
internal static class SamplesCommand
{
    public static Command Create() => new("samples", "Synthetic test material.") { Generate() };

    private static Command Generate()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write into (required: nothing is written into the repository by default).", Required = true };
        var count = new Option<int>("--count") { Description = "Documents to generate.", DefaultValueFactory = _ => 10 };
        var kind = new Option<string>("--kind")
        {
            Description = "td1, td3, mixed (alternating) or licence (US and Canadian driver's licences, front and back).",
            DefaultValueFactory = _ => "mixed",
        };
        kind.AcceptOnlyFromAmong("td1", "td3", "mixed", "licence");
        var capture = new Option<string>("--capture") { Description = "Capture effects preset: none, mild or strong.", DefaultValueFactory = _ => "mild" };
        capture.AcceptOnlyFromAmong([.. CaptureEffects.PresetNames]);
        var faces = new Option<DirectoryInfo?>("--faces")
        {
            Description = "LFW-layout faces folder (Person/Person_NNNN.jpg); default ../shared/data/lfw/images beside the current folder or the checkout.",
        };
        var numbers = CommonOptions.DocumentNumbers("hard");
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed and options give the same bytes.", DefaultValueFactory = _ => 1 };
        var longSide = new Option<int?>("--long-side") { Description = "Long side of each image in pixels, 0 for print resolution (default: the preset's)." };
        var quality = new Option<int?>("--jpeg-quality") { Description = "JPEG quality 1-100 (default: the preset's)." };
        var blur = new Option<double?>("--blur") { Description = "Fixed gaussian blur sigma in pixels (default: the preset's range)." };
        var noise = new Option<double?>("--noise") { Description = "Gaussian noise sigma in 8-bit levels (default: the preset's)." };
        var tilt = new Option<double?>("--max-tilt") { Description = "Largest tilt in degrees (default: the preset's)." };
        var glare = new Option<double?>("--glare-share") { Description = "Share of images with glare, 0 to 1 (default: the preset's)." };
        var exif = new Option<double?>("--exif-share") { Description = "Share of images stored turned with an EXIF orientation, 0 to 1 (default: the preset's)." };
        var command = new Command("generate",
            "Generate synthetic TD3 passport pages and TD1 cards (front and back) with JSON ground truth and a manifest, or driver's licences.")
        {
            output, count, kind, capture, numbers, faces, seed, longSide, quality, blur, noise, tilt, glare, exif,
        };
        command.SetAction(parse =>
        {
            var effects = CaptureEffects.Preset(parse.GetRequiredValue(capture))!;
            effects = effects with
            {
                LongSide = parse.GetValue(longSide) ?? effects.LongSide,
                JpegQuality = parse.GetValue(quality) ?? effects.JpegQuality,
                BlurSigma = parse.GetValue(blur) is double sigma ? (sigma, sigma) : effects.BlurSigma,
                NoiseSigma = parse.GetValue(noise) ?? effects.NoiseSigma,
                MaxTiltDegrees = parse.GetValue(tilt) ?? effects.MaxTiltDegrees,
                GlareShare = parse.GetValue(glare) ?? effects.GlareShare,
                ExifRotationShare = parse.GetValue(exif) ?? effects.ExifRotationShare,
            };
            string kindName = parse.GetRequiredValue(kind);
            var options = new SyntheticGeneratorOptions
            {
                FacesFolder = parse.GetValue(faces)?.FullName ?? DefaultFacesFolder(),
                Kind = kindName == "licence" ? SyntheticDocumentKind.Mixed : Enum.Parse<SyntheticDocumentKind>(kindName, ignoreCase: true),
                Capture = effects,
                Seed = parse.GetValue(seed),
                Numbers = CommonOptions.NumberStyle(parse.GetRequiredValue(numbers)),
            };
            return Run(parse.GetRequiredValue(output), parse.GetValue(count), options, kindName == "licence", parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(DirectoryInfo output, int count, SyntheticGeneratorOptions options, bool licences, TextWriter stdout, TextWriter error)
    {
        var effects = options.Capture;
        if (count < 0 || effects.JpegQuality is < 1 or > 100 || effects.LongSide < 0)
        {
            error.WriteLine("error: --count and --long-side must not be negative, and --jpeg-quality must be 1 to 100.");
            return ExitCodes.Usage;
        }

        var timer = Stopwatch.StartNew();
        SyntheticManifest? manifest = null;
        try
        {
            if (licences)
            {
                using var generator = new SyntheticLicenceGenerator(options);
                generator.WriteBatch(output.FullName, count);
            }
            else
            {
                using var generator = new SyntheticDocumentGenerator(options);
                manifest = generator.WriteBatch(output.FullName, count);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.BadInput;
        }

        if (manifest is null)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated {count} licences ({2 * count} images, capture {effects.Name}, seed {options.Seed}) in {output.FullName} in {timer.Elapsed.TotalSeconds:0.0} s"));
            return ExitCodes.Success;
        }

        int images = manifest.Items.Sum(item => item.Images.Count);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated {manifest.Count} documents ({images} images, capture {effects.Name}, seed {options.Seed}) with {manifest.Numbers} numbers in {output.FullName} in {timer.Elapsed.TotalSeconds:0.0} s"));
        return ExitCodes.Success;
    }

    /// <summary>../shared/data/lfw/images beside the current folder, else beside the checkout that holds it.</summary>
    internal static string DefaultFacesFolder()
    {
        var relative = Path.Combine("..", "shared", "data", "lfw", "images");
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.GetFullPath(Path.Combine(folder.FullName, relative));
            if (Directory.Exists(candidate) || File.Exists(Path.Combine(folder.FullName, "Verify.sln")))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(relative);
    }
}
