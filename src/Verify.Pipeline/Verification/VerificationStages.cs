using Microsoft.Extensions.Options;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Documents.Aamva;
using Verify.Documents.Portrait;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Quality;
using Verify.Pipeline.Faces;
using Verify.Pipeline.Liveness;

namespace Verify.Pipeline.Verification;

/// <summary>
/// What the stages made of one submission: the decision, the result the client sees, and what the processor keeps or
/// checks afterwards (the selfie's embeddings for a consented template, the document fingerprint, the expiry that
/// bounds a badge, and the assurance level).
/// </summary>
public sealed record StageRun(Decision Decision, VerificationResult Result, IReadOnlyList<ModelEmbedding> SelfieEmbeddings,
    byte[]? Fingerprint, DateOnly? DocumentExpiry, string AssuranceLevel)
{
    /// <summary>The subject's own fingerprint of this document is on file already (a re-verification): none to add.</summary>
    public bool FingerprintOnFile { get; init; }

    /// <summary>The process's CPU milliseconds per stage (exact when one verification runs at a time; see <see cref="StageTimings"/>).</summary>
    public IReadOnlyDictionary<string, double> StageCpuMilliseconds { get; init; } = new Dictionary<string, double>();

    /// <summary>The document's portrait crop as a JPEG, for a reviewer if the case goes to review; null when none was found.</summary>
    public byte[]? PortraitImage { get; init; }

    // The expiry date comes from the document: keep it out of anything that prints the record.
    public override string ToString() => $"StageRun {{ State = {Decision.State}, Reasons = {string.Join(",", Decision.Reasons)} }}";
}

/// <summary>An embedding with the id of the model that made it (a stored template names its model).</summary>
public sealed record ModelEmbedding(string ModelId, FaceEmbedding Embedding);

