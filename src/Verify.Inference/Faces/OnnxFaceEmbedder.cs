using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Verify.Imaging;
using Verify.Inference.OnnxRuntime;

namespace Verify.Inference.Faces;

/// <summary>How a model wants its pixels: channel order and value = (pixel - Mean) * Scale.</summary>
public readonly record struct PixelEncoding(bool Bgr, float Mean, float Scale);

/// <summary>An embedding model with one NCHW image input and one embedding output; owns its ONNX session.</summary>
public abstract class OnnxFaceEmbedder : IFaceEmbedder, IDisposable
{
    private readonly ModelSession _session;
    private readonly PixelEncoding _encoding;
    private readonly string _inputName;
    private readonly long[] _inputShape;

    protected OnnxFaceEmbedder(OnnxSessionFactory sessions, string modelId, AlignmentTemplate template, PixelEncoding encoding)
    {
        Template = template;
        _encoding = encoding;
        _session = sessions.Open(modelId);
        _inputName = _session.Manifest.Inputs[0].Name;
        _inputShape = [1, 3, template.Size, template.Size];
    }

    public string ModelId => _session.Manifest.Id;

    public string ModelVersion => _session.Manifest.Version;

    public AlignmentTemplate Template { get; }

    public FaceEmbedding Embed(RgbImage alignedFace)
    {
        if (alignedFace.Width != Template.Size || alignedFace.Height != Template.Size)
        {
            throw new ArgumentException($"{ModelId} expects a {Template.Size}x{Template.Size} aligned face.", nameof(alignedFace));
        }

        int length = 3 * Template.Size * Template.Size;
        float[] input = ArrayPool<float>.Shared.Rent(length);
        try
        {
            TensorPacking.ToPlanar(alignedFace, input.AsSpan(0, length), Template.Size, Template.Size, _encoding.Bgr, _encoding.Mean, _encoding.Scale);
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, length), _inputShape);
            using var outputs = _session.Run(_inputName, value);
            return new FaceEmbedding(ModelVersion, FaceEmbedding.Normalise(outputs[0].GetTensorDataAsSpan<float>()));
        }
        finally
        {
            // Wiped: the tensor is a face.
            ArrayPool<float>.Shared.Return(input, clearArray: true);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        GC.SuppressFinalize(this);
    }
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
