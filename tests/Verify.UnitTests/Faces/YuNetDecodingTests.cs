using Microsoft.ML.OnnxRuntime;
using Verify.Inference.Faces;

namespace Verify.UnitTests.Faces;

/// <summary>YuNet's output decoding on hand-made tensors: anchors, strides, the score formula and the thresholds.</summary>
public sealed class YuNetDecodingTests
{
    [Fact]
    public void An_anchor_decodes_to_its_box_landmarks_and_geometric_mean_score()
    {
        using var outputs = new Outputs();
        // Stride 8 grid is 80 wide: anchor index 2 * 80 + 3 is row 2, column 3.
        int i = (2 * 80) + 3;
        outputs.Set(level: 0, cls: (i, 0.81f), obj: (i, 1.0f));
        new[] { 0.5f, 0.5f, MathF.Log(2), MathF.Log(4) }.CopyTo(outputs.Box(0)[(i * 4)..]);
        for (int k = 0; k < 5; k++)
        {
            outputs.Keypoints(0)[(i * 10) + (2 * k)] = k;
            outputs.Keypoints(0)[(i * 10) + (2 * k) + 1] = -k;
        }

        var detections = YuNetFaceDetector.Decode(outputs.Values, 0.5f, (x, y) => new FacePoint((float)x, (float)y), 1, 1);

        var face = Assert.Single(detections);
        Assert.Equal(0.9f, face.Score, 5);
        // Centre ((3 + 0.5) * 8, (2 + 0.5) * 8) = (28, 20); size (2 * 8, 4 * 8) = (16, 32).
        Assert.Equal(20, face.Box.X, 3);
        Assert.Equal(4, face.Box.Y, 3);
        Assert.Equal(16, face.Box.Width, 3);
        Assert.Equal(32, face.Box.Height, 3);
        Assert.Equal(new FacePoint((3 + 4) * 8, (2 - 4) * 8), face.Landmarks[4]);
    }

    [Fact]
    public void Scores_below_the_threshold_and_out_of_range_probabilities_are_handled()
    {
        using var outputs = new Outputs();
        outputs.Set(level: 2, cls: (7, 0.2f), obj: (7, 0.9f));   // sqrt(0.18) = 0.42: below 0.5
        outputs.Set(level: 1, cls: (9, 1.3f), obj: (9, 1.0f));   // clamped to 1

        var detections = YuNetFaceDetector.Decode(outputs.Values, 0.5f, (x, y) => new FacePoint((float)x, (float)y), 1, 1);

        var face = Assert.Single(detections);
        Assert.Equal(1f, face.Score);
        // Stride 16 grid is 40 wide: anchor 9 is row 0, column 9, centre (9 * 16, 0) with no offset.
        Assert.Equal(9 * 16, face.Box.Centre.X, 3);
    }

    /// <summary>The twelve outputs in manifest order: cls, obj, bbox, kps for strides 8, 16 and 32.</summary>
    private sealed class Outputs : IDisposable
    {
        private static readonly int[] Anchors = [6400, 1600, 400];
        private readonly float[][] _data = new float[12][];
        private readonly List<OrtValue> _values = [];

        public Outputs()
        {
            for (int level = 0; level < 3; level++)
            {
                _data[level] = new float[Anchors[level]];
                _data[3 + level] = new float[Anchors[level]];
                _data[6 + level] = new float[Anchors[level] * 4];
                _data[9 + level] = new float[Anchors[level] * 10];
            }
        }

        public IReadOnlyList<OrtValue> Values
        {
            get
            {
                if (_values.Count == 0)
                {
                    int[] widths = [1, 1, 1, 1, 1, 1, 4, 4, 4, 10, 10, 10];
                    for (int n = 0; n < 12; n++)
                    {
                        _values.Add(OrtValue.CreateTensorValueFromMemory(_data[n], [1, Anchors[n % 3], widths[n]]));
                    }
                }

                return _values;
            }
        }

        public void Set(int level, (int Index, float Value) cls, (int Index, float Value) obj)
        {
            _data[level][cls.Index] = cls.Value;
            _data[3 + level][obj.Index] = obj.Value;
        }

        public Span<float> Box(int level) => _data[6 + level];

        public Span<float> Keypoints(int level) => _data[9 + level];

        public void Dispose() => _values.ForEach(value => value.Dispose());
    }
}
