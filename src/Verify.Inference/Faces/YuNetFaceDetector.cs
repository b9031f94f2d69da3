using System.Buffers;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Verify.Imaging;
using Verify.Inference.OnnxRuntime;

namespace Verify.Inference.Faces;

/// <summary>
/// YuNet 2023mar (640x640, BGR 0..255, letterboxed) with its five landmarks. Owns its ONNX session.
/// Large photos are reduced to fit the network; small faces in large photos are found by tiled passes at
/// higher scales when the caller asks for them, within a bounded number of tiles.
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

    public int WholeImageSide => InputSize;

    public IReadOnlyList<FaceDetection> Detect(RgbImage image, int? minFaceSize = null, CancellationToken cancellationToken = default)
    {
        var candidates = new List<FaceDetection>();
        double wholeScale = (double)InputSize / Math.Max(image.Width, image.Height);
        candidates.AddRange(DetectScaled(image, wholeScale, 0, 0, cancellationToken));

        // Faces smaller than the whole-image pass resolves: overlapping tiles at doubling scales.
        if (minFaceSize is > 0)
        {
            foreach (double scale in PyramidScales(image.Width, image.Height, wholeScale, minFaceSize.Value, _options.MinNetworkFaceSize, _options.MaxTiles))
            {
                var (side, overlap) = TileGeometry(scale, _options.MinNetworkFaceSize);
                foreach (var (x, y) in TileOrigins(image.Width, image.Height, side, overlap))
                {
                    using var tile = image.Crop(x, y, side, side);
                    candidates.AddRange(DetectScaled(tile, scale, x, y, cancellationToken));
                }
            }
        }

        return NonMaximumSuppression.Apply(candidates, _options.NmsIouThreshold, _options.MaxFaces);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// Scales of the tiled passes: each doubles the one before, from the whole-image scale up to the scale at
    /// which a face of <paramref name="minFaceSize"/> measures <paramref name="minNetworkFace"/> network pixels
    /// (at most 2). A pass finds faces from minNetworkFace up to twice that at its own scale; larger ones the
    /// coarser pass before it found. When the passes would take more than <paramref name="maxTiles"/> tiles,
    /// the finest scale is lowered until they fit: the smallest faces are then missed, never the time budget.
    /// </summary>
    internal static IReadOnlyList<double> PyramidScales(int width, int height, double wholeScale, int minFaceSize, int minNetworkFace, int maxTiles)
    {
        double finest = Math.Min(2.0, (double)minNetworkFace / minFaceSize);
        while (finest > wholeScale * 1.05)
        {
            var scales = new List<double>();
            for (double scale = wholeScale * 2; scale < finest; scale *= 2)
            {
                scales.Add(scale);
            }

            scales.Add(finest);
            int tiles = scales.Sum(scale =>
            {
                var (side, overlap) = TileGeometry(scale, minNetworkFace);
                return TileOrigins(width, height, side, overlap).Count();
            });
            if (tiles <= maxTiles)
            {
                return scales;
            }

            finest *= 0.9;
        }

        return [];
    }

    /// <summary>Tile side and overlap in image pixels: one network input, overlapping by the largest face the pass is for.</summary>
    private static (int Side, int Overlap) TileGeometry(double scale, int minNetworkFace) =>
        ((int)Math.Ceiling(InputSize / scale), (int)Math.Ceiling(2 * minNetworkFace / scale));

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
    private List<FaceDetection> DetectScaled(RgbImage image, double scale, int dx, int dy, CancellationToken cancellationToken)
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
            using var outputs = _session.Run(_inputName, value, cancellationToken);
            return Decode(outputs, _options.ScoreThreshold,
                (x, y) => new FacePoint((float)(((x + 0.5) / scaleX) - 0.5 + dx), (float)(((y + 0.5) / scaleY) - 0.5 + dy)),
                1 / scaleX, 1 / scaleY);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input, clearArray: true);
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
