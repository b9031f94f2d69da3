using System.Diagnostics.CodeAnalysis;
using Verify.Imaging;
using Verify.Inference.Faces;

namespace Verify.Pipeline.Faces;

/// <summary>Decodes an image, finds its faces, picks the primary one and embeds it with the matcher's embedders.</summary>
public sealed class FaceAnalyzer(ImageDecoder decoder, IFaceDetector detector, FaceMatcher matcher)
{
    public FaceMatcher Matcher => matcher;

    /// <param name="data">The encoded image.</param>
    /// <param name="timings">Receives the decode, detect, align and embed durations.</param>
    /// <param name="minFaceSize">Smallest face worth finding, in pixels; enables the tiled search for small faces.</param>
    /// <param name="cancellationToken">Stops the model run under way.</param>
    public FaceAnalysis Analyse(ReadOnlyMemory<byte> data, StageTimings timings, int? minFaceSize = null, CancellationToken cancellationToken = default)
    {
        if (!TryDecode(data, timings, out var image, out var unreadable))
        {
            return unreadable;
        }

        using (image)
        {
            return Analyse(image, timings, minFaceSize, cancellationToken) with { Format = ImageFormatSniffer.Sniff(data.Span) };
        }
    }

    /// <summary>
    /// Decodes an image upright with the service's limits (timed as <see cref="Stage.Decode"/>); when it cannot be
    /// decoded, <paramref name="unreadable"/> is the analysis that says why.
    /// </summary>
    public bool TryDecode(ReadOnlyMemory<byte> data, StageTimings timings, [NotNullWhen(true)] out RgbImage? image,
        [NotNullWhen(false)] out FaceAnalysis? unreadable)
    {
        ArgumentNullException.ThrowIfNull(timings);
        try
        {
            image = timings.Measure(Stage.Decode, () => decoder.Decode(data.Span));
            unreadable = null;
            return true;
        }
        catch (ImageDecodeException exception)
        {
            image = null;
            unreadable = Unreadable(exception);
            return false;
        }
    }

    /// <summary>The analysis of an image that could not be decoded.</summary>
    private static FaceAnalysis Unreadable(ImageDecodeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new FaceAnalysis
        {
            Outcome = FaceAnalysisOutcome.Unreadable,
            Format = exception.Format,
            DecodeError = exception.Error,
            Problem = exception.Message,
        };
    }

    /// <summary>
    /// Finds, picks and embeds the primary face of an already decoded image (a document portrait crop, say); cancelling
    /// stops the model run under way with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public FaceAnalysis Analyse(RgbImage image, StageTimings timings, int? minFaceSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(timings);
        var faces = timings.Measure(Stage.Detect, () => detector.Detect(image, minFaceSize, cancellationToken));
        int primary = PrimaryFace.Select(faces, image.Width, image.Height);
        if (primary < 0)
        {
            return new FaceAnalysis
            {
                Outcome = FaceAnalysisOutcome.NoFace,
                Width = image.Width,
                Height = image.Height,
                Problem = "No face was found in the image.",
            };
        }

        return new FaceAnalysis
        {
            Outcome = FaceAnalysisOutcome.Analysed,
            Width = image.Width,
            Height = image.Height,
            Faces = faces,
            PrimaryIndex = primary,
            Embeddings = Embed(image, faces[primary], timings, cancellationToken),
        };
    }

    /// <summary>
    /// Decodes an image and embeds every face in it, not only the primary one (an impersonator's photo may show the
    /// victim beside others): the largest <paramref name="maxFaces"/> faces, each as one embedding per embedder of the
    /// matcher. Empty when no face is found; null when the image cannot be decoded.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<FaceEmbedding>>? EmbedEveryFace(ReadOnlyMemory<byte> data, StageTimings timings, int maxFaces,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaces, 1);
        if (!TryDecode(data, timings, out var image, out _))
        {
            return null;
        }

        using (image)
        {
            var faces = timings.Measure(Stage.Detect, () => detector.Detect(image, cancellationToken: cancellationToken));
            return [.. faces.OrderByDescending(face => face.Size).Take(maxFaces).Select(face => Embed(image, face, timings, cancellationToken))];
        }
    }

    /// <summary>One embedding of the face per embedder of the matcher, in the matcher's order.</summary>
    private FaceEmbedding[] Embed(RgbImage image, FaceDetection face, StageTimings timings, CancellationToken cancellationToken)
    {
        var embeddings = new FaceEmbedding[matcher.Embedders.Count];
        for (int i = 0; i < embeddings.Length; i++)
        {
            var embedder = matcher.Embedders[i];
            using var aligned = timings.Measure(Stage.Align, () => FaceAligner.Align(image, face.Landmarks, embedder.Template));
            embeddings[i] = timings.Measure(Stage.Embed, () => embedder.Embed(aligned, cancellationToken));
        }

        return embeddings;
    }
}
