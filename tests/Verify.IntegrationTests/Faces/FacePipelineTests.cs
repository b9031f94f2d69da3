using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Faces;

namespace Verify.IntegrationTests.Faces;

/// <summary>YuNet, the aligners and both embedders on real LFW photographs.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Collection(PipelineCollection.Name)]
public sealed class FacePipelineTests(PipelineFixture pipeline)
{
    private readonly ImageDecoder _decoder = pipeline.Get<ImageDecoder>();
    private readonly IFaceDetector _detector = pipeline.Get<IFaceDetector>();

    [Fact]
    public void Detector_finds_the_face_with_its_landmarks_in_anatomical_order()
    {
        using var image = Decode(TestPaths.Lfw("Colin_Powell", 38));

        var faces = _detector.Detect(image);

        var face = faces[PrimaryFace.Select(faces, image.Width, image.Height)];
        var points = face.Landmarks;
        Assert.InRange(face.Score, 0.6f, 1f);
        Assert.True(points[Landmark.RightEye].X < points[Landmark.LeftEye].X, "the subject's right eye is on the image's left");
        Assert.True(points[Landmark.RightMouthCorner].X < points[Landmark.LeftMouthCorner].X);
        Assert.True(Math.Max(points[Landmark.RightEye].Y, points[Landmark.LeftEye].Y) < points[Landmark.NoseTip].Y);
        Assert.True(points[Landmark.NoseTip].Y < Math.Min(points[Landmark.RightMouthCorner].Y, points[Landmark.LeftMouthCorner].Y));
        Assert.All(points, point => Assert.True(face.Box.X <= point.X && point.X <= face.Box.Right && face.Box.Y <= point.Y && point.Y <= face.Box.Bottom));
    }

    [Fact]
    public void Detector_finds_the_face_in_a_4000_pixel_phone_photo()
    {
        // The LFW photo enlarged to a 4000x3000 frame: the face is then about 1500 pixels tall.
        using var small = Decode(TestPaths.Lfw("Colin_Powell", 38));
        using var enlarged = ImageResampler.Resize(small, 3000, 3000);
        using var photo = Canvas(4000, 3000, enlarged, 500, 0);

        var faces = _detector.Detect(photo);

        var face = Assert.Single(faces, f => f.Size > 800);
        Assert.InRange(face.Box.Centre.X, 1500, 2500);
    }

    [Fact]
    public void Detector_finds_a_40_pixel_portrait_on_a_large_document_photo_when_asked_for_small_faces()
    {
        // A 2400x1600 photo of a grey card with a 40-pixel-wide face: 11 pixels once the whole frame is
        // scaled to 640, too small for one pass; the tiled pass finds it.
        using var source = Decode(TestPaths.Lfw("Colin_Powell", 38));
        var full = _detector.Detect(source);
        var sourceFace = full[PrimaryFace.Select(full, source.Width, source.Height)];
        double scale = 40.0 / sourceFace.Box.Width;
        using var portrait = ImageResampler.Resize(source, (int)(source.Width * scale), (int)(source.Height * scale));
        using var document = Canvas(2400, 1600, portrait, 700, 900, background: 190);

        Assert.DoesNotContain(_detector.Detect(document), f => f.Box.Centre.X is > 700 and < 800);
        var faces = _detector.Detect(document, minFaceSize: 30);

        var found = Assert.Single(faces, f => f.Box.Centre.X is > 700 and < 800 && f.Box.Centre.Y is > 900 && f.Box.Centre.Y < 1000);
        Assert.InRange(found.Size, 25, 60);
    }

