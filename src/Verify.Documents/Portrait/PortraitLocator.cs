using Verify.Imaging;
using Verify.Imaging.Exif;
using Verify.Inference.Faces;

namespace Verify.Documents.Portrait;

/// <summary>The portrait printed on a document, cut out upright for the face matcher.</summary>
/// <remarks>Owns <see cref="Crop"/>: dispose it.</remarks>
public sealed class DocumentPortrait : IDisposable
{
    internal DocumentPortrait(RgbImage crop, FaceDetection face, int quarterTurns, IReadOnlyList<FacePoint> corners)
    {
        Crop = crop;
        Face = face;
        QuarterTurns = quarterTurns;
        Corners = corners;
    }

    /// <summary>The face with a margin of one face size around it, upright.</summary>
    public RgbImage Crop { get; }

    /// <summary>The face as detected, in the coordinates of <see cref="Crop"/>.</summary>
    public FaceDetection Face { get; }

    /// <summary>Clockwise quarter turns that made the document upright.</summary>
    public int QuarterTurns { get; }

    /// <summary>The face box's corners in the original image (top-left, top-right, bottom-right, bottom-left of the upright face).</summary>
    public IReadOnlyList<FacePoint> Corners { get; }

    /// <summary>The face box's centre in the original image.</summary>
    public FacePoint Centre => new(Corners.Average(point => point.X), Corners.Average(point => point.Y));

    /// <summary>The clockwise direction of the document's text in the original image, as the portrait's turn gives it.</summary>
    public double TextAngleDegrees => ((4 - QuarterTurns) % 4) * 90;

    public void Dispose() => Crop.Dispose();
}

/// <summary>
/// Finds the main portrait on a document photo in any of the four orientations: the face detector is tried
/// on the upright turn first (from the MRZ text direction when known) and then on the other turns.
/// </summary>
public sealed class PortraitLocator(IFaceDetector detector)
{
    /// <summary>A detection at least this confident on the first turn tried ends the search.</summary>
    private const float ConfidentScore = 0.8f;

    /// <param name="document">The document photo, EXIF orientation applied.</param>
    /// <param name="textAngleDegrees">The clockwise direction of the document's text, if known (from the MRZ).</param>
    /// <param name="cancellationToken">Stops the detector's run under way.</param>
    public DocumentPortrait? Locate(RgbImage document, double? textAngleDegrees = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        int first = textAngleDegrees is { } angle ? (4 - ((int)Math.Round(angle / 90) % 4)) % 4 : 0;
        // The detector reduces every turn to the same small side anyway: reduce once and turn the small image, and go
        // back to full resolution only to cut the portrait (the reduction is the detector's own, so the network sees
        // the same pixels; turning a few hundred thousand pixels instead of several million is most of the saving).
        using var reduced = ImageResampler.ReduceToLongSide(document, detector.WholeImageSide);
        var searched = reduced ?? document;
        (FaceDetection Face, int Turns)? best = null;
        for (int k = 0; k < 4; k++)
        {
            int turns = (first + k) % 4;
            using var turned = Turn(searched, turns);
            var faces = detector.Detect(turned ?? searched, cancellationToken: cancellationToken);
            // The portrait is the largest face; a ghost image or a face in the background pattern is smaller.
            var face = faces.OrderByDescending(candidate => candidate.Box.Area * candidate.Score).FirstOrDefault();
            if (face is not null && (best is null || face.Score > best.Value.Face.Score))
            {
                best = (face, turns);
            }

            // Only a turn known from the MRZ may end the search early: without one, an upside-down portrait is
            // often detected with a high score but wrong landmarks (measured: 9 of 60 generated card fronts), and
            // the upright turn scores higher still.
            if (textAngleDegrees is not null && best is { Face.Score: >= ConfidentScore } && k == 0)
            {
                break;
            }
        }

        if (best is not { } found)
        {
            return null;
        }

        using var upright = Turn(document, found.Turns);
        var full = upright ?? document;
        bool sideways = found.Turns % 2 == 1;
        int searchedWidth = sideways ? searched.Height : searched.Width, searchedHeight = sideways ? searched.Width : searched.Height;
        var faceInFull = Scale(found.Face, (double)full.Width / searchedWidth, (double)full.Height / searchedHeight);
        return Cut(full, document.Width, document.Height, faceInFull, found.Turns);
    }

    /// <summary>A detection on a reduced image in the coordinates of the image <paramref name="scaleX"/> x <paramref name="scaleY"/> times larger (pixel centres aligned).</summary>
    private static FaceDetection Scale(FaceDetection face, double scaleX, double scaleY)
    {
        if (scaleX == 1 && scaleY == 1)
        {
            return face;
        }

        FacePoint Map(FacePoint point) => new((float)(((point.X + 0.5) * scaleX) - 0.5), (float)(((point.Y + 0.5) * scaleY) - 0.5));
        var corner = Map(new FacePoint(face.Box.X, face.Box.Y));
        return face with
        {
            Box = new FaceBox(corner.X, corner.Y, (float)(face.Box.Width * scaleX), (float)(face.Box.Height * scaleY)),
            Landmarks = [.. face.Landmarks.Select(Map)],
        };
    }

    private static RgbImage? Turn(RgbImage image, int quarterTurns) => quarterTurns switch
    {
        0 => null,
        1 => ExifOrientationTransform.Apply(image, ExifOrientation.Rotate90Clockwise),
        2 => ExifOrientationTransform.Apply(image, ExifOrientation.Rotate180),
        _ => ExifOrientationTransform.Apply(image, ExifOrientation.Rotate90CounterClockwise),
    };

    private static DocumentPortrait Cut(RgbImage upright, int width, int height, FaceDetection face, int turns)
    {
        var box = face.Box;
        int left = (int)Math.Floor(box.X - box.Width), top = (int)Math.Floor(box.Y - box.Height);
        int size = (int)Math.Ceiling(3 * Math.Max(box.Width, box.Height));
        var crop = upright.Crop(left, top, size, size);
        int cropLeft = Math.Clamp(left, 0, upright.Width - 1), cropTop = Math.Clamp(top, 0, upright.Height - 1);
        var shifted = face with
        {
            Box = box with { X = box.X - cropLeft, Y = box.Y - cropTop },
            Landmarks = [.. face.Landmarks.Select(point => new FacePoint(point.X - cropLeft, point.Y - cropTop))],
        };
        FacePoint[] corners =
        [
            Unturn(box.X, box.Y, width, height, turns), Unturn(box.Right, box.Y, width, height, turns),
            Unturn(box.Right, box.Bottom, width, height, turns), Unturn(box.X, box.Bottom, width, height, turns),
        ];
        return new DocumentPortrait(crop, shifted, turns, corners);
    }

    /// <summary>Maps a point of the turned image back to the original of size <paramref name="width"/> x <paramref name="height"/>.</summary>
    internal static FacePoint Unturn(float x, float y, int width, int height, int turns) => turns switch
    {
        0 => new FacePoint(x, y),
        1 => new FacePoint(y, height - x),
        2 => new FacePoint(width - x, height - y),
        _ => new FacePoint(width - y, x),
    };
}
