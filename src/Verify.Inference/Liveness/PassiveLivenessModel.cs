using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.OnnxRuntime;

namespace Verify.Inference.Liveness;

/// <summary>
/// A passive liveness classifier over one face crop: three classes, softmax, one of them "live". Owns its ONNX
/// session. Inputs are BGR 0..255 for every model used here.
/// </summary>
public abstract class PassiveLivenessModel : IDisposable
{
    private readonly ModelSession _session;
    private readonly string _inputName;
    private readonly long[] _inputShape;
    private readonly int _liveIndex;

    protected PassiveLivenessModel(OnnxSessionFactory sessions, string modelId, LivenessCrop crop, int liveIndex)
    {
        Crop = crop;
        _liveIndex = liveIndex;
        _session = sessions.Open(modelId);
        _inputName = _session.Manifest.Inputs[0].Name;
        _inputShape = [1, 3, crop.Size, crop.Size];
    }

    public string ModelId => _session.Manifest.Id;

    public string ModelVersion => _session.Manifest.Version;

    public LivenessCrop Crop { get; }

    /// <summary>
    /// The probability in [0, 1] that <paramref name="face"/> in <paramref name="image"/> is a live person. Cancelling
    /// terminates the model run with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public double Score(RgbImage image, FaceBox face, CancellationToken cancellationToken = default)
    {
        var (x, y, width, height) = Crop.Region(face, image.Width, image.Height);
        using var region = image.Crop(x, y, width, height);
        using var resized = ImageResampler.Resize(region, Crop.Size, Crop.Size);
        int length = 3 * Crop.Size * Crop.Size;
        float[] input = ArrayPool<float>.Shared.Rent(length);
        try
        {
            TensorPacking.ToPlanar(resized, input.AsSpan(0, length), Crop.Size, Crop.Size, bgr: true, mean: 0f, scale: 1f);
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, length), _inputShape);
            using var outputs = _session.Run(_inputName, value, cancellationToken);
            return Softmax(outputs[0].GetTensorDataAsSpan<float>(), _liveIndex);
        }
        finally
        {
            // Wiped: the tensor is a face.
            ArrayPool<float>.Shared.Return(input, clearArray: true);
        }
    }

    /// <summary>The softmax probability of class <paramref name="index"/>, computed stably.</summary>
    public static double Softmax(ReadOnlySpan<float> logits, int index)
    {
        double max = double.NegativeInfinity;
        foreach (float logit in logits)
        {
            max = Math.Max(max, logit);
        }

        double sum = 0;
        foreach (float logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        return Math.Exp(logits[index] - max) / sum;
    }

    public void Dispose()
    {
        _session.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>MiniFASNetV2 (Silent-Face-Anti-Spoofing): 80x80 crop of 2.7 times the box; class 1 is live.</summary>
public sealed class MiniFasNetV2(OnnxSessionFactory sessions) : PassiveLivenessModel(sessions, Id, new LivenessCrop(2.7, 80), liveIndex: 1)
{
    public const string Id = "minifasnet-v2";
}

/// <summary>MiniFASNetV1SE (Silent-Face-Anti-Spoofing): 80x80 crop of 4.0 times the box; class 1 is live.</summary>
public sealed class MiniFasNetV1SE(OnnxSessionFactory sessions) : PassiveLivenessModel(sessions, Id, new LivenessCrop(4.0, 80), liveIndex: 1)
{
    public const string Id = "minifasnet-v1se";
}

/// <summary>faceplugin's fr_liveness: 128x128 square crop of 2.7 times the box height; class 0 is live.</summary>
public sealed class FrLiveness(OnnxSessionFactory sessions) : PassiveLivenessModel(sessions, Id, new LivenessCrop(2.7, 128, Square: true), liveIndex: 0)
{
    public const string Id = "fr-liveness";
}