/// <summary>
/// The stages of a verification on images already in memory: reads the document, analyses its portrait and every
/// selfie frame, weighs the selfie evidence (liveness, quality, the challenge), matches portrait against selfie and
/// lets the <see cref="DecisionPolicy"/> decide. Touches no database: the service runs it on stored submissions,
/// <c>verify evaluate-e2e</c> on generated ones.
/// </summary>
/// <remarks>
/// Without a <see cref="DocumentFingerprinter"/> (no key ring: the CLI's evaluation) documents are not fingerprinted;
/// the service always has one.
/// </remarks>
public sealed class VerificationStages(
    DocumentReader documents,
    FaceAnalyzer faces,
    SelfieAnalyzer selfies,
    DecisionPolicy policy,
    IOptions<FaceMatchingOptions> matching,
    IOptions<LivenessOptions> livenessOptions,
    IOptions<CaptureQualityOptions> qualityOptions,
    DocumentFingerprinter? fingerprinter = null)
{
    /// <summary>
    /// Runs every stage on the document's front (and back, for a card whose MRZ or licence whose barcode is there; null
    /// when none was sent) and the selfie frames (one selfie, or 2 to 5 frames answering <paramref name="livenessChallenge"/>
    /// when one was issued).
    /// </summary>
    /// <remarks>Arrays rather than memory: a null array silently converts to an empty memory, which would read as a back side that cannot be decoded.</remarks>
    public StageRun Run(byte[] front, byte[]? back, IReadOnlyList<byte[]> selfieFrames, string? livenessChallenge,
        CancellationToken cancellationToken = default) =>
        Run(new DocumentEvidence(front ?? throw new ArgumentNullException(nameof(front)), back), selfieFrames, livenessChallenge, cancellationToken);

    /// <summary>
    /// Runs every stage on the document (its photos, or its chip's data groups) and the selfie frames (one selfie, or 2 to
    /// 5 frames answering <paramref name="livenessChallenge"/> when one was issued).
    /// </summary>
    public StageRun Run(DocumentEvidence documentEvidence, IReadOnlyList<byte[]> selfieFrames, string? livenessChallenge,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentEvidence);
        ArgumentNullException.ThrowIfNull(selfieFrames);
        ArgumentOutOfRangeException.ThrowIfZero(selfieFrames.Count);
        var matcher = faces.Matcher;
        double falseAcceptRate = matching.Value.FalseAcceptRate;
        double threshold = matcher.ThresholdAt(falseAcceptRate);
        var timings = new StageTimings();
        using var document = documents.Read(documentEvidence, cancellationToken);
        foreach (var (stage, milliseconds) in document.Timings)
        {
            timings.Add($"document_{stage}", milliseconds, document.CpuTimings.TryGetValue(stage, out double cpu) ? cpu : null);
        }

        var portrait = document.Portrait is { } crop ? faces.Analyse(crop.Crop, timings, cancellationToken: cancellationToken) : null;
        var frames = selfieFrames.Select(bytes => selfies.Analyse(bytes, timings, cancellationToken)).ToArray();
        var evidence = SelfieEvidence.Assess(frames, (first, second) => matcher.Score(first.Embeddings, second.Embeddings) >= threshold,
            livenessChallenge, livenessOptions.Value, qualityOptions.Value);
        var selfieAnalysis = evidence.MainFrame >= 0 ? frames[evidence.MainFrame].Face
            : frames.FirstOrDefault(f => f.Face.Outcome != FaceAnalysisOutcome.Analysed)?.Face ?? frames[0].Face;
        double? score = portrait is { Outcome: FaceAnalysisOutcome.Analysed } && evidence.Outcome == FaceAnalysisOutcome.Analysed
            ? timings.Measure(Stage.Match, () => matcher.Score(portrait.Embeddings, selfieAnalysis.Embeddings))
            : null;
        var signals = new VerificationSignals
        {
            DocumentStatus = document.Status,
            DocumentFindings = document.Findings,
            PortraitFound = portrait is { Outcome: FaceAnalysisOutcome.Analysed },
            SelfieOutcome = evidence.Outcome,
            SelfieProminentFaces = frames.Max(f => ProminentFaces(f.Face)),
            MatchScore = score,
            MatchThreshold = threshold,
            LivenessEvaluated = evidence.LivenessEvaluated,
            LivenessFailures = evidence.LivenessFailures,
            SelfieQualityFailures = evidence.QualityFailures,
            DocumentCaptureSignals = document.CaptureSignals,
        };
        var decision = policy.Decide(signals);
        var mrz = document.Mrz;
        var aamva = document.Aamva;
        byte[]? fingerprint = fingerprinter is not null && document.DocumentKey is { } key ? fingerprinter.Fingerprint(key.Issuer, key.Number) : null;
        bool chipAuthenticated = document.Chip is { Authenticated: true };
        var result = new VerificationResult
        {
            FaceMatchScore = score is { } s ? Math.Round(s, 4) : null,
            FaceMatchThreshold = Math.Round(threshold, 4),
            FalseAcceptRate = falseAcceptRate,
            Stages = new Dictionary<string, string>
            {
                ["document"] = document.Status switch
                {
                    DocumentReadStatus.Read => document.Findings.Count == 0 ? "passed" : "findings",
                    DocumentReadStatus.NoMrz => "mrz_not_found",
                    DocumentReadStatus.MrzUnreadable => "mrz_unreadable",
                    DocumentReadStatus.BarcodeUnreadable => "barcode_unreadable",
                    DocumentReadStatus.ChipUnreadable => "chip_unreadable",
                    _ => "unreadable",
                },
                ["document_portrait"] = signals.PortraitFound ? "found" : "not_found",
                ["selfie_face"] = selfieAnalysis.Outcome switch
                {
                    FaceAnalysisOutcome.Analysed => signals.SelfieProminentFaces > 1 ? "multiple" : "found",
                    FaceAnalysisOutcome.NoFace => "not_found",
                    _ => "unreadable",
                },
                ["face_match"] = score is null ? "not_evaluated" : score >= threshold ? "passed" : "failed",
                ["liveness"] = !evidence.LivenessEvaluated && evidence.LivenessFailures.Count == 0 ? "not_evaluated"
                    : evidence.LivenessFailures.Count == 0 ? "passed" : "failed",
                ["capture_quality"] = evidence.Outcome != FaceAnalysisOutcome.Analysed ? "not_evaluated"
                    : evidence.QualityFailures.Count == 0 ? "passed" : "failed",
            },
            LivenessScore = evidence.LivenessScore is { } live ? Math.Round(live, 4) : null,
            LivenessThreshold = evidence.LivenessThreshold is { } bar ? Math.Round(bar, 4) : null,
            SelfieFrames = evidence.Frames,
            MatchedSelfieFrame = evidence.MainFrame >= 0 ? evidence.MainFrame : null,
            LivenessChallenge = livenessChallenge,
            SelfieQuality = evidence.MainFrame >= 0 && frames[evidence.MainFrame].Quality is { } measures
                ? SelfieQualityView.Of(measures) : null,
            DocumentCaptureSignals = document.CaptureSignals,
            Models = matcher.Embedders.Select(e => (e.ModelId, e.ModelVersion))
                .Concat(evidence.LivenessEvaluated ? selfies.Liveness.Models.Select(m => (m.ModelId, m.ModelVersion)) : [])
                .ToDictionary(m => m.ModelId, m => m.ModelVersion),
            TimingsMs = timings.Milliseconds.ToDictionary(t => t.Key, t => Math.Round(t.Value, 1)),
            DocumentFindings = [.. document.Findings.Select(f => f.Code)],
            DocumentFormat = aamva is not null ? "AAMVA" : mrz?.Format.ToString(),
            DocumentSource = document.Source?.ToCode(),
            ChipAuthenticated = document.Chip is { } chip ? chip.Authenticated : null,
            ChipAuthentication = document.Chip?.Reason,
            BarcodeFields = aamva is null ? null : BarcodeFieldValidity(aamva.Document),
            MrzFields = mrz?.Fields.ToDictionary(f => f.Name.ToString(), f => f.IsValid ? "valid" : "invalid"),
            MrzCheckDigits = mrz?.CheckDigits.GroupBy(c => c.Check).ToDictionary(g => g.Key.ToString(), g => g.All(c => c.Passed) ? "passed" : "failed"),
        };
        string assurance = AssuranceLevels.Of(chipAuthenticated, evidence.LivenessEvaluated && evidence.LivenessFailures.Count == 0,
            livenessChallenge is not null);
        // Embeddings come in the embedders' order; Zip stops at the shorter list, as a template needs both.
        var embeddings = selfieAnalysis.Embeddings.Zip(matcher.Embedders, (embedding, embedder) => new ModelEmbedding(embedder.ModelId, embedding)).ToArray();
        return new StageRun(decision, result, embeddings, fingerprint, document.ExpiryDate, assurance)
        {
            // A small crop, encoded while the document is still in memory: a reviewer sees what the pipeline compared.
            PortraitImage = signals.PortraitFound && decision.State != VerificationState.Rejected ? ReviewPortrait(document.Portrait!) : null,
            StageCpuMilliseconds = timings.CpuMilliseconds.ToDictionary(t => t.Key, t => Math.Round(t.Value, 1)),
        };
    }

    /// <summary>A run that never reached the stages (the images were gone): rejected for <paramref name="reason"/>, with the threshold that would have applied.</summary>
    public StageRun NotRun(string reason)
    {
        double falseAcceptRate = matching.Value.FalseAcceptRate;
        return new StageRun(new Decision(VerificationState.Rejected, [reason]),
            new VerificationResult { FaceMatchThreshold = faces.Matcher.ThresholdAt(falseAcceptRate), FalseAcceptRate = falseAcceptRate },
            [], null, null, AssuranceLevels.DocumentAndFace);
    }

    /// <summary>
    /// The portrait as a reviewer sees it: the face with a quarter of its size around it, so the printed name and dates
    /// beside it stay out (those are in the document view, which is audited on its own).
    /// </summary>
    private static byte[] ReviewPortrait(DocumentPortrait portrait)
    {
        var box = portrait.Face.Box;
        using var face = portrait.Crop.Crop((int)(box.X - box.Width / 4), (int)(box.Y - box.Height / 4),
            (int)Math.Ceiling(box.Width * 1.5f), (int)Math.Ceiling(box.Height * 1.5f));
        return ImageEncoder.EncodeJpeg(face, 85);
    }

    /// <summary>Each barcode field's validity (valid, invalid or absent), never its value.</summary>
    private static Dictionary<string, string> BarcodeFieldValidity(AamvaDocument barcode) => new()
    {
        ["surname"] = Validity(barcode.FamilyName),
        ["given_names"] = Validity(barcode.GivenNames),
        ["birth_date"] = Validity(barcode.BirthDate),
        ["expiry_date"] = Validity(barcode.ExpiryDate),
        ["issue_date"] = Validity(barcode.IssueDate),
        ["document_number"] = Validity(barcode.DocumentNumber),
        ["sex"] = Validity(barcode.Sex),
        ["country"] = Validity(barcode.Country),
        ["jurisdiction"] = Validity(barcode.Jurisdiction),
    };

    private static string Validity(AamvaField field) => field.ElementId is null ? "absent" : field.IsValid ? "valid" : "invalid";

    private int ProminentFaces(FaceAnalysis selfie)
    {
        if (selfie.PrimaryFace is not { } primary)
        {
            return 0;
        }

        double least = policy.SecondFaceRelativeSize * Math.Sqrt(primary.Box.Area);
        return selfie.Faces.Count(face => Math.Sqrt(face.Box.Area) >= least);
    }
}
