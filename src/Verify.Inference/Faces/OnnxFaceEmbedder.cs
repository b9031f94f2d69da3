using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Verify.Imaging;
using Verify.Inference.OnnxRuntime;

namespace Verify.Inference.Faces;

/// <summary>How a model wants its pixels: channel order and value = (pixel - Mean) * Scale.</summary>
public readonly record struct PixelEncoding(bool Bgr, float Mean, float Scale);

/// <summary>An embedding model with one NCHW image input and one embedding output; owns its ONNX session.</summary>
public abstract class OnnxFaceEmbedder : IBatchFaceEmbedder, IDisposable
{
    private readonly OnnxSessionFactory _sessions;
    private readonly ModelSession _session;
    private readonly PixelEncoding _encoding;
    private readonly string _inputName;

    protected OnnxFaceEmbedder(OnnxSessionFactory sessions, string modelId, AlignmentTemplate template, PixelEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        Template = template;
        _sessions = sessions;
        _encoding = encoding;
        _session = sessions.Open(modelId);
        _inputName = _session.Manifest.Inputs[0].Name;
    }

    public string ModelId => _session.Manifest.Id;

    public string ModelVersion => _session.Manifest.Version;

    public AlignmentTemplate Template { get; }

    /// <summary>Read from the session's input and output metadata, not from the model id.</summary>
    public bool AcceptsBatch => _session.AcceptsBatch;

    public FaceEmbedding Embed(RgbImage alignedFace, CancellationToken cancellationToken = default) => Run([alignedFace], 1, cancellationToken)[0];

    public IReadOnlyList<FaceEmbedding> EmbedBatch(IReadOnlyList<RgbImage> alignedFaces, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alignedFaces);
        return alignedFaces.Count == 0 ? [] : EmbedPadded(alignedFaces, alignedFaces.Count, cancellationToken);
    }

    public IReadOnlyList<FaceEmbedding> EmbedPadded(IReadOnlyList<RgbImage> alignedFaces, int runSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alignedFaces);
        if (alignedFaces.Count == 0 || runSize < alignedFaces.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(runSize), $"A run of {runSize} rows cannot hold {alignedFaces.Count} faces.");
        }

        if (runSize > 1 && !AcceptsBatch)
        {
            throw new InvalidOperationException($"{ModelId} has a fixed batch of 1 and cannot embed {runSize} rows in one run.");
        }

        return Run(alignedFaces, runSize, cancellationToken);
    }

    public IBatchFaceEmbedder OpenSession() => new OwnSession(_sessions, ModelId, Template, _encoding);

    private FaceEmbedding[] Run(IReadOnlyList<RgbImage> alignedFaces, int runSize, CancellationToken cancellationToken)
    {
        int size = Template.Size;
        foreach (var face in alignedFaces)
        {
            if (face.Width != size || face.Height != size)
            {
                throw new ArgumentException($"{ModelId} expects {size}x{size} aligned faces.", nameof(alignedFaces));
            }
        }

        int count = alignedFaces.Count;
        int length = 3 * size * size;
        float[] input = ArrayPool<float>.Shared.Rent(runSize * length);
        try
        {
            for (int i = 0; i < count; i++)
            {
                TensorPacking.ToPlanar(alignedFaces[i], input.AsSpan(i * length, length), size, size, _encoding.Bgr, _encoding.Mean, _encoding.Scale);
            }

            // Padding rows: zero, so that nothing of an earlier batch is embedded again; their outputs are never read.
            input.AsSpan(count * length, (runSize - count) * length).Clear();
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, runSize * length), [runSize, 3, size, size]);
            using var outputs = _session.Run(_inputName, value, cancellationToken);
            var raw = outputs[0].GetTensorDataAsSpan<float>();
            if (raw.Length == 0 || raw.Length % runSize != 0)
            {
                throw new InvalidOperationException($"{ModelId} returned {raw.Length} values for a run of {runSize}.");
            }

            int dimension = raw.Length / runSize;
            var embeddings = new FaceEmbedding[count];
            for (int i = 0; i < count; i++)
            {
                embeddings[i] = new FaceEmbedding(ModelVersion, FaceEmbedding.Normalise(raw.Slice(i * dimension, dimension)));
            }

            return embeddings;
        }
        finally
        {
            // Wiped: the tensor holds faces.
            ArrayPool<float>.Shared.Return(input, clearArray: true);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The same model and pixel encoding on a session of its own (<see cref="OpenSession"/>).</summary>
    private sealed class OwnSession(OnnxSessionFactory sessions, string modelId, AlignmentTemplate template, PixelEncoding encoding)
        : OnnxFaceEmbedder(sessions, modelId, template, encoding);
}

/// <summary>fr_feature: ArcFace-style 512-d embedder, BGR, (x - 127) / 128, ArcFace 112x112 alignment.</summary>
public sealed class ArcFaceEmbedder(OnnxSessionFactory sessions)
    : OnnxFaceEmbedder(sessions, Id, AlignmentTemplate.ArcFace112, new PixelEncoding(Bgr: true, Mean: 127f, Scale: 1f / 128f))
{
    public const string Id = "fr-feature";
}

/// <summary>dlib ResNet 128-d embedder: RGB 0..255 (normalised inside the graph), dlib 150x150 chip alignment.</summary>
public sealed class DlibResNetEmbedder(OnnxSessionFactory sessions)
    : OnnxFaceEmbedder(sessions, Id, AlignmentTemplate.DlibChip150, new PixelEncoding(Bgr: false, Mean: 0f, Scale: 1f))
{
    public const string Id = "dlib-resnet-v1";
}
