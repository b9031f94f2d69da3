using Microsoft.Extensions.Options;
using Verify.Inference.Faces;

namespace Verify.Pipeline.Faces;

/// <summary>The outcome of comparing the faces of two images.</summary>
public enum ComparisonDecision
{
    /// <summary>The score reaches the threshold: the same person.</summary>
    Match,

    /// <summary>The score is below the threshold: different people.</summary>
    NoMatch,

    /// <summary>At least one image shows no face.</summary>
    NoFace,

    /// <summary>At least one image could not be decoded.</summary>
    Unreadable,
}

/// <summary>Both analyses, the score and the decision at the configured false accept rate, and per-stage timings.</summary>
public sealed record FaceComparison(
    ComparisonDecision Decision,
    FaceAnalysis First,
    FaceAnalysis Second,
    double? Score,
    double Threshold,
    double FalseAcceptRate,
    string MatcherVersion,
    IReadOnlyDictionary<string, double> TimingsMs);

/// <summary>Compares the primary faces of two images (an ID portrait and a selfie, or any two photos).</summary>
public sealed class FaceComparer(FaceAnalyzer analyzer, IOptions<FaceMatchingOptions> options)
{
    public FaceComparison Compare(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var matcher = analyzer.Matcher;
        double falseAcceptRate = options.Value.FalseAcceptRate;
        double threshold = matcher.ThresholdAt(falseAcceptRate);
        var timings = new StageTimings();
        var a = analyzer.Analyse(first, timings);
        var b = analyzer.Analyse(second, timings);

        ComparisonDecision decision;
        double? score = null;
        if (a.Outcome == FaceAnalysisOutcome.Unreadable || b.Outcome == FaceAnalysisOutcome.Unreadable)
        {
            decision = ComparisonDecision.Unreadable;
        }
        else if (a.Outcome == FaceAnalysisOutcome.NoFace || b.Outcome == FaceAnalysisOutcome.NoFace)
        {
            decision = ComparisonDecision.NoFace;
        }
        else
        {
            score = timings.Measure(Stage.Match, () => matcher.Score(a.Embeddings, b.Embeddings));
            decision = score >= threshold ? ComparisonDecision.Match : ComparisonDecision.NoMatch;
        }

        return new FaceComparison(decision, a, b, score, threshold, falseAcceptRate, matcher.Version, timings.Milliseconds);
    }
}
