using Verify.Inference.Faces;

namespace Verify.UnitTests.Faces;

public sealed class DetectionGeometryTests
{
    private static readonly FacePoint[] NoLandmarks = new FacePoint[5];

    [Fact]
    public void Intersection_over_union_of_boxes()
    {
        var box = new FaceBox(0, 0, 10, 10);
        Assert.Equal(1f, box.IntersectionOverUnion(box));
        Assert.Equal(0f, box.IntersectionOverUnion(new FaceBox(20, 20, 5, 5)));
        Assert.Equal(25f / 175f, box.IntersectionOverUnion(new FaceBox(5, 5, 10, 10)), 5);
    }

    [Fact]
    public void Suppression_keeps_the_best_of_each_overlapping_group()
    {
        var detections = new[]
        {
            Face(0, 0, 100, 0.80f),
            Face(5, 5, 100, 0.95f),
            Face(300, 300, 50, 0.70f),
            Face(310, 305, 50, 0.60f),
            Face(600, 0, 40, 0.65f),
        };

        var kept = NonMaximumSuppression.Apply(detections, iouThreshold: 0.3f);

        Assert.Equal([0.95f, 0.70f, 0.65f], kept.Select(d => d.Score));
        Assert.Equal(2, NonMaximumSuppression.Apply(detections, 0.3f, maxResults: 2).Count);
    }

    [Fact]
    public void The_primary_face_is_the_most_central_of_the_prominent_ones()
    {
        // A bystander at the edge is as large as the subject; a tiny face sits dead centre.
        var faces = new[] { Face(0, 0, 100, 0.9f), Face(160, 110, 90, 0.8f), Face(195, 145, 20, 0.99f) };

        Assert.Equal(1, PrimaryFace.Select(faces, 400, 300));
        Assert.Equal(-1, PrimaryFace.Select([], 400, 300));
    }

    [Fact]
    public void Tiles_cover_the_image_with_the_requested_overlap()
    {
        var tiles = YuNetFaceDetector.TileOrigins(2500, 1000, side: 1000, overlap: 150).ToArray();

        Assert.Contains((0, 0), tiles);
        Assert.Contains((1500, 0), tiles);
        Assert.All(tiles, tile => Assert.True(tile.X + 1000 <= 2500 && tile.Y == 0));
        var xs = tiles.Select(tile => tile.X).Order().ToArray();
        Assert.All(xs.Zip(xs.Skip(1)), pair => Assert.True(pair.Second - pair.First <= 1000 - 150));
        Assert.Equal([(0, 0)], YuNetFaceDetector.TileOrigins(500, 400, 1000, 100));
    }

    [Fact]
    public void Tiled_passes_double_their_scale_up_to_the_requested_face_size()
    {
        // 2400x1600 document photo, faces of 30 pixels wanted: whole pass at 640/2400, then 2x, then 24/30.
        var scales = YuNetFaceDetector.PyramidScales(2400, 1600, 640.0 / 2400, minFaceSize: 30, minNetworkFace: 24, maxTiles: 64);

        Assert.Equal([Math.Round(2 * 640.0 / 2400, 6), 0.8], scales.Select(s => Math.Round(s, 6)));
        Assert.Empty(YuNetFaceDetector.PyramidScales(600, 400, 640.0 / 600, minFaceSize: 30, minNetworkFace: 24, maxTiles: 64));
    }

    [Theory]
    [InlineData(16384, 2441, 10)]
    [InlineData(7000, 5700, 10)]
    [InlineData(6000, 6000, 8)]
    public void Tiled_passes_never_exceed_their_tile_budget(int width, int height, int minFaceSize)
    {
        double whole = 640.0 / Math.Max(width, height);

        var scales = YuNetFaceDetector.PyramidScales(width, height, whole, minFaceSize, minNetworkFace: 24, maxTiles: 64);

        int tiles = scales.Sum(scale => YuNetFaceDetector.TileOrigins(width, height, (int)Math.Ceiling(640 / scale), (int)Math.Ceiling(48 / scale)).Count());
        Assert.InRange(tiles, 1, 64);
        Assert.All(scales.Zip(scales.Skip(1)), pair => Assert.InRange(pair.Second / pair.First, 1.0, 2.0 + 1e-9));
    }

    private static FaceDetection Face(float x, float y, float size, float score) => new(new FaceBox(x, y, size, size), NoLandmarks, score);
}
