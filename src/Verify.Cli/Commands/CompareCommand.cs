using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Verify.Inference.Models;
using Verify.Pipeline.Faces;

namespace Verify.Cli.Commands;

/// <summary>`verify compare A B`: are the faces on two photos the same person?</summary>
internal static class CompareCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var first = new Argument<FileInfo>("first") { Description = "First image (ID document photo or any portrait)." };
        var second = new Argument<FileInfo>("second") { Description = "Second image (selfie or any portrait)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var matcher = CommonOptions.Matcher();
        var far = CommonOptions.FalseAcceptRate();
        var threads = CommonOptions.Threads();
        var gpu = CommonOptions.Gpu();
        var command = new Command("compare", "Compare the main face of two images and decide whether they show the same person. " + ExitCodes.Summary)
        {
            first, second, json, matcher, far, threads, gpu,
        };
        command.SetAction(parse => Run(
            parse.GetRequiredValue(first), parse.GetRequiredValue(second), parse.GetValue(json),
            CommonOptions.Overrides(parse.GetValue(matcher), parse.GetValue(far), parse.GetValue(threads), parse.GetValue(gpu)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(FileInfo first, FileInfo second, bool json, Dictionary<string, string?> overrides, TextWriter output, TextWriter error)
    {
        byte[] firstBytes, secondBytes;
        try
        {
            firstBytes = File.ReadAllBytes(first.FullName);
            secondBytes = File.ReadAllBytes(second.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot read input: {exception.Message}");
            return ExitCodes.BadInput;
        }

        FaceComparison result;
        try
        {
            using var services = CliServices.Build(overrides);
            result = services.GetRequiredService<FaceComparer>().Compare(firstBytes, secondBytes);
        }
        catch (ModelUnavailableException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ExitCodes.ModelsUnavailable;
        }

        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(ToJson(first.Name, second.Name, result), Json));
        }
        else
        {
            WriteText(output, first.Name, second.Name, result);
        }

        return result.Decision switch
        {
            ComparisonDecision.Match => ExitCodes.Success,
            ComparisonDecision.NoMatch => ExitCodes.NoMatch,
            ComparisonDecision.NoFace => ExitCodes.NoFace,
            _ => ExitCodes.BadInput,
        };
    }

    private static void WriteText(TextWriter output, string firstName, string secondName, FaceComparison result)
    {
        output.WriteLine($"first:      {Describe(firstName, result.First)}");
        output.WriteLine($"second:     {Describe(secondName, result.Second)}");
        output.WriteLine($"matcher:    {result.MatcherVersion}");
        if (result.Score is double score)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"similarity: {score:0.0000} (threshold {result.Threshold:0.0000} at false accept rate {result.FalseAcceptRate:0.#####})"));
        }

        output.WriteLine($"decision:   {DecisionText(result)}");
        output.WriteLine("timings:    " + string.Join(", ",
            result.TimingsMs.Select(stage => string.Create(CultureInfo.InvariantCulture, $"{stage.Key} {stage.Value:0.0} ms"))) +
            string.Create(CultureInfo.InvariantCulture, $"; total {result.TimingsMs.Values.Sum():0.0} ms"));
    }

    private static string Describe(string name, FaceAnalysis analysis)
    {
        if (analysis.Outcome == FaceAnalysisOutcome.Unreadable)
        {
            return $"{name}: unreadable: {analysis.Problem}";
        }

        string faces = analysis.Faces.Count == 1 ? "1 face" : $"{analysis.Faces.Count} faces";
        string header = $"{name}: {analysis.Format.ToString().ToUpperInvariant()} {analysis.Width}x{analysis.Height}, {faces}";
        return analysis.PrimaryFace is { } face
            ? header + string.Create(CultureInfo.InvariantCulture,
                $"; compared the face at ({face.Box.X:0},{face.Box.Y:0}) {face.Box.Width:0}x{face.Box.Height:0}, detector score {face.Score:0.00}")
            : header;
    }

    private static string DecisionText(FaceComparison result) => result.Decision switch
    {
        ComparisonDecision.Match => "same person",
        ComparisonDecision.NoMatch => "different people",
        ComparisonDecision.NoFace => "no face: " + (result.First.Outcome == FaceAnalysisOutcome.NoFace ? "the first image" : "the second image") + " shows no face",
        _ => "unreadable input",
    };

    private static object ToJson(string firstName, string secondName, FaceComparison result) => new
    {
        decision = result.Decision switch
        {
            ComparisonDecision.Match => "match",
            ComparisonDecision.NoMatch => "no_match",
            ComparisonDecision.NoFace => "no_face",
            _ => "unreadable",
        },
        similarity = result.Score,
        threshold = result.Threshold,
        falseAcceptRate = result.FalseAcceptRate,
        matcher = result.MatcherVersion,
        images = new[] { ImageJson(firstName, result.First), ImageJson(secondName, result.Second) },
        timingsMs = result.TimingsMs,
    };

    private static object ImageJson(string name, FaceAnalysis analysis) => new
    {
        file = name,
        outcome = analysis.Outcome switch
        {
            FaceAnalysisOutcome.Analysed => "analysed",
            FaceAnalysisOutcome.NoFace => "no_face",
            _ => "unreadable",
        },
        problem = analysis.Problem,
        format = analysis.Format.ToString().ToLowerInvariant(),
        width = analysis.Width,
        height = analysis.Height,
        primaryFace = analysis.PrimaryIndex,
        faces = analysis.Faces.Select(face => new
        {
            box = new { x = face.Box.X, y = face.Box.Y, width = face.Box.Width, height = face.Box.Height },
            score = face.Score,
            landmarks = face.Landmarks.Select(point => new[] { point.X, point.Y }),
        }),
    };
}
