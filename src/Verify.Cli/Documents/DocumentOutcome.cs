using Verify.Documents.Mrz;
using Verify.Documents.PrintedZone;
using Verify.Inference.Faces;

namespace Verify.Cli.Documents;

/// <summary>What the reader made of one generated document, compared with its ground truth.</summary>
internal sealed class DocumentOutcome
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public required string Capture { get; init; }

    public required string Person { get; init; }

    /// <summary>The photo the portrait was printed from, relative to the faces folder.</summary>
    public required string FaceFile { get; init; }

    public bool MrzFound { get; init; }

    public bool MrzParsed { get; init; }

    public int LinesExact { get; init; }

    public int LineCount { get; init; }

    /// <summary>For each MRZ field: whether the reader's value equals the ground truth's.</summary>
    public IReadOnlyDictionary<MrzFieldName, bool> Fields { get; init; } = new Dictionary<MrzFieldName, bool>();

    public bool AllFieldsRight => MrzParsed && Fields.Count > 0 && Fields.Values.All(right => right);

    public int ChecksPassed { get; init; }

    public int ChecksTotal { get; init; }

    /// <summary>The reader's own verdict: every check digit passed and every field valid.</summary>
    public bool ReportedValid { get; init; }

    /// <summary>Valid, real country codes and nothing ambiguous: what the checks let through without review.</summary>
    public bool Settled { get; init; }

    /// <summary>Settled but a field is wrong: the failure that matters most, as nothing sends it to review.</summary>
    public bool SettledButWrong => Settled && !AllFieldsRight;

    public double MrzMilliseconds { get; init; }

    public bool PortraitFound { get; init; }

    /// <summary>The found face's centre lies inside the printed portrait's box.</summary>
    public bool PortraitCorrect { get; init; }

    public double PortraitMilliseconds { get; init; }

    public PrintedZoneComparison? Printed { get; init; }

    public double PrintedMilliseconds { get; init; }

    /// <summary>Embedding of the portrait per preparation variant (null when no face was found in it).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FaceEmbedding>?> Portrait { get; init; } = new Dictionary<string, IReadOnlyList<FaceEmbedding>?>();

    /// <summary>Face size (short side of the detected box) of the portrait, in pixels of the photo.</summary>
    public double? PortraitFaceSize { get; init; }
}
