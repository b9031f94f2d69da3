using System.Buffers;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Verify.Imaging;
using Verify.Inference.OnnxRuntime;

namespace Verify.Inference.Faces;

/// <summary>
/// YuNet 2023mar (640x640, BGR 0..255, letterboxed) with its five landmarks. Owns its ONNX session.
/// Large photos are reduced to fit the network; small faces in large photos are found by a second,
/// tiled pass at a higher scale when the caller asks for them.
/// </summary>
public sealed class YuNetFaceDetector : IFaceDetector, IDisposable
{
    public const string ModelId = "yunet-2023mar";
    private const int InputSize = 640;
    private static readonly int[] Strides = [8, 16, 32];
    private static readonly long[] InputShape = [1, 3, InputSize, InputSize];

    private readonly ModelSession _session;
    private readonly FaceDetectionOptions _options;
    private readonly string _inputName;

    public YuNetFaceDetector(OnnxSessionFactory sessions, IOptions<FaceDetectionOptions> options)
    {
        _options = options.Value;
        _session = sessions.Open(ModelId);
        _inputName = _session.Manifest.Inputs[0].Name;
    }

    public string ModelVersion => _session.Manifest.Version;

    public IReadOnlyList<FaceDetection> Detect(RgbImage image, int? minFaceSize = null)
    {
        var candidates = new List<FaceDetection>();
        double wholeScale = (double)InputSize / Math.Max(image.Width, image.Height);
        candidates.AddRange(DetectScaled(image, wholeScale, 0, 0));

        // Faces smaller than the whole-image pass resolves: search overlapping tiles at a higher scale.
        if (minFaceSize is > 0 && minFaceSize.Value * wholeScale < _options.MinNetworkFaceSize)
        {
            double tileScale = Math.Min(2.0, (double)_options.MinNetworkFaceSize / minFaceSize.Value);
            int tileSide = (int)(InputSize / tileScale);
            int overlap = (int)Math.Ceiling(_options.MinNetworkFaceSize / wholeScale);
            foreach (var (x, y) in TileOrigins(image.Width, image.Height, tileSide, overlap))
            {
                using var tile = image.Crop(x, y, tileSide, tileSide);
                candidates.AddRange(DetectScaled(tile, tileScale, x, y));
            }
        }

        return NonMaximumSuppression.Apply(candidates, _options.NmsIouThreshold, _options.MaxFaces);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Top-left corners of tiles covering the image, neighbours overlapping by at least <paramref name="overlap"/>.</summary>
    internal static IEnumerable<(int X, int Y)> TileOrigins(int width, int height, int side, int overlap)
    {
        int step = Math.Max(1, side - overlap);
        foreach (int y in Positions(height, side, step))
        {
            foreach (int x in Positions(width, side, step))
            {
                yield return (x, y);
            }
        }

        static IEnumerable<int> Positions(int length, int side, int step)
        {
            if (length <= side)
            {
                yield return 0;
                yield break;
            }

            int last = length - side;
            for (int position = 0; position < last; position += step)
            {
                yield return position;
            }

            yield return last;
        }
    }

    /// <summary>Runs the network on the image scaled by <paramref name="scale"/> and maps results back, offset by (dx, dy).</summary>
    private List<FaceDetection> DetectScaled(RgbImage image, double scale, int dx, int dy)
    {
        int width = Math.Clamp((int)Math.Round(image.Width * scale), 1, InputSize);
        int height = Math.Clamp((int)Math.Round(image.Height * scale), 1, InputSize);
        double scaleX = (double)width / image.Width, scaleY = (double)height / image.Height;

        float[] input = ArrayPool<float>.Shared.Rent(3 * InputSize * InputSize);
        try
        {
            var tensor = input.AsSpan(0, 3 * InputSize * InputSize);
            tensor.Clear();
            if (width == image.Width && height == image.Height)
            {
                TensorPacking.ToPlanar(image, tensor, InputSize, InputSize, bgr: true, mean: 0f, scale: 1f);
            }
            else
            {
                using var resized = ImageResampler.Resize(image, width, height);
                TensorPacking.ToPlanar(resized, tensor, InputSize, InputSize, bgr: true, mean: 0f, scale: 1f);
            }

            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, tensor.Length), InputShape);
            using var outputs = _session.Run(_inputName, value);
            return Decode(outputs, _options.ScoreThreshold,
                (x, y) => new FacePoint((float)(((x + 0.5) / scaleX) - 0.5 + dx), (float)(((y + 0.5) / scaleY) - 0.5 + dy)),
                1 / scaleX, 1 / scaleY);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }
    }

    /// <summary>
    /// Turns the twelve output tensors (cls, obj, bbox, kps for strides 8, 16, 32, in manifest order) into
    /// detections in network pixels, mapped to the image by <paramref name="toImage"/>.
    /// </summary>
    internal static List<FaceDetection> Decode(IReadOnlyList<OrtValue> outputs, float threshold,
        Func<double, double, FacePoint> toImage, double sizeScaleX, double sizeScaleY)
    {
        var detections = new List<FaceDetection>();
        for (int level = 0; level < Strides.Length; level++)
        {
            int stride = Strides[level];
            int columns = InputSize / stride;
            var cls = outputs[level].GetTensorDataAsSpan<float>();
            var obj = outputs[3 + level].GetTensorDataAsSpan<float>();
            var box = outputs[6 + level].GetTensorDataAsSpan<float>();
            var kps = outputs[9 + level].GetTensorDataAsSpan<float>();
            for (int i = 0; i < cls.Length; i++)
            {
                float score = MathF.Sqrt(Math.Clamp(cls[i], 0f, 1f) * Math.Clamp(obj[i], 0f, 1f));
                if (score < threshold)
                {
                    continue;
                }

                int row = i / columns, column = i % columns;
                double centreX = (column + box[i * 4]) * stride, centreY = (row + box[(i * 4) + 1]) * stride;
                double width = Math.Exp(box[(i * 4) + 2]) * stride, height = Math.Exp(box[(i * 4) + 3]) * stride;
                var topLeft = toImage(centreX - (width / 2), centreY - (height / 2));
                var landmarks = new FacePoint[Landmark.Count];
                for (int k = 0; k < Landmark.Count; k++)
                {
                    landmarks[k] = toImage((column + kps[(i * 10) + (2 * k)]) * stride, (row + kps[(i * 10) + (2 * k) + 1]) * stride);
                }

                var faceBox = new FaceBox(topLeft.X, topLeft.Y, (float)(width * sizeScaleX), (float)(height * sizeScaleY));
                detections.Add(new FaceDetection(faceBox, landmarks, score));
            }
        }

        return detections;
    }
}