    [Fact]
    public void Aligned_crops_put_the_eyes_where_each_template_expects_them()
    {
        using var image = Decode(TestPaths.Lfw("Colin_Powell", 38));
        var faces = _detector.Detect(image);
        var face = faces[PrimaryFace.Select(faces, image.Width, image.Height)];

        foreach (var template in new[] { AlignmentTemplate.ArcFace112, AlignmentTemplate.DlibChip150 })
        {
            var transform = SimilarityTransform.Estimate(face.Landmarks, template.Points);
            for (int k = 0; k < Landmark.Count; k++)
            {
                var (x, y) = transform.Apply(face.Landmarks[k].X, face.Landmarks[k].Y);
                // Five real landmarks never fit a similarity exactly; a few pixels of residual is a good face.
                Assert.InRange(Math.Sqrt(Math.Pow(x - template.Points[k].X, 2) + Math.Pow(y - template.Points[k].Y, 2)), 0, template.Size * 0.08);
            }

            using var crop = FaceAligner.Align(image, face.Landmarks, template);
            Assert.Equal((template.Size, template.Size), (crop.Width, crop.Height));
        }
    }

    [Theory]
    [InlineData("fr-feature")]
    [InlineData("dlib-resnet-v1")]
    public void Each_embedder_scores_one_person_above_two_people(string modelId)
    {
        IFaceEmbedder embedder = modelId == ArcFaceEmbedder.Id ? pipeline.Get<ArcFaceEmbedder>() : pipeline.Get<DlibResNetEmbedder>();
        var powell1 = Embed(embedder, TestPaths.Lfw("Colin_Powell", 38));
        var powell2 = Embed(embedder, TestPaths.Lfw("Colin_Powell", 212));
        var bush = Embed(embedder, TestPaths.Lfw("George_W_Bush", 353));

        double same = powell1.CosineSimilarity(powell2);
        double different = powell1.CosineSimilarity(bush);

        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm<float>(powell1.Vector), 3);
        Assert.True(same > different + 0.1, $"same person {same:0.000}, different people {different:0.000}");
        var threshold = FaceMatcher.ForModel(embedder, pipeline.Get<Verify.Inference.Models.ModelCatalog>().Get(modelId)).ThresholdAt(1e-3);
        Assert.True(same >= threshold && different < threshold, $"threshold {threshold:0.000}: same {same:0.000}, different {different:0.000}");
    }

    [Fact]
    public void Comparer_reports_no_face_as_an_outcome_not_an_error()
    {
        var gradient = TestEncoders.Png(Patterns.Gradient(320, 240), 320, 240, format: 2);

        var result = pipeline.Get<FaceComparer>().Compare(File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38)), gradient);

        Assert.Equal(ComparisonDecision.NoFace, result.Decision);
        Assert.Equal(FaceAnalysisOutcome.NoFace, result.Second.Outcome);
        Assert.Null(result.Score);
    }

    [Fact]
    public void Comparer_reports_unreadable_input_with_the_decoder_reason()
    {
        var result = pipeline.Get<FaceComparer>().Compare(File.ReadAllBytes(TestPaths.Lfw("Colin_Powell", 38)), "%PDF-1.4 not a photo"u8.ToArray());

        Assert.Equal(ComparisonDecision.Unreadable, result.Decision);
        Assert.Equal(ImageDecodeError.UnsupportedFormat, result.Second.DecodeError);
    }

    private RgbImage Decode(string path) => _decoder.Decode(File.ReadAllBytes(path));

    private FaceEmbedding Embed(IFaceEmbedder embedder, string path)
    {
        using var image = Decode(path);
        var faces = _detector.Detect(image);
        using var crop = FaceAligner.Align(image, faces[PrimaryFace.Select(faces, image.Width, image.Height)].Landmarks, embedder.Template);
        return embedder.Embed(crop);
    }

    private static RgbImage Canvas(int width, int height, RgbImage content, int left, int top, byte background = 128)
    {
        var canvas = RgbImage.Allocate(width, height);
        canvas.Pixels.Fill(background);
        for (int y = 0; y < content.Height && top + y < height; y++)
        {
            int columns = Math.Min(content.Width, width - left);
            content.Row(y)[..(columns * 3)].CopyTo(canvas.Row(top + y)[(left * 3)..]);
        }

        return canvas;
    }
}
