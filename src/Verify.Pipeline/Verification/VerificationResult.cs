using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What a finished verification reports besides its decision: scores, the models that produced them, the stage
/// timings and which stages ran. Codes and numbers only, never images or document text.
/// </summary>
public sealed record VerificationResult
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public double? FaceMatchScore { get; init; }

    public double FaceMatchThreshold { get; init; }

    public double FalseAcceptRate { get; init; }

    /// <summary>Stage name to outcome: passed, failed, not_found, review, not_evaluated.</summary>
    public IReadOnlyDictionary<string, string> Stages { get; init; } = new Dictionary<string, string>();

    /// <summary>Model id to version, for every model that took part.</summary>
    public IReadOnlyDictionary<string, string> Models { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();

    /// <summary>The document checks' finding codes (document_expired, mrz_ambiguous, ...).</summary>
    public IReadOnlyList<string> DocumentFindings { get; init; } = [];

    public string? DocumentFormat { get; init; }
}
